--[[
  windowTicket: what a window does with the ticket it holds — recall (重呼), start, finish (办结),
  noShow (过号), park (挂起).

  Invariant: only the window's current ticket moves, and only from a state the domain allows
  (recall/start/noShow: called; finish/park: called or serving); the window is freed in the same
  step as the ticket leaves it. A bundle ticket (一件事) that finishes a step goes back to the
  queue of its next service with its original arrival time.

  KEYS: the common layout of includes/prelude.lua.
  ARGV: the common layout, then
    arg(1) op: recall | start | finish | noShow | park
    arg(2) window id
    arg(3) park reason ("" otherwise)    arg(4) missing documents as a JSON array ("[]")

  Returns { 1, event } / { 0, first event } / { code, message }: UNKNOWN_HALL, DAY_STALE,
  UNKNOWN_WINDOW, WINDOW_IDLE, ILLEGAL_TRANSITION.
  Events: ticket:called (recall = true), ticket:started, ticket:finished, ticket:noShow, ticket:parked.
]]
--- @include "prelude"
--- @include "begin"

local op = arg(1)
local w = getWindow(arg(2))
if not w then return fail(E.UNKNOWN_WINDOW, 'No window "' .. arg(2) .. '" in this hall.') end
local t = nil
if w.ticketId ~= NULL then t = getTicket(w.ticketId) end
if not t then return fail(E.WINDOW_IDLE, 'The window has no called or serving ticket.') end

if op == 'recall' then
  if t.state ~= 'called' then return illegal(t, 'called') end
  t.recalls = t.recalls + 1
  t.calledAt = NOW
  putTicket(t)
  pushRecent(t, w.id)
  return emit({ type = 'ticket:called', ticket = t, window = w, recall = true, waitSec = math.max(0, (NOW - t.queuedAt) / 1000) })
end

if op == 'start' then
  if t.state ~= 'called' then return illegal(t, 'called') end
  t.state = 'serving'
  t.servingAt = NOW
  putTicket(t)
  return emit({ type = 'ticket:started', ticket = t, window = w })
end

if op == 'finish' then
  if t.state ~= 'called' and t.state ~= 'serving' then return illegal(t, 'called or serving') end
  local from = NOW
  if t.servingAt ~= NULL then from = t.servingAt elseif t.calledAt ~= NULL then from = t.calledAt end
  local serviceMs = math.max(0, NOW - from)
  local serviceId = t.serviceId
  w.ticketId = NULL
  w.servedToday = w.servedToday + 1
  w.lastFinishedId = t.id
  local nextStep = t.bundleStep + 1
  if nextStep < #t.bundle then
    t.serviceId = t.bundle[nextStep + 1]
    t.bundleStep = nextStep
    requeue(t)
  else
    t.state = 'finished'
    t.endedAt = NOW
  end
  putTicket(t)
  putWindow(w)
  stat('finished:' .. serviceId)
  if t.staffId ~= NULL then
    stat('staff:' .. t.staffId .. ':served')
    statf('staff:' .. t.staffId .. ':serviceMs', serviceMs)
  end
  return emit({ type = 'ticket:finished', ticket = t, window = w, serviceId = serviceId, serviceSec = serviceMs / 1000 })
end

if op == 'noShow' then
  if t.state ~= 'called' then return illegal(t, 'called') end
  t.state = 'noShow'
  t.endedAt = NOW
  w.ticketId = NULL
  putTicket(t)
  putWindow(w)
  stat('noShows:' .. t.serviceId)
  return emit({ type = 'ticket:noShow', ticket = t, window = w })
end

if op == 'park' then
  if t.state ~= 'called' and t.state ~= 'serving' then return illegal(t, 'called or serving') end
  t.state = 'parked'
  t.parkReason = arg(3)
  t.missingDocs = cjson.decode(arg(4))
  t.windowId = w.id
  t.calledAt = NULL
  t.servingAt = NULL
  w.ticketId = NULL
  putTicket(t)
  putWindow(w)
  return emit({ type = 'ticket:parked', ticket = t, window = w })
end

return redis.error_reply('windowTicket: unknown op ' .. tostring(op))
