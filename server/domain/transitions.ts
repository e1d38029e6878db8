/**
 * The ticket and window state machine as pure functions: given what the hall looks like now and a
 * command, the events it causes, or a refusal (HallCallError). The one rulebook: no I/O here, and no
 * rule anywhere else. Stores decide on their replica of the hall (store/replica.ts) and only
 * commit what this returns.
 */
import { HallCallError, windowRefusal, type Availability, type BalancerSuggestion, type Bilingual, type HallStats, type Ticket, type Window, type WindowCommand } from "../../protocol/index.js";
import { serviceHours, type HallConfig, type ServiceConfig } from "./config.js";
import { businessDate } from "./clock.js";
import { closedNotice, nextOpening, openAt } from "./calendar.js";
import { decideCheckIn, quotaSplit, slotStart } from "./booking.js";
import type { CommandContext, EventBody, StoreCommand } from "./hall-commands.js";
import { compareQueued, pickMostUrgent, type QueueHead } from "./dispatch.js";
import { decidePadRating, decideWholeRating } from "./rating.js";

/** Read access to one hall's state, as the domain needs it. */
export interface HallView {
  config: HallConfig;
  businessDate: string;
  window(id: string): Window | undefined;
  /** Any ticket of the current business day, ended ones included. */
  ticket(id: string): Ticket | undefined;
  /** Every waiting ticket, in no particular order. */
  waiting(): Iterable<Ticket>;
  /** Every ticket not ended (waiting, called, serving, parked), in no particular order. */
  live(): Iterable<Ticket>;
  issuedToday(serviceId: string): number;
  /** Walk-in tickets of the service issued today (not checked-in bookings). */
  walkInsToday(serviceId: string): number;
  suggestion(id: string): BalancerSuggestion | undefined;
  /** The open suggestions, oldest first. */
  suggestions(): BalancerSuggestion[];
}

export const fail = (code: ConstructorParameters<typeof HallCallError>[0], message?: string): never => {
  throw new HallCallError(code, message);
};

export function serviceOf(config: HallConfig, id: string): ServiceConfig {
  return config.services.find((s) => s.id === id) ?? fail("UNKNOWN_SERVICE", `No service "${id}" in this hall.`);
}

export function rankOf(config: HallConfig, priority: string): number {
  return config.priorityClasses.find((p) => p.id === priority)?.rank ?? 0;
}

/** Whether a walk-in ticket can be taken for a service now, and what its screens say about it. */
export interface ServiceAvailability {
  availability: Availability;
  /** Walk-in tickets still to be issued today (号源 less the share kept for bookings). */
  quotaLeft: number;
  /** When closed: the next opening, ms (null when none within a year); null while open. */
  opensAt: number | null;
  /** When closed: 暂停取号，周六 09:00 开始办理; null while open. */
  notice: Bilingual | null;
}

/** Walk-in tickets of a service issued today: every ticket but those checked in for a booking. */
export const walkInsIssued = (stats: Pick<HallStats, "issued" | "booked">, serviceId: string): number => (stats.issued[serviceId] ?? 0) - (stats.booked[serviceId] ?? 0);

/** Whether a walk-in can be issued for a service now: its hours on the hall's calendar, then its walk-in quota (号源). */
export function serviceAvailability(config: HallConfig, service: ServiceConfig, walkIns: number, now: number): ServiceAvailability {
  const quotaLeft = Math.max(0, quotaSplit(service).walkIn - walkIns);
  const hours = serviceHours(service);
  if (!openAt(hours, now, config.calendar, config.timezone)) {
    const next = nextOpening(hours, now, config.calendar, config.timezone);
    return { availability: "closed", quotaLeft, opensAt: next?.at ?? null, notice: closedNotice(next, businessDate(now, config.timezone)) };
  }
  return { availability: quotaLeft > 0 ? "open" : "quotaExhausted", quotaLeft, opensAt: null, notice: null };
}

