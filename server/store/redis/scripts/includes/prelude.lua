--[[
  Shared head of every command script (inlined where a script says `--- @include "prelude"`).
  Reads the common KEYS/ARGV layout and defines the helpers the transitions use.

  KEYS[1]  meta      hash: seq, date, at, mode
  KEYS[2]  events    stream of hall events, id <seq>-0, field e = JSON
  KEYS[3]  cmd:<commandId> idempotency record (never written when ARGV[3] is "")
  KEYS[4]  tickets   hash id -> ticket JSON
  KEYS[5]  windows   hash id -> window JSON
  KEYS[6]  live      zset of tickets not ended, score = seq of their last change
  KEYS[7]  stats     hash of today's counters
  KEYS[8]  recent    list of recent calls, newest first
  KEYS[9]  balancer  JSON array of open suggestions
  KEYS[10] numbers   hash "<date>|<serviceId>" -> issued that day
  KEYS[11 .. 10+S]       service queues (zset), in the order of the service ids in ARGV
  KEYS[11+S .. 10+S+W]   window queues (zset), in the order of the window ids in ARGV

  ARGV[1] now (ms)   ARGV[2] today's business date for `now`   ARGV[3] commandId or ""
  ARGV[4] idempotency TTL ms   ARGV[5] event log max length   ARGV[6] hall id
  ARGV[7] S   ARGV[8] W
  ARGV[9 .. 8+S]           service ids
  ARGV[9+S .. 8+2S]        their target waits (minutes)
  ARGV[9+2S .. 8+2S+W]     window ids
  ARGV[9+2S+W]             P, then P pairs (priority id, rank)
  then the script's own arguments: arg(1), arg(2), ...
]]
local E = {
  UNKNOWN_HALL = -1, UNKNOWN_SERVICE = -2, UNKNOWN_WINDOW = -3, UNKNOWN_TICKET = -4,
  UNKNOWN_PRIORITY = -5, NOT_QUALIFIED = -6, QUOTA_EXHAUSTED = -7, SERVICE_CLOSED = -8,
  WINDOW_NOT_OPEN = -9, WINDOW_BUSY = -10, WINDOW_IDLE = -11, QUEUE_EMPTY = -12,
  ILLEGAL_TRANSITION = -13, ALREADY_RATED = -14, UNKNOWN_SUGGESTION = -15, VALIDATION = -16,
  DAY_STALE = -100,
}

local NOW = tonumber(ARGV[1])
local TODAY = ARGV[2]
local CMDID = ARGV[3]
local IDEM_TTL = ARGV[4]
local LOG_MAX = ARGV[5]
local HALL = ARGV[6]
local S = tonumber(ARGV[7])
local W = tonumber(ARGV[8])
local SVC_KEY, SVC_TARGET, WIN_KEY, RANK = {}, {}, {}, {}
for i = 1, S do
  SVC_KEY[ARGV[8 + i]] = KEYS[10 + i]
  SVC_TARGET[ARGV[8 + i]] = tonumber(ARGV[8 + S + i])
end
for i = 1, W do WIN_KEY[ARGV[8 + 2 * S + i]] = KEYS[10 + S + i] end
local P0 = 9 + 2 * S + W
local P = tonumber(ARGV[P0])
for i = 1, P do RANK[ARGV[P0 + 2 * i - 1]] = tonumber(ARGV[P0 + 2 * i]) end
local A0 = P0 + 2 * P
local function arg(i) return ARGV[A0 + i] end

local NULL = cjson.null
local ENDED = { finished = true, noShow = true, cancelled = true }
-- protocol WAIT_BUCKETS_MIN (the TypeScript side asserts it is still 5,10,20,30,60)
local WAIT_BUCKETS_MIN = { 5, 10, 20, 30, 60 }
local RECENT_CALLS = 12

local function num(n) return string.format('%.17g', n) end

local function getTicket(id)
  local j = redis.call('HGET', KEYS[4], id)
  if not j then return nil end
  return cjson.decode(j)
end

local function getWindow(id)
  local j = redis.call('HGET', KEYS[5], id)
  if not j then return nil end
  return cjson.decode(j)
end

local function putWindow(w) redis.call('HSET', KEYS[5], w.id, cjson.encode(w)) end

