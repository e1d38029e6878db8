--[[
  ticket: commands that name a ticket — resume (a parked ticket back in its queue, place kept),
  cancel, rate (好差评), transfer (转办: to another service and/or to one window).

  Invariant: a ticket is in exactly one queue while waiting and in none otherwise; resume and
  transfer keep its original arrival time (its place); a window holding the ticket is freed in
  the same step; a ticket is rated once, only at the window that finished it.

  KEYS: the common layout of includes/prelude.lua.
  ARGV: the common layout, then arg(1) op and
    resume:   arg(2) ticket id
    cancel:   arg(2) ticket id
    rate:     arg(2) ticket id, arg(3) window id, arg(4) rating 1..5
    transfer: arg(2) ticket id or "", arg(3) from window id or "", arg(4) to service id or "",
              arg(5) to window id or ""

  Returns { 1, event } / { 0, first event } / { code, message }: UNKNOWN_HALL, DAY_STALE,
  UNKNOWN_TICKET, UNKNOWN_WINDOW, UNKNOWN_SERVICE, WINDOW_IDLE, NOT_QUALIFIED,
  ILLEGAL_TRANSITION, ALREADY_RATED.
  Events: ticket:resumed, ticket:cancelled, ticket:rated, ticket:transferred.
]]
--- @include "prelude"
--- @include "begin"

local op = arg(1)
local function noWindow(id) return fail(E.UNKNOWN_WINDOW, 'No window "' .. id .. '" in this hall.') end
local function noTicket() return fail(E.UNKNOWN_TICKET, 'No ticket with this id in the hall.') end

if op == 'resume' then
  local t = getTicket(arg(2))
  if not t then return noTicket() end
  if t.state ~= 'parked' then return illegal(t, 'parked') end
  requeue(t)
  putTicket(t)
  return emit({ type = 'ticket:resumed', ticket = t })
end

if op == 'cancel' then
  local t = getTicket(arg(2))
  if not t then return noTicket() end
  if t.state ~= 'waiting' and t.state ~= 'called' and t.state ~= 'parked' then return illegal(t, 'waiting or called or parked') end
  local holding = nil
  if t.state == 'called' and t.windowId ~= NULL then
    holding = getWindow(t.windowId)
    if not holding then return noWindow(t.windowId) end
  end
  if t.state == 'waiting' then dequeue(t) end
  t.state = 'cancelled'
  t.endedAt = NOW
  putTicket(t)
  local ev = { type = 'ticket:cancelled', ticket = t, window = NULL }
  release(ev, holding)
  return emit(ev)
end

if op == 'rate' then
  local w = getWindow(arg(3))
  if not w then return noWindow(arg(3)) end
  local t = getTicket(arg(2))
  if not t then return noTicket() end
  if t.state ~= 'finished' or t.windowId ~= w.id then
    return fail(E.ILLEGAL_TRANSITION, 'Only a ticket finished at this window can be rated here.')
  end
  if t.rating ~= NULL then return fail(E.ALREADY_RATED, 'This ticket has already been rated.') end
  local r = tonumber(arg(4))
  t.rating = r
  putTicket(t)
  stat('rating:' .. r)
  if t.staffId ~= NULL then stat('staff:' .. t.staffId .. ':rating:' .. r) end
  return emit({ type = 'ticket:rated', ticket = t })
end

if op == 'transfer' then
  local ticketId, fromId, toServiceId, toWindowId = arg(2), arg(3), arg(4), arg(5)
  local t = nil
  if fromId ~= '' then
    local from = getWindow(fromId)
    if not from then return noWindow(fromId) end
    if from.ticketId ~= NULL then t = getTicket(from.ticketId) end
    if not t then return fail(E.WINDOW_IDLE, 'The window has no called or serving ticket.') end
  else
    t = getTicket(ticketId)
    if not t then return noTicket() end
  end
  if ticketId ~= '' and t.id ~= ticketId then return fail(E.ILLEGAL_TRANSITION, 'That ticket is not at this window.') end
  if t.state ~= 'waiting' and t.state ~= 'called' and t.state ~= 'serving' and t.state ~= 'parked' then
    return illegal(t, 'waiting or called or serving or parked')
  end
  local toService = t.serviceId
  if toServiceId ~= '' then
    if not SVC_KEY[toServiceId] then return fail(E.UNKNOWN_SERVICE, 'No service "' .. toServiceId .. '" in this hall.') end
    toService = toServiceId
  end
  if toWindowId ~= '' then
    local target = getWindow(toWindowId)
    if not target then return noWindow(toWindowId) end
    if not contains(target.qualified, toService) then
      return fail(E.NOT_QUALIFIED, 'Window ' .. target.label.zh .. ' is not qualified for ' .. toService .. '.')
    end
  end
  local holding = nil
  if t.windowId ~= NULL and (t.state == 'called' or t.state == 'serving') then
    holding = getWindow(t.windowId)
    if not holding then return noWindow(t.windowId) end
  end
  if t.state == 'waiting' then dequeue(t) end
  local fromServiceId = t.serviceId
  if #t.bundle > 0 then t.bundle[t.bundleStep + 1] = toService end
  t.serviceId = toService
  if toWindowId ~= '' then t.targetWindowId = toWindowId else t.targetWindowId = NULL end
  requeue(t)
  putTicket(t)
  local ev = { type = 'ticket:transferred', ticket = t, window = NULL, fromServiceId = fromServiceId }
  release(ev, holding)
  return emit(ev)
end

return redis.error_reply('ticket: unknown op ' .. tostring(op))