function checkIssuable(view: HallView, serviceIds: string[], priority: string, now: number): ServiceConfig {
  const { config } = view;
  if (!config.priorityClasses.some((p) => p.id === priority)) fail("UNKNOWN_PRIORITY", `No priority class "${priority}" in this hall.`);
  const first = serviceOf(config, serviceIds[0]!);
  serviceIds.slice(1).forEach((id) => serviceOf(config, id));
  const a = serviceAvailability(config, first, view.walkInsToday(first.id), now);
  if (a.availability === "closed") throw new HallCallError("SERVICE_CLOSED", `${first.name.zh}：${a.notice!.zh} / ${first.name.en}: ${a.notice!.en}`, { opensAt: a.opensAt, notice: a.notice! });
  if (a.availability === "quotaExhausted") fail("QUOTA_EXHAUSTED", `${first.name.zh} / ${first.name.en}: all ${quotaSplit(first).walkIn} walk-in tickets of today are issued.`);
  return first;
}

function windowOf(view: HallView, id: string): Window {
  return view.window(id) ?? fail("UNKNOWN_WINDOW", `No window "${id}" in this hall.`);
}

function ticketOf(view: HallView, id: string): Ticket {
  return view.ticket(id) ?? fail("UNKNOWN_TICKET");
}

/** The window and the ticket at it, when the window's state allows the command (protocol's WINDOW_RULES). */
function atWindow(view: HallView, cmd: WindowCommand, windowId: string): { w: Window; t: Ticket } {
  const w = windowOf(view, windowId);
  const t = w.ticketId ? view.ticket(w.ticketId) : undefined;
  const refusal = windowRefusal(cmd, w, t);
  if (refusal) fail(refusal.code, refusal.message);
  return { w, t: t! };
}

function requireState(t: Ticket, ...states: Ticket["state"][]): void {
  if (!states.includes(t.state)) fail("ILLEGAL_TRANSITION", `Ticket ${t.number} is ${t.state}; this needs ${states.join(" or ")}.`);
}

const freed = (w: Window, patch: Partial<Window> = {}): Window => ({ ...w, ticketId: null, ...patch });

/** Back in a queue (resume, transfer, next bundle step): its original arrival keeps its place. */
const requeued = (t: Ticket, now: number, patch: Partial<Ticket> = {}): Ticket => ({
  ...t,
  state: "waiting",
  queuedAt: now,
  windowId: null,
  calledAt: null,
  servingAt: null,
  recalls: 0,
  ...patch,
});

/** The next ticket for a window under the dispatch rule, or null when none waits for it. */
export function nextFor(view: HallView, w: Window, now: number): Ticket | null {
  const heads = new Map<string, Ticket>();
  const keyOf = (t: Ticket) => (t.targetWindowId ? `w:${t.targetWindowId}` : `s:${t.serviceId}`);
  for (const t of view.waiting()) {
    if (t.targetWindowId ? t.targetWindowId !== w.id : !w.serving.includes(t.serviceId)) continue;
    const k = keyOf(t);
    const cur = heads.get(k);
    const a = { rank: rankOf(view.config, t.priority), arrivedAt: t.arrivedAt, id: t.id };
    if (!cur || compareQueued(a, { rank: rankOf(view.config, cur.priority), arrivedAt: cur.arrivedAt, id: cur.id }) < 0) heads.set(k, t);
  }
  // The window's own queue first, then its services in preference order: ties go to the earlier.
  const order = (t: Ticket) => (t.targetWindowId ? -1 : w.serving.indexOf(t.serviceId));
  const candidates: QueueHead[] = [...heads.values()].sort((a, b) => order(a) - order(b)).map((t) => ({
    ticketId: t.id,
    rank: rankOf(view.config, t.priority),
    arrivedAt: t.arrivedAt,
    targetWaitMin: serviceOf(view.config, t.serviceId).targetWaitMin,
    preferenceIndex: t.targetWindowId ? 0 : w.serving.indexOf(t.serviceId),
  }));
  const best = pickMostUrgent(candidates, now, view.config.dispatch.primaryPreference);
  return best ? view.ticket(best.ticketId)! : null;
}

