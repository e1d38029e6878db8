--[[
  issue: 取号. Creates a waiting ticket with the service's next number of the business day and
  puts it in its service's queue.

  Invariant: numbers of a service are consecutive per business day and never exceed its daily
  quota (号源); the quota check and the counter increment happen in this one script.
  (Config-only checks — opening hours, unknown service or priority — ran in TypeScript before.)

  KEYS: the common layout of includes/prelude.lua (10 fixed keys, then the hall's queues).
  ARGV: the common layout, then
    arg(1) ticket id (unguessable, made by the caller)
    arg(2) service id          arg(3) the service's ticket prefix letter
    arg(4) the service's daily quota
    arg(5) priority class id   arg(6) channel
    arg(7) bundle as a JSON array ("[]" when not a bundle)
    arg(8) hall-local hour of now (0..23), for issuedByHour
    arg(9) expected wait shown to the citizen, seconds ("" when unknown)

  Returns { 1, event JSON }, { 0, first event JSON } for a repeated commandId, or
  { negative code, message }: UNKNOWN_HALL, DAY_STALE, QUOTA_EXHAUSTED.
  Events: ticket:issued.
]]
--- @include "prelude"
--- @include "begin"

local serviceId = arg(2)
local quota = tonumber(arg(4))
local field = BUSINESS_DATE .. '|' .. serviceId
local used = tonumber(redis.call('HGET', KEYS[10], field) or '0')
if used >= quota then
  return fail(E.QUOTA_EXHAUSTED, serviceId .. ': all ' .. quota .. ' tickets of today are issued.')
end
redis.call('HINCRBY', KEYS[10], field, 1)

local t = {
  id = arg(1), number = arg(3) .. string.format('%03d', used + 1), serviceId = serviceId,
  priority = arg(5), channel = arg(6), state = 'waiting', businessDate = BUSINESS_DATE,
  issuedAt = NOW, arrivedAt = NOW, queuedAt = NOW, calledAt = NULL, servingAt = NULL, endedAt = NULL,
  windowId = NULL, targetWindowId = NULL, recalls = 0, bundle = cjson.decode(arg(7)), bundleStep = 0,
  parkReason = NULL, missingDocs = {}, rating = NULL, staffId = NULL, etaSec = (arg(9) ~= '' and tonumber(arg(9))) or NULL,
}
putTicket(t)
enqueue(t)
stat('issued:' .. serviceId)
stat('hour:' .. arg(8))
return emit({ type = 'ticket:issued', ticket = t })
