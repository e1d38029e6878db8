--[[
  window: a window's own state — open, pause, resume, close, setServing (manager), apply
  (balancer changes what it serves), signIn (a counter signs in; a closed window opens).

  Invariant: a window pauses or closes only when it holds no ticket; it serves only services it
  is qualified for, at least one; each change is one window:changed event with who did it.

  KEYS: the common layout of includes/prelude.lua.
  ARGV: the common layout, then
    arg(1) op: open | pause | resume | close | setServing | apply | signIn
    arg(2) window id
    arg(3) by: staff | manager | balancer
    arg(4) pause reason (pause) or staff id (signIn), else ""
    arg(5) serving as a JSON array, deduplicated (setServing, apply), else "[]"
    arg(6) reason as Bilingual JSON (apply), else ""

  Returns { 1, event } / { 0, first event } / { code, message }: UNKNOWN_HALL, DAY_STALE,
  UNKNOWN_WINDOW, UNKNOWN_SERVICE, NOT_QUALIFIED, VALIDATION, WINDOW_NOT_OPEN, WINDOW_BUSY,
  ILLEGAL_TRANSITION.
  Events: window:changed.
]]
--- @include "prelude"
--- @include "begin"

local op = arg(1)
local w = getWindow(arg(2))
if not w then return fail(E.UNKNOWN_WINDOW, 'No window "' .. arg(2) .. '" in this hall.') end
local by = arg(3)
local change, reason = nil, NULL

if op == 'open' then
  if w.state == 'open' then return fail(E.ILLEGAL_TRANSITION, 'The window is already open.') end
  w.state = 'open'
  w.pauseReason = NULL
  change = 'opened'
elseif op == 'pause' then
  if w.state ~= 'open' then return fail(E.WINDOW_NOT_OPEN, 'The window is paused or closed; open or resume it first.') end
  if w.ticketId ~= NULL then return fail(E.WINDOW_BUSY, 'The window still has a called or serving ticket.') end
  w.state = 'paused'
  w.pauseReason = arg(4)
  change = 'paused'
  reason = { zh = arg(4), en = arg(4) }
elseif op == 'resume' then
  if w.state ~= 'paused' then return fail(E.ILLEGAL_TRANSITION, 'The window is not paused.') end
  w.state = 'open'
  w.pauseReason = NULL
  change = 'resumed'
elseif op == 'close' then
  if w.state == 'closed' then return fail(E.ILLEGAL_TRANSITION, 'The window is already closed.') end
  if w.ticketId ~= NULL then return fail(E.WINDOW_BUSY, 'The window still has a called or serving ticket.') end
  w.state = 'closed'
  w.pauseReason = NULL
  w.staffId = NULL
  change = 'closed'
elseif op == 'setServing' or op == 'apply' then
  local serving = cjson.decode(arg(5))
  for _, s in ipairs(serving) do
    if not SVC_KEY[s] then return fail(E.UNKNOWN_SERVICE, 'No service "' .. s .. '" in this hall.') end
    if not contains(w.qualified, s) then return fail(E.NOT_QUALIFIED, 'Window ' .. w.label.zh .. ' is not qualified for ' .. s .. '.') end
  end
  if #serving == 0 then return fail(E.VALIDATION, 'A window serves at least one service.') end
  w.serving = serving
  change = 'servingChanged'
  if op == 'apply' then reason = cjson.decode(arg(6)) end
elseif op == 'signIn' then
  w.staffId = arg(4)
  if w.state == 'closed' then
    w.state = 'open'
    w.pauseReason = NULL
  end
  change = 'signedIn'
else
  return redis.error_reply('window: unknown op ' .. tostring(op))
end

putWindow(w)
return emit({ type = 'window:changed', window = w, change = change, reason = reason, by = by })