local SEQ = nil
local function nextSeq()
  if not SEQ then SEQ = redis.call('HINCRBY', KEYS[1], 'seq', 1) end
  return SEQ
end

local function putTicket(t)
  redis.call('HSET', KEYS[4], t.id, cjson.encode(t))
  if ENDED[t.state] then redis.call('ZREM', KEYS[6], t.id) else redis.call('ZADD', KEYS[6], nextSeq(), t.id) end
end

local function rankOf(priority) return RANK[priority] or 0 end

-- server/domain/dispatch.ts queueScore: rank desc, then arrival; ties by member (= ticket id)
local function queueScore(rank, arrivedAt) return (9 - rank) * 1e13 + arrivedAt end

local function queueOf(t)
  if t.targetWindowId ~= NULL then return WIN_KEY[t.targetWindowId] end
  return SVC_KEY[t.serviceId]
end

local function enqueue(t)
  local k = queueOf(t)
  if not k then error('no queue for ticket ' .. t.id) end
  redis.call('ZADD', k, num(queueScore(rankOf(t.priority), t.arrivedAt)), t.id)
end

-- Back in a queue (resume, transfer, next bundle step), as `requeued` in transitions.ts: the
-- original arrival keeps its place. Set serviceId / targetWindowId before calling.
local function requeue(t)
  t.state = 'waiting'
  t.queuedAt = NOW
  t.windowId = NULL
  t.calledAt = NULL
  t.servingAt = NULL
  t.recalls = 0
  enqueue(t)
end

-- A ticket leaves the window holding it (cancel, transfer): the window is free and in the event.
local function release(ev, holding)
  if not holding then return end
  holding.ticketId = NULL
  putWindow(holding)
  ev.window = holding
end

local function dequeue(t)
  local k = queueOf(t)
  if k then redis.call('ZREM', k, t.id) end
end

local function contains(list, x)
  for _, v in ipairs(list) do if v == x then return true end end
  return false
end

local function stat(field, by) redis.call('HINCRBY', KEYS[7], field, by or 1) end
local function statf(field, by) redis.call('HINCRBYFLOAT', KEYS[7], field, num(by)) end

local function waitBucket(sec)
  for i, m in ipairs(WAIT_BUCKETS_MIN) do
    if sec < m * 60 then return i - 1 end
  end
  return #WAIT_BUCKETS_MIN
end

-- protocol/reducer.ts: the call goes first, an older call of the same ticket is dropped, 12 kept.
local function pushRecent(t, windowId)
  local cur = redis.call('LRANGE', KEYS[8], 0, -1)
  redis.call('DEL', KEYS[8])
  redis.call('RPUSH', KEYS[8], cjson.encode({ ticketId = t.id, number = t.number, windowId = windowId, at = NOW }))
  local n = 1
  for _, j in ipairs(cur) do
    if n >= RECENT_CALLS then break end
    if cjson.decode(j).ticketId ~= t.id then
      redis.call('RPUSH', KEYS[8], j)
      n = n + 1
    end
  end
end

local function loadSuggestions()
  local j = redis.call('GET', KEYS[9])
  if not j then return {} end
  local list = cjson.decode(j)
  if next(list) == nil then return {} end
  return list
end

local function saveSuggestions(list)
  if #list == 0 then redis.call('SET', KEYS[9], '[]') else redis.call('SET', KEYS[9], cjson.encode(list)) end
end

local function fail(code, message) return { code, message } end

local function illegal(t, need)
  return fail(E.ILLEGAL_TRANSITION, 'Ticket ' .. t.number .. ' is ' .. t.state .. '; this needs ' .. need .. '.')
end

-- Stamp the event with hall, next seq and time; append it to the log; remember it for the commandId.
local function emit(ev)
  ev.hallId = HALL
  ev.seq = nextSeq()
  ev.at = NOW
  local j = cjson.encode(ev)
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', LOG_MAX, ev.seq .. '-0', 'e', j)
  redis.call('HSET', KEYS[1], 'at', ARGV[1])
  if CMDID ~= '' then redis.call('SET', KEYS[3], j, 'PX', IDEM_TTL) end
  return { 1, j }
end
