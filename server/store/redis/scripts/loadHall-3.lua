--[[
  loadHall: makes a hall known. A new hall starts at seq 0 on today's business day with its
  configured windows (closed) and balancer mode; an existing hall keeps its live state and takes
  the config's labels, qualifications and escalation flag (server/domain/hall.ts mergeWindows),
  dropping windows the config dropped. Writes no event.

  Invariant: a window never serves a service it is not qualified for.

  KEYS[1] meta   KEYS[2] windows   KEYS[3] balancer
  ARGV[1] now (ms)   ARGV[2] today's business date   ARGV[3] configured balancer mode
  ARGV[4] JSON array of the configured windows as a new hall starts them (initialWindows)

  Returns 1 when the hall was created, 0 when it existed.
]]
local fresh = cjson.decode(ARGV[4])

if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'seq', 0, 'date', ARGV[2], 'at', ARGV[1], 'mode', ARGV[3])
  redis.call('DEL', KEYS[2])
  for _, w in ipairs(fresh) do redis.call('HSET', KEYS[2], w.id, cjson.encode(w)) end
  redis.call('SET', KEYS[3], '[]')
  return 1
end

local keep = {}
for _, f in ipairs(fresh) do
  keep[f.id] = true
  local j = redis.call('HGET', KEYS[2], f.id)
  if j then
    local cur = cjson.decode(j)
    local qualified = {}
    for _, q in ipairs(f.qualified) do qualified[q] = true end
    local serving = {}
    for _, s in ipairs(cur.serving) do if qualified[s] then serving[#serving + 1] = s end end
    if #serving == 0 then serving = f.serving end
    cur.label = f.label
    cur.qualified = f.qualified
    cur.escalation = f.escalation
    cur.serving = serving
    redis.call('HSET', KEYS[2], f.id, cjson.encode(cur))
  else
    redis.call('HSET', KEYS[2], f.id, cjson.encode(f))
  end
end
for _, id in ipairs(redis.call('HKEYS', KEYS[2])) do
  if not keep[id] then redis.call('HDEL', KEYS[2], id) end
end
return 0
