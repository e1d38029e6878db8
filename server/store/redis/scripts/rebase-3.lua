--[[
  rebase: starts a new run (epoch) of a hall's log after a node found the log went back (Redis
  restored from a copy older than what the node had seen, or restarted without its data): the
  hall as Redis now has it (or, when Redis has nothing of it, as the node has it), under a new
  epoch, becomes the checkpoint every replica starts from, and the rebase marker changes so
  that no node commits on what it saw before. Set with a check, so that nodes noticing the same
  loss agree: the first to rebase wins and the others adopt its epoch.

  KEYS[1] seq         string  the hall's last sequence number (absent = 0)
  KEYS[2] checkpoint  string  the hall's snapshot (JSON)
  KEYS[3] epoch       string  the rebase marker `<generation>:<epoch>` (absent = never rebased)

  ARGV[1] the seq the caller rebuilt the hall at     ARGV[2] the marker it rebuilt it under ("" for none)
  ARGV[3] the new marker                             ARGV[4] the rebuilt hall under the new epoch (JSON)
  ARGV[5] the seq to set, when Redis had lost the hall altogether and the caller rebuilt it from
          its own replica (the log then starts after it); "" to leave the seq as it is

  Returns { 0 } rebased; { 1, current marker } another node rebased first; { 2, current seq } the
  log moved on since the caller read it (rebuild and try again).
]]
local marker = redis.call('GET', KEYS[3]) or ''
if marker ~= ARGV[2] then return { 1, marker } end
local current = redis.call('GET', KEYS[1]) or '0'
if tonumber(current) ~= tonumber(ARGV[1]) then return { 2, current } end
redis.call('SET', KEYS[2], ARGV[4])
redis.call('SET', KEYS[3], ARGV[3])
if ARGV[5] ~= '' then redis.call('SET', KEYS[1], ARGV[5]) end
return { 0 }
