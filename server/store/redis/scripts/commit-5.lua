--[[
  commit: appends events the domain decided to a hall's log, if the hall is still at the
  sequence number they were decided on (optimistic concurrency), and remembers the command's
  result. Holds no business rule: it checks, appends and records.

  Invariant: the log's sequence numbers are consecutive; a commandId has at most one result, and
  a repeated commandId appends nothing and answers with the first result. A node that keeps
  losing to others may claim the next turn: until it commits (or the claim expires) the others
  wait, so that no node starves while the rest take turns.

  KEYS[1] seq         string  the hall's last sequence number (absent = 0)
  KEYS[2] log         stream  the event log, entry id `<seq>-0`, field `e` = event JSON
  KEYS[3] result      string  this command's first result (a key never written when no commandId)
  KEYS[4] checkpoint  string  the hall's snapshot at some seq (JSON), to start replicas from
  KEYS[5] turn        string  the node whose turn it is to commit, PX TTL
  KEYS[6..] tickets   hash    per business date: ticket id -> ticket JSON (one key per ticket below)

  ARGV[1] expected seq (the hall's seq the events were decided on)
  ARGV[2] "1" when the command has a commandId, else "0"
  ARGV[3] how long the result is kept, ms
  ARGV[4] how long a tickets hash is kept after its last write, ms
  ARGV[5] events kept in the log (approximate trim)
  ARGV[6] the result to remember (event JSON)
  ARGV[7] checkpoint JSON to store, or "" for none
  ARGV[8] n, the number of events; ARGV[9 .. 8+n] the events' JSON, seq expected+1 .. expected+n
  ARGV[9+n] this node's token; ARGV[10+n] "1" to claim the next turn on a conflict, else "0";
  ARGV[11+n] how long a claimed turn lasts, ms
  ARGV[12+n ..] ticket id, ticket JSON pairs, one pair per KEYS[6..] key

  Returns { 0, new seq } committed, { 1, first result JSON } replayed, on a conflict
  { 2, current seq, event JSON … } with up to 100 of the events logged after the expected seq,
  or { 3, "" } when it is another node's turn (nothing was checked: try again shortly).
]]
if ARGV[2] == '1' then
  local prior = redis.call('GET', KEYS[3])
  if prior then return { 1, prior } end
end

local n = tonumber(ARGV[8])
local token = ARGV[9 + n]
local turn = redis.call('GET', KEYS[5])
if turn and turn ~= token then return { 3, '' } end

local expected = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current ~= expected then
  if ARGV[10 + n] == '1' and not turn then redis.call('SET', KEYS[5], token, 'PX', ARGV[11 + n]) end
  -- Lost to another node: hand back what it missed, so that it can decide again at once.
  local missed = redis.call('XRANGE', KEYS[2], '(' .. expected .. '-0', '+', 'COUNT', 100)
  local out = { 2, tostring(current) }
  for i = 1, #missed do out[i + 2] = missed[i][2][2] end
  return out
end

for i = 1, n do
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], (expected + i) .. '-0', 'e', ARGV[8 + i])
end
redis.call('SET', KEYS[1], tostring(expected + n))

for k = 6, #KEYS do
  local at = 12 + n + (k - 6) * 2
  redis.call('HSET', KEYS[k], ARGV[at], ARGV[at + 1])
  redis.call('PEXPIRE', KEYS[k], ARGV[4])
end
if ARGV[2] == '1' then redis.call('SET', KEYS[3], ARGV[6], 'PX', ARGV[3]) end
if ARGV[7] ~= '' then redis.call('SET', KEYS[4], ARGV[7]) end
if turn then redis.call('DEL', KEYS[5]) end
return { 0, tostring(expected + n) }
