--[[
  snapshot: reads a hall's whole live state in one atomic step (read only).

  Invariant: the state returned is exactly the state after event `seq`.

  KEYS[1] meta   KEYS[2] tickets   KEYS[3] windows   KEYS[4] live   KEYS[5] stats
  KEYS[6] recent   KEYS[7] balancer
  ARGV[1] today's business date for the caller's `now`

  Returns { seq, date, at, mode, windows HGETALL, live tickets (JSON, oldest change first),
  stats HGETALL, recent calls (JSON), suggestions JSON } or { code, message }:
  UNKNOWN_HALL (-1), DAY_STALE (-100: roll the day, then read again).
]]
local m = redis.call('HMGET', KEYS[1], 'seq', 'date', 'at', 'mode')
if not m[2] then return { -1, 'No such hall.' } end
if m[2] < ARGV[1] then return { -100, 'The business day ' .. ARGV[1] .. ' has not been started.' } end
local ids = redis.call('ZRANGE', KEYS[4], 0, -1)
local tickets = {}
for i = 1, #ids, 500 do
  local chunk = {}
  for j = i, math.min(i + 499, #ids) do chunk[#chunk + 1] = ids[j] end
  local got = redis.call('HMGET', KEYS[2], unpack(chunk))
  for _, t in ipairs(got) do tickets[#tickets + 1] = t end
end
return {
  m[1], m[2], m[3], m[4],
  redis.call('HGETALL', KEYS[3]),
  tickets,
  redis.call('HGETALL', KEYS[5]),
  redis.call('LRANGE', KEYS[6], 0, -1),
  redis.call('GET', KEYS[7]) or '[]',
}
