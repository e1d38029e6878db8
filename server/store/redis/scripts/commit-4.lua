--[[
  commit: appends the events the domain decided for one or more commands of a hall to its log, if
  the hall is still at the sequence number they were decided on (optimistic concurrency), and
  remembers each command's result. Holds no business rule: it checks, appends and records.

  Invariant: the log's sequence numbers are consecutive; a commandId has at most one result, and
  a batch with a repeated commandId appends nothing (the caller answers the repeat with its first
  result and decides the rest again). A node that keeps losing to others may claim the next turn:
  until it commits (or the claim expires) the others wait, so that no node starves.

  KEYS[1] seq         string  the hall's last sequence number (absent = 0)
  KEYS[2] log         stream  the event log, entry id `<seq>-0`, field `e` = event JSON
  KEYS[3] checkpoint  string  the hall's snapshot at some seq (JSON), to start replicas from
  KEYS[4] turn        string  the node whose turn it is to commit, PX TTL
  KEYS[5 .. 4+m]      string  each command's result (a key never written for a command without commandId)
  KEYS[5+m ..]        hash    tickets by business date: ticket id -> ticket JSON (one key per ticket pair below)

  ARGV[1] expected seq            ARGV[2] m, the number of commands
  ARGV[3] how long results are kept, ms     ARGV[4] how long a tickets hash is kept after its last write, ms
  ARGV[5] events kept in the log (approximate trim)
  ARGV[6] checkpoint JSON to store, or "" for none
  ARGV[7] this node's token       ARGV[8] "1" to claim the next turn on a conflict    ARGV[9] turn length, ms
  ARGV[10] n, the number of events; ARGV[11 .. 10+n] the events' JSON, seq expected+1 .. expected+n
  then per command: "1" when it has a commandId (else "0" and ""), its idempotency record JSON:
    { record: { command, by, staffId, payload hash }, event: the command's own event }
  then per KEYS[5+m ..] key: ticket id, ticket JSON

  Returns { 0, new seq } committed; { 1, k, record, … } the commands k (1-based) whose commandId
  has a record, with it (the caller answers a repeat of the same command from it and refuses any
  other use of the id); { 2, current seq, event JSON … } a conflict, with up to
  100 of the events logged after the expected seq; { 3 } when it is another node's turn.
]]
local m = tonumber(ARGV[2])
local n = tonumber(ARGV[10])
local results = 11 + n

local replays = { 1 }
for k = 1, m do
  if ARGV[results + 2 * (k - 1)] == '1' then
    local prior = redis.call('GET', KEYS[4 + k])
    if prior then
      replays[#replays + 1] = k
      replays[#replays + 1] = prior
    end
  end
end
if #replays > 1 then return replays end

local turn = redis.call('GET', KEYS[4])
if turn and turn ~= ARGV[7] then return { 3 } end

local expected = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current ~= expected then
  if ARGV[8] == '1' and not turn then redis.call('SET', KEYS[4], ARGV[7], 'PX', ARGV[9]) end
  -- Lost to another node: hand back what it missed, so that it can decide again at once.
  local missed = redis.call('XRANGE', KEYS[2], '(' .. expected .. '-0', '+', 'COUNT', 100)
  local out = { 2, tostring(current) }
  for i = 1, #missed do out[i + 2] = missed[i][2][2] end
  return out
end

for i = 1, n do
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], (expected + i) .. '-0', 'e', ARGV[10 + i])
end
redis.call('SET', KEYS[1], tostring(expected + n))

local tickets = results + 2 * m
for k = 5 + m, #KEYS do
  local at = tickets + (k - 5 - m) * 2
  redis.call('HSET', KEYS[k], ARGV[at], ARGV[at + 1])
  redis.call('PEXPIRE', KEYS[k], ARGV[4])
end
for k = 1, m do
  local at = results + 2 * (k - 1)
  if ARGV[at] == '1' then redis.call('SET', KEYS[4 + k], ARGV[at + 1], 'PX', ARGV[3]) end
end
if ARGV[6] ~= '' then redis.call('SET', KEYS[3], ARGV[6]) end
if turn then redis.call('DEL', KEYS[4]) end
return { 0, tostring(expected + n) }