interface NewTicket {
  priority: string;
  channel: Ticket["channel"];
  /** Its place in the queue: now for a walk-in, the slot start for an on-time booking. */
  arrivedAt: number;
  bundle: string[];
  appointment: Ticket["appointment"];
}

/** A ticket issued now: the service's next number, and how many of its queue are ahead (printed on it). */
function issued(view: HallView, ctx: CommandContext, svc: ServiceConfig, t: NewTicket): EventBody {
  const now = ctx.now;
  const ticket: Ticket = {
    id: ctx.newTicketId ?? fail("INTERNAL", "no ticket id"),
    number: `${svc.prefix}${String(view.issuedToday(svc.id) + 1).padStart(3, "0")}`,
    serviceId: svc.id,
    priority: t.priority,
    channel: t.channel,
    state: "waiting",
    businessDate: view.businessDate,
    issuedAt: now,
    arrivedAt: t.arrivedAt,
    queuedAt: now,
    calledAt: null,
    servingAt: null,
    endedAt: null,
    windowId: null,
    targetWindowId: null,
    recalls: 0,
    bundle: t.bundle,
    bundleStep: 0,
    parkReason: null,
    missingDocs: [],
    rating: null,
    served: [],
    staffId: null,
    etaSec: ctx.issueEtaSec == null ? null : Math.round(ctx.issueEtaSec),
    appointment: t.appointment,
  };
  const mine = { rank: rankOf(view.config, ticket.priority), arrivedAt: ticket.arrivedAt, id: ticket.id };
  let ahead = 0;
  for (const x of view.waiting()) if (x.serviceId === svc.id && compareQueued({ rank: rankOf(view.config, x.priority), arrivedAt: x.arrivedAt, id: x.id }, mine) < 0) ahead++;
  return { type: "ticket:issued", ticket, ahead };
}

/** Whether `now` is past the hall's business day, so that the next command starts a new one first. */
export function dayDue(view: Pick<HallView, "config" | "businessDate">, now: number): boolean {
  return businessDate(now, view.config.timezone) > view.businessDate;
}

/**
 * The events a command causes, the command's own first. Most cause one; an approved suggestion
 * also changes its window, told as `window:changed` like every other change of what a window
 * serves, and turning the balancer off closes its open suggestions.
 */
export function decide(view: HallView, cmd: StoreCommand, ctx: CommandContext): EventBody[] {
  const decided = decideOne(view, cmd, ctx);
  return withWindowRevisions(view, Array.isArray(decided) ? decided : [decided]);
}

/** Each event that carries a window carries its next revision (Window.rev), in order. */
function withWindowRevisions(view: HallView, events: EventBody[]): EventBody[] {
  const revs = new Map<string, number>();
  return events.map((e) => {
    if (!("window" in e) || !e.window) return e;
    const rev = (revs.get(e.window.id) ?? view.window(e.window.id)?.rev ?? 0) + 1;
    revs.set(e.window.id, rev);
    return { ...e, window: { ...e.window, rev } } as EventBody;
  });
}

