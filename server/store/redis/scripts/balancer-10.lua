--[[
  balancer: the balancer's mode (off / suggest / auto), its suggestions to the manager, and the
  manager's decision on one.

  Invariant: at most one open suggestion per window (a newer one replaces it); a suggestion is
  closed once; a suggestion only names services the window is qualified for; an approved
  suggestion changes what the window serves in the same step as it closes.

  KEYS: the common layout of includes/prelude.lua.
  ARGV: the common layout, then arg(1) op and
    setMode: arg(2) mode
    suggest: arg(2) suggestion id, arg(3) window id, arg(4) serving JSON array, arg(5) reason JSON
    decide:  arg(2) suggestion id, arg(3) "1" approve / "0" reject

  Returns { 1, event } / { 0, first event } / { code, message }: UNKNOWN_HALL, DAY_STALE,
  UNKNOWN_WINDOW, NOT_QUALIFIED, UNKNOWN_SUGGESTION.
  Events: balancer:modeChanged, balancer:suggested, balancer:suggestionClosed (with the window when approved).
]]
--- @include "prelude"
--- @include "begin"

local op = arg(1)

if op == 'setMode' then
  redis.call('HSET', KEYS[1], 'mode', arg(2))
  return emit({ type = 'balancer:modeChanged', mode = arg(2) })
end

if op == 'suggest' then
  local w = getWindow(arg(3))
  if not w then return fail(E.UNKNOWN_WINDOW, 'No window "' .. arg(3) .. '" in this hall.') end
  local serving = cjson.decode(arg(4))
  for _, s in ipairs(serving) do
    if not contains(w.qualified, s) then return fail(E.NOT_QUALIFIED, 'The window is not qualified for that service.') end
  end
  local suggestion = { id = arg(2), windowId = w.id, serving = serving, reason = cjson.decode(arg(5)), at = NOW }
  local kept = {}
  for _, s in ipairs(loadSuggestions()) do
    if s.windowId ~= w.id then kept[#kept + 1] = s end
  end
  kept[#kept + 1] = suggestion
  saveSuggestions(kept)
  return emit({ type = 'balancer:suggested', suggestion = suggestion })
end

if op == 'decide' then
  local id = arg(2)
  local found, kept = nil, {}
  for _, s in ipairs(loadSuggestions()) do
    if s.id == id then found = s else kept[#kept + 1] = s end
  end
  if not found then return fail(E.UNKNOWN_SUGGESTION, 'No open balancer suggestion with this id.') end
  if arg(3) ~= '1' then
    saveSuggestions(kept)
    return emit({ type = 'balancer:suggestionClosed', suggestionId = id, outcome = 'rejected', window = NULL })
  end
  -- Approved: the window serves the suggested services in the same step.
  local w = getWindow(found.windowId)
  if not w then return fail(E.UNKNOWN_WINDOW, 'No window "' .. found.windowId .. '" in this hall.') end
  w.serving = found.serving
  putWindow(w)
  saveSuggestions(kept)
  return emit({ type = 'balancer:suggestionClosed', suggestionId = id, outcome = 'approved', window = w })
end

return redis.error_reply('balancer: unknown op ' .. tostring(op))
