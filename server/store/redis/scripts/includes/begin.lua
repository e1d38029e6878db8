-- Shared start of a transition: the hall must exist and be on today's business day (else the
-- caller rolls the day and retries); a commandId seen before returns its first event unchanged.
local BUSINESS_DATE = redis.call('HGET', KEYS[1], 'date')
if not BUSINESS_DATE then return fail(E.UNKNOWN_HALL, 'No hall "' .. HALL .. '".') end
if BUSINESS_DATE < TODAY then return fail(E.DAY_STALE, 'The business day ' .. TODAY .. ' has not been started.') end
if CMDID ~= '' then
  local prior = redis.call('GET', KEYS[3])
  if prior then return { 0, prior } end
end
