--[[
  rollDay: starts a new business day (numbers and figures restart). Idempotent: does nothing when
  the hall is already on `today` or later. Run before a command whose script answered DAY_STALE.

  Invariant: yesterday's tickets, queues, counters, recent calls and suggestions disappear in the
  same step as the hall:dayStarted event is logged; windows keep their state (open, staff,
  serving) but hold no ticket and restart servedToday.

  KEYS: the common layout of includes/prelude.lua (every queue is cleared).
  ARGV: the common layout (ARGV[3] commandId is "").

  Returns { 1, event } when a day started, { 0, "" } when nothing was due, or
  { code, message }: UNKNOWN_HALL.
  Events: hall:dayStarted.
]]
--- @include "prelude"

local date = redis.call('HGET', KEYS[1], 'date')
if not date then return fail(E.UNKNOWN_HALL, 'No hall "' .. HALL .. '".') end
if date >= TODAY then return { 0, '' } end

redis.call('DEL', KEYS[4], KEYS[6], KEYS[7], KEYS[8], KEYS[10])
saveSuggestions({})
for i = 11, #KEYS do redis.call('DEL', KEYS[i]) end
local windows = redis.call('HGETALL', KEYS[5])
for i = 2, #windows, 2 do
  local w = cjson.decode(windows[i])
  w.ticketId = NULL
  w.servedToday = 0
  w.lastFinishedId = NULL
  putWindow(w)
end
redis.call('HSET', KEYS[1], 'date', TODAY)
return emit({ type = 'hall:dayStarted', businessDate = TODAY })
