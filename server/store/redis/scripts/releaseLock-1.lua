--[[
  releaseLock: gives a hall's lock up at once (on shutdown), if this holder has it.

  KEYS[1] lock  string  the holder's token
  ARGV[1] this holder's token

  Returns 1 when the lock was released, 0 when this holder did not have it.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
