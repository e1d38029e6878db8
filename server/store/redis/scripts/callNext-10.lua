--[[
  callNext: 叫号. Gives an open, idle window the most urgent waiting ticket it may take.

  Mirrors server/domain/transitions.ts nextFor + dispatch.ts pickMostUrgent exactly: the heads
  of the window's own queue (tickets transferred to it, preference index 0) and of the queue of
  each service it serves (preference index = position in its serving list) compete; higher
  priority rank wins, then the larger wait/target ratio (ratio × (1 + primaryPreference) for
  preference index 0), then the lower preference index; a full tie keeps the earlier head.

  Invariant: a waiting ticket is called by exactly one window, once (it leaves its queue in the
  same script that marks it called), and a window holds at most one ticket.

  KEYS: the common layout of includes/prelude.lua.
  ARGV: the common layout, then arg(1) window id, arg(2) the hall's primaryPreference.

  Returns { 1, event } / { 0, first event } / { code, message }: UNKNOWN_HALL, DAY_STALE,
  UNKNOWN_WINDOW, WINDOW_NOT_OPEN, WINDOW_BUSY, QUEUE_EMPTY.
  Events: ticket:called (recall = false).
]]
--- @include "prelude"
--- @include "begin"

local w = getWindow(arg(1))
if not w then return fail(E.UNKNOWN_WINDOW, 'No window "' .. arg(1) .. '" in this hall.') end
if w.state ~= 'open' then return fail(E.WINDOW_NOT_OPEN, 'The window is paused or closed; open or resume it first.') end
if w.ticketId ~= NULL then return fail(E.WINDOW_BUSY, 'The window still has a called or serving ticket.') end
local primaryPreference = tonumber(arg(2))

local best, bestUrgency, bestKey = nil, -1, nil
local function consider(key, preferenceIndex)
  if not key then return end
  local head = redis.call('ZRANGE', key, 0, 0)
  if #head == 0 then return end
  local t = getTicket(head[1])
  local rank = rankOf(t.priority)
  local target = SVC_TARGET[t.serviceId] or 20
  local ratio = math.max(0, NOW - t.arrivedAt) / (target * 60000)
  local u = ratio
  if preferenceIndex == 0 then u = ratio * (1 + primaryPreference) end
  if (not best) or rank > best.rank
    or (rank == best.rank and (u > bestUrgency or (u == bestUrgency and preferenceIndex < best.preferenceIndex))) then
    best = { t = t, rank = rank, preferenceIndex = preferenceIndex }
    bestUrgency = u
    bestKey = key
  end
end

consider(WIN_KEY[w.id], 0)
for i, serviceId in ipairs(w.serving) do consider(SVC_KEY[serviceId], i - 1) end
if not best then return fail(E.QUEUE_EMPTY, 'No ticket is waiting for the services this window serves.') end

local t = best.t
redis.call('ZREM', bestKey, t.id)
local waitMs = math.max(0, NOW - t.queuedAt)
local waitSec = waitMs / 1000
t.state = 'called'
t.calledAt = NOW
t.windowId = w.id
t.targetWindowId = NULL
t.staffId = w.staffId
w.ticketId = t.id
putTicket(t)
putWindow(w)
stat('called:' .. t.serviceId)
stat('wait:' .. waitBucket(waitSec))
statf('waitMs', waitMs)
stat('waitCount')
pushRecent(t, w.id)
return emit({ type = 'ticket:called', ticket = t, window = w, recall = false, waitSec = waitSec })
