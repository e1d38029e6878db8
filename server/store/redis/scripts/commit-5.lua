--[[
  commit: appends the events the domain decided for one or more commands of a hall to its log, if
  the hall is still at the sequence number and in the run of its log (the rebase marker) they were
  decided on (optimistic concurrency), and records each command's result. Holds no business rule:
  it checks, appends and records.

  Invariant: the log's sequence numbers are consecutive and every event after a rebase was
  decided on the rebased hall; a commandId has at most one record, and a batch with a used
  commandId appends nothing (the caller answers a repeat from the record, refuses any other use of
  the id and decides the rest again). A node that keeps losing to others may claim the next turn:
  until it commits (or the claim expires) the others wait, so that no node starves. A call that
  reaches Redis past its latest time appends nothing, so a commit stuck in a socket or behind a
  pause does not act minutes after it was decided.

  KEYS[1] seq         string  the hall's last sequence number (absent = 0)
  KEYS[2] log         stream  the event log, entry id `<seq>-0`, field `e` = event JSON
  KEYS[3] checkpoint  string  the hall's snapshot at some seq (JSON), to start replicas from
  KEYS[4] turn        string  the node whose turn it is to commit, PX TTL
  KEYS[5] epoch       string  the hall's rebase marker `<generation>:<epoch>` (absent = never rebased)
  KEYS[6 .. 5+m]      string  each command's idempotency record (a key never written for a command without commandId)
  KEYS[6+m ..]        hash    tickets by business date: ticket id -> ticket JSON (one key per ticket pair below)

  ARGV[1] expected seq            ARGV[2] m, the number of commands
  ARGV[3] how long records are kept, ms     ARGV[4] how long a tickets hash is kept after its last write, ms
  ARGV[5] events kept in the log (approximate trim)
  ARGV[6] checkpoint JSON to store, or "" for none
  ARGV[7] this node's token       ARGV[8] "1" to claim the next turn on a conflict    ARGV[9] turn length, ms
  ARGV[10] the rebase marker the events were decided under ("" for none)
  ARGV[11] the latest Redis time (ms) at which the events may still be appended, or "" for any time
  ARGV[12] n, the number of events; ARGV[13 .. 12+n] the events' JSON, seq expected+1 .. expected+n
  then per command: "1" when it has a commandId (else "0" and ""), its idempotency record JSON:
    { record: { command, by, staffId, payload hash }, event: the command's own event }
  then per KEYS[6+m ..] key: ticket id, ticket JSON

  Returns
    { 0, new seq }                      committed
    { 1, k, record, … }                 the commands k (1-based) whose commandId has a record, with it
    { 2, current seq, base, event … }   a conflict: `base` the logged event at the expected seq ("" when
                                        there is none: the log is shorter, or trimmed past it), then up
                                        to 100 of the events logged after it
    { 3 }                               another node's turn
    { 4 }                               past the latest time: nothing appended, nothing recorded
    { 5, current marker }               the hall was rebased since the caller last read it
]]
local m = tonumber(ARGV[2])
local n = tonumber(ARGV[12])
local results = 13 + n

local replays = { 1 }
for k = 1, m do
  if ARGV[results + 2 * (k - 1)] == '1' then
    local prior = redis.call('GET', KEYS[5 + k])
    if prior then
      replays[#replays + 1] = k
      replays[#replays + 1] = prior
    end
  end
end
if #replays > 1 then return replays end

if ARGV[11] ~= '' then
  local t = redis.call('TIME')
  if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[11]) then return { 4 } end
end

local marker = redis.call('GET', KEYS[5]) or ''
if marker ~= ARGV[10] then return { 5, marker } end

local turn = redis.call('GET', KEYS[4])
if turn and turn ~= ARGV[7] then return { 3 } end

local expected = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current ~= expected then
  if ARGV[8] == '1' and not turn then redis.call('SET', KEYS[4], ARGV[7], 'PX', ARGV[9]) end
  -- Lost to another node, or the log went back: hand back what the caller needs to tell which.
  local base = ''
  if expected > 0 then
    local at = redis.call('XRANGE', KEYS[2], expected .. '-0', expected .. '-0')
    if #at == 1 then base = at[1][2][2] end
  end
  local missed = redis.call('XRANGE', KEYS[2], '(' .. expected .. '-0', '+', 'COUNT', 100)
  local out = { 2, tostring(current), base }
  for i = 1, #missed do out[i + 3] = missed[i][2][2] end
  return out
end

for i = 1, n do
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], (expected + i) .. '-0', 'e', ARGV[12 + i])
end
redis.call('SET', KEYS[1], tostring(expected + n))

local tickets = results + 2 * m
for k = 6 + m, #KEYS do
  local at = tickets + (k - 6 - m) * 2
  redis.call('HSET', KEYS[k], ARGV[at], ARGV[at + 1])
  redis.call('PEXPIRE', KEYS[k], ARGV[4])
end
for k = 1, m do
  local at = results + 2 * (k - 1)
  if ARGV[at] == '1' then redis.call('SET', KEYS[5 + k], ARGV[at + 1], 'PX', ARGV[3]) end
end
if ARGV[6] ~= '' then redis.call('SET', KEYS[3], ARGV[6]) end
if turn then redis.call('DEL', KEYS[4]) end
return { 0, tostring(expected + n) }