function decideOne(view: HallView, cmd: StoreCommand, ctx: CommandContext): EventBody | EventBody[] {
  const { now } = ctx;
  switch (cmd.name) {
    case "hall:startDay":
      if (!dayDue(view, now)) fail("ILLEGAL_TRANSITION", `The business day ${view.businessDate} has already started.`);
      return { type: "hall:dayStarted", businessDate: businessDate(now, view.config.timezone) };
    case "ticket:issue": {
      const p = cmd.payload;
      const services = [p.serviceId, ...p.then];
      const svc = checkIssuable(view, services, p.priority, now);
      // Who issues decides the channel: a counter on a citizen's behalf, a kiosk; a phone names its own.
      // Only a check-in makes an appointment ticket: it alone takes the bookings' share of the quota.
      const named = p.channel && p.channel !== "appointment" ? p.channel : "kiosk";
      const channel = ctx.by === "staff" ? "staff" : ctx.by === "kiosk" ? "kiosk" : named;
      return issued(view, ctx, svc, { priority: p.priority, channel, arrivedAt: now, bundle: services.length > 1 ? services : [], appointment: null });
    }
    case "ticket:checkIn": {
      const b = cmd.payload.booking;
      const svc = serviceOf(view.config, b.serviceId);
      // One ticket per booking, even if the idempotency record of its first check-in were lost.
      for (const t of view.live()) if (t.appointment?.bookingId === b.id) fail("BOOKING_ENDED", `This booking is already checked in as ticket ${t.number}.`);
      if (!view.config.priorityClasses.some((x) => x.id === cmd.payload.priority)) fail("UNKNOWN_PRIORITY", `No priority class "${cmd.payload.priority}" in this hall.`);
      if (b.date !== businessDate(now, view.config.timezone)) fail("BOOKING_CLOSED", `This booking is for ${b.date}; check in on that day.`);
      const start = slotStart(b.date, b.slot, view.config.timezone);
      const at = decideCheckIn(view.config.booking, start, now);
      // A late walk-in needs the service open now, like any walk-in; an on-time one has its slot inside the hours.
      if (!at.onTime) {
        const a = serviceAvailability(view.config, svc, view.walkInsToday(svc.id), now);
        if (a.availability === "closed") throw new HallCallError("SERVICE_CLOSED", `${svc.name.zh}：${a.notice!.zh} / ${svc.name.en}: ${a.notice!.en}`, { opensAt: a.opensAt, notice: a.notice! });
      }
      return issued(view, ctx, svc, { priority: cmd.payload.priority, channel: "appointment", arrivedAt: at.arrivedAt, bundle: [], appointment: { bookingId: b.id, slot: b.slot, slotStart: start, name: b.name, onTime: at.onTime } });
    }
    case "window:callNext": {
      const { w } = atWindow(view, cmd.name, cmd.payload.windowId);
      const t = nextFor(view, w, now) ?? fail("QUEUE_EMPTY");
      const ticket: Ticket = { ...t, state: "called", calledAt: now, windowId: w.id, targetWindowId: null, staffId: w.staffId };
      return { type: "ticket:called", ticket, window: { ...w, ticketId: t.id }, recall: false, waitSec: Math.max(0, (now - t.queuedAt) / 1000), chosen: null };
    }
    case "window:callTicket": {
      const { w } = atWindow(view, cmd.name, cmd.payload.windowId);
      const t = ticketOf(view, cmd.payload.ticketId);
      requireState(t, "waiting");
      if (t.targetWindowId ? t.targetWindowId !== w.id : !w.qualified.includes(t.serviceId)) fail("NOT_QUALIFIED", `Window ${w.label.zh} is not qualified for ticket ${t.number}.`);
      const ticket: Ticket = { ...t, state: "called", calledAt: now, windowId: w.id, targetWindowId: null, staffId: w.staffId };
      return { type: "ticket:called", ticket, window: { ...w, ticketId: t.id }, recall: false, waitSec: Math.max(0, (now - t.queuedAt) / 1000), chosen: { reason: cmd.payload.reason, staffId: ctx.staffId } };
    }
    case "window:recall": {
      const { w, t } = atWindow(view, cmd.name, cmd.payload.windowId);
      const ticket: Ticket = { ...t, recalls: t.recalls + 1, calledAt: now };
      return { type: "ticket:called", ticket, window: w, recall: true, waitSec: Math.max(0, (now - t.queuedAt) / 1000), chosen: null };
    }
    case "ticket:start": {
      const { w, t } = atWindow(view, cmd.name, cmd.payload.windowId);
      return { type: "ticket:started", ticket: { ...t, state: "serving", servingAt: now }, window: w };
    }
    case "ticket:finish": {
      const { w, t } = atWindow(view, cmd.name, cmd.payload.windowId);
      const serviceSec = Math.max(0, (now - (t.servingAt ?? t.calledAt ?? now)) / 1000);
      const window = freed(w, { servedToday: w.servedToday + 1, lastFinishedId: t.id });
      const nextStep = t.bundleStep + 1;
      // A bundle keeps each step's service event, for its pad's rating of that step.
      const served = t.bundle.length ? [...t.served, { step: t.bundleStep, serviceId: t.serviceId, windowId: w.id, staffId: t.staffId, endedAt: now, rating: null }] : t.served;
      const ticket: Ticket =
        nextStep < t.bundle.length
          ? requeued(t, now, { serviceId: t.bundle[nextStep]!, bundleStep: nextStep, served })
          : { ...t, state: "finished", endedAt: now, served };
      return { type: "ticket:finished", ticket, window, serviceId: t.serviceId, serviceSec };
    }
    case "ticket:noShow": {
      const { w, t } = atWindow(view, cmd.name, cmd.payload.windowId);
      return { type: "ticket:noShow", ticket: { ...t, state: "noShow", endedAt: now }, window: freed(w) };
    }
    case "ticket:park": {
      const { w, t } = atWindow(view, cmd.name, cmd.payload.windowId);
      const ticket: Ticket = { ...t, state: "parked", parkReason: cmd.payload.reason, missingDocs: cmd.payload.missingDocs, windowId: w.id, calledAt: null, servingAt: null };
      return { type: "ticket:parked", ticket, window: freed(w) };
    }
    case "ticket:resume": {
      const t = ticketOf(view, cmd.payload.ticketId);
      requireState(t, "parked");
      return { type: "ticket:resumed", ticket: requeued(t, now) };
    }
    case "ticket:transfer": {
      const p = cmd.payload;
      const t = p.windowId ? atWindow(view, cmd.name, p.windowId).t : ticketOf(view, p.ticketId!);
      if (p.ticketId && t.id !== p.ticketId) fail("ILLEGAL_TRANSITION", "That ticket is not at this window.");
      requireState(t, "waiting", "called", "serving", "parked");
      const toService = p.toServiceId ? serviceOf(view.config, p.toServiceId).id : t.serviceId;
      if (p.toWindowId) {
        const target = windowOf(view, p.toWindowId);
        if (!target.qualified.includes(toService)) fail("NOT_QUALIFIED", `Window ${target.label.zh} is not qualified for ${toService}.`);
      }
      const bundle = t.bundle.length ? t.bundle.map((s, i) => (i === t.bundleStep ? toService : s)) : [];
      const ticket = requeued(t, now, { serviceId: toService, bundle, targetWindowId: p.toWindowId ?? null });
      const holding = t.windowId && (t.state === "called" || t.state === "serving") ? windowOf(view, t.windowId) : null;
      return { type: "ticket:transferred", ticket, window: holding ? freed(holding) : null, fromServiceId: t.serviceId };
    }
    case "ticket:cancel": {
      const t = ticketOf(view, cmd.payload.ticketId);
      requireState(t, "waiting", "called", "parked");
      const holding = t.state === "called" && t.windowId ? windowOf(view, t.windowId) : null;
      return { type: "ticket:cancelled", ticket: { ...t, state: "cancelled", endedAt: now }, window: holding ? freed(holding) : null };
    }
    case "ticket:rate": {
      const w = windowOf(view, cmd.payload.windowId);
      const { ticket, step } = decidePadRating(ticketOf(view, cmd.payload.ticketId), w.id, cmd.payload.rating, cmd.payload.step);
      return { type: "ticket:rated", ticket, scope: "service", step };
    }
    case "ticket:rateWhole":
      return { type: "ticket:rated", ticket: decideWholeRating(ticketOf(view, cmd.payload.ticketId), cmd.payload.rating), scope: "whole", step: null };
    case "window:open": {
      const { w } = atWindow(view, cmd.name, cmd.payload.windowId);
      // The counter who opens the window is the one its calls are credited to.
      const staffId = ctx.by === "staff" && ctx.staffId ? ctx.staffId : w.staffId;
      return { type: "window:changed", window: { ...w, state: "open", pauseReason: null, staffId }, change: "opened", reason: null, by: byOf(ctx) };
    }
    case "window:pause": {
      const { w } = atWindow(view, cmd.name, cmd.payload.windowId);
      const reason = cmd.payload.reason;
      return { type: "window:changed", window: { ...w, state: "paused", pauseReason: reason }, change: "paused", reason: { zh: reason, en: reason }, by: byOf(ctx) };
    }
    case "window:resume": {
      const { w } = atWindow(view, cmd.name, cmd.payload.windowId);
      return { type: "window:changed", window: { ...w, state: "open", pauseReason: null }, change: "resumed", reason: null, by: byOf(ctx) };
    }
    case "window:close": {
      const { w } = atWindow(view, cmd.name, cmd.payload.windowId);
      return { type: "window:changed", window: { ...w, state: "closed", pauseReason: null, staffId: null }, change: "closed", reason: null, by: byOf(ctx) };
    }
    case "window:setServing":
    case "balancer:apply": {
      const w = windowOf(view, cmd.payload.windowId);
      const serving = [...new Set(cmd.payload.serving)];
      for (const s of serving) {
        serviceOf(view.config, s);
        if (!w.qualified.includes(s)) fail("NOT_QUALIFIED", `Window ${w.label.zh} is not qualified for ${s}.`);
      }
      if (serving.length === 0) fail("VALIDATION", "A window serves at least one service.");
      const reason = cmd.name === "balancer:apply" ? cmd.payload.reason : null;
      return { type: "window:changed", window: { ...w, serving }, change: "servingChanged", reason, by: cmd.name === "balancer:apply" ? "balancer" : "manager" };
    }
    case "window:signIn": {
      const w = windowOf(view, cmd.payload.windowId);
      return { type: "window:changed", window: { ...w, staffId: cmd.payload.staffId, state: w.state === "closed" ? "open" : w.state, pauseReason: w.state === "closed" ? null : w.pauseReason }, change: "signedIn", reason: null, by: "staff" };
    }
    case "balancer:setMode": {
      const changed: EventBody = { type: "balancer:modeChanged", mode: cmd.payload.mode };
      if (cmd.payload.mode !== "off") return changed;
      // A balancer turned off leaves nothing to approve.
      return [changed, ...view.suggestions().map((x): EventBody => ({ type: "balancer:suggestionClosed", suggestionId: x.id, outcome: "expired", window: null }))];
    }
    case "balancer:suggest": {
      const w = windowOf(view, cmd.payload.windowId);
      for (const s of cmd.payload.serving) if (!w.qualified.includes(s)) fail("NOT_QUALIFIED");
      return { type: "balancer:suggested", suggestion: { id: cmd.payload.suggestionId, windowId: w.id, serving: cmd.payload.serving, reason: cmd.payload.reason, at: now } };
    }
    case "balancer:decide": {
      const s = view.suggestion(cmd.payload.suggestionId) ?? fail("UNKNOWN_SUGGESTION");
      if (!cmd.payload.approve) return { type: "balancer:suggestionClosed", suggestionId: s.id, outcome: "rejected", window: null };
      const w = windowOf(view, s.windowId);
      for (const id of s.serving) if (!w.qualified.includes(id)) fail("NOT_QUALIFIED", `Window ${w.label.zh} is no longer qualified for ${id}.`);
      const window = { ...w, serving: s.serving };
      return [
        { type: "balancer:suggestionClosed", suggestionId: s.id, outcome: "approved", window },
        { type: "window:changed", window, change: "servingChanged", reason: s.reason, by: "manager" },
      ];
    }
  }
}

function byOf(ctx: CommandContext): "staff" | "manager" | "balancer" {
  return ctx.by === "manager" ? "manager" : ctx.by === "balancer" ? "balancer" : "staff";
}
