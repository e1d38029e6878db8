--[[
  acquireLock: takes a hall's lock when it is free, or extends it when this holder has it
  already; for jobs that run on one node per hall (the balancer, the queue summaries).

  KEYS[1] lock  string  the holder's token, PX TTL
  ARGV[1] this holder's token
  ARGV[2] how long the lock lasts, ms

  Returns 1 when this holder has the lock for ARGV[2] ms from now, 0 when another holder has it.
]]
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if cur then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
