/**
 * 预计等待 (ETA): when will each waiting ticket be called?
 *
 * The predictor plays the hall forward with the real dispatch rule (dispatch.ts: priority rank,
 * then wait relative to target with the primary-service preference) over the windows that are
 * open now, each serving exactly the services it serves now:
 *
 * - a busy window frees after the rest of its current call (measured mean occupancy of that
 *   service minus the time already spent, never less than a fraction of the mean);
 * - each call then keeps the window for the service's measured mean occupancy (no-shows included);
 * - expected future walk-ins (measured rate per service, the measured share of priority tickets)
 *   join the queues as they would, because they take windows too and priority ones go ahead;
 * - bookings still to come (`booked`, from the day's bookings: rates.ts `bookedArrivals`) join
 *   their service's queue when their slot starts (or now, once it has started), placed by the slot
 *   start as an on-time check-in will be (transitions.ts `ticket:checkIn`): a booking for 10:00
 *   that checks in at 10:05 goes ahead of a walk-in who came at 10:02. A booking either comes or
 *   does not, so the forecast plays the likelier of the two: one at least as likely to come as
 *   not comes, another does not (a wait shown to a citizen should be the one most likely to
 *   happen, which minimises its error; summing fractions of calls would describe no real day);
 * - the result per ticket is the time until its predicted call. A "probe" per service gives the
 *   wait of a ticket issued now without taking any capacity.
 *
 * Pure: a snapshot and a rates view in, numbers out. One pass serves every waiting ticket of the
 * hall, so the server publishes one QueueSummary per hall per change, never one message per ticket.
 */
import type { HallSnapshot, QueueSummary, StaffingAdvice, Ticket, Window } from "../../protocol/index.js";
import { compareQueued, pickMostUrgent, type QueueHead } from "./dispatch.js";
import { staffingAdvice } from "./staffing.js";
import { serviceAvailability, walkInsIssued } from "./transitions.js";
import type { HallConfig } from "./config.js";
import type { RatesView } from "./rates.js";

export interface EtaOptions {
  /** The hall's `dispatch.primaryPreference` (config), so the forecast uses the same rule. */
  primaryPreference: number;
  /** Let expected future arrivals compete for windows (default true). */
  futureArrivals: boolean;
  /** Give up (and report this wait) beyond this many seconds. */
  horizonSec: number;
  /**
   * Expected arrivals are played only this far ahead. Rates measured over a short, bursty stretch
   * can exceed a service's capacity; beyond this the forecast would only compound that guess.
   */
  arrivalsHorizonSec: number;
  /** A busy window's remaining time is at least this fraction of its service's mean. */
  minResidual: number;
  /** Predict waits for a ticket issued now in each service (default true). */
  probes: boolean;
  /** What-if: serving lists to use instead of the windows' own. */
  serving?: Record<string, string[]>;
  /** Stop once these tickets have a prediction (the simulator asks for one new ticket). */
  only?: ReadonlySet<string>;
  /** Bookings still to come today (not checked in), played into the queues at their slot start. */
  booked?: readonly BookedArrival[];
}

/**
 * A booking expected to check in on time: its ticket will take the slot start as its place in
 * its service's queue. Made from the day's bookings by rates.ts `bookedArrivals`.
 */
export interface BookedArrival {
  serviceId: string;
  /** Slot start, ms. */
  at: number;
  /** Rank of its priority class when known (default 0, normal). */
  priorityRank?: number;
  /** Likelihood that it comes on time, 0–1 (default 1). The forecast plays it when at least 0.5; load figures add it up. */
  weight?: number;
  /** The booking's id: a ticket in the snapshot that carries it has checked in and counts instead. */
  bookingId?: string;
}

export const DEFAULT_ETA_OPTIONS: EtaOptions = { primaryPreference: 0.2, futureArrivals: true, horizonSec: 8 * 3600, arrivalsHorizonSec: 3600, minResidual: 0.3, probes: true };

export interface Forecast {
  at: number;
  /** Seconds from `at` until each waiting ticket's predicted call. */
  waitSec: Map<string, number>;
  /** Per service: waiting ticket ids in predicted call order. */
  order: Map<string, string[]>;
  /** Per service: predicted wait of a ticket issued at `at` (normal priority). */
  newTicketSec: Map<string, number>;
  /** Waits of this many seconds mean "not reached": no open window, or beyond the horizon. */
  horizonSec: number;
}

/** A booking at least this likely to come is played as coming (see the file comment). */
const LIKELY = 0.5;

const Kind = { Real: 0, Future: 1, Probe: 2 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

interface Item {
  id: string;
  serviceId: string;
  rank: number;
  arrivedAt: number;
  kind: Kind;
}

interface Counter {
  id: string;
  serving: string[];
  freeAt: number;
}

/** Play the hall forward from `now`; see the file comment. */
export function forecast(snapshot: HallSnapshot, rates: RatesView, now: number, options: Partial<EtaOptions> = {}): Forecast {
  const opts = { ...DEFAULT_ETA_OPTIONS, ...options };
  const horizonAt = now + opts.horizonSec * 1000;
  const arrivalsUntil = now + opts.arrivalsHorizonSec * 1000;
  const rankOf = new Map(snapshot.priorityClasses.map((p) => [p.id, p.rank]));
  const targetMin = new Map(snapshot.services.map((s) => [s.id, s.targetWaitMin]));
  const occMs = new Map(snapshot.services.map((s) => [s.id, Math.max(1, rates.occupancySec(s.id)) * 1000]));
  const byId = new Map(snapshot.tickets.map((t) => [t.id, t]));
  const out: Forecast = { at: now, waitSec: new Map(), order: new Map(), newTicketSec: new Map(), horizonSec: opts.horizonSec };
  for (const s of snapshot.services) out.order.set(s.id, []);

  const counters: Counter[] = snapshot.windows
    .filter((w) => w.state === "open")
    .map((w) => ({ id: w.id, serving: opts.serving?.[w.id] ?? w.serving, freeAt: busyUntil(w, byId, occMs, now, opts.minResidual) }));
  const served = new Set(counters.flatMap((c) => c.serving));
  const openIds = new Set(counters.map((c) => c.id));

  // Queues: "s:<service>" for a service's queue, "w:<window>" for tickets transferred to one window.
  const queues = new Map<string, Item[]>();
  const push = (key: string, item: Item) => {
    const q = queues.get(key);
    if (q) q.push(item);
    else queues.set(key, [item]);
  };
  let pending = 0;
  for (const t of snapshot.tickets) {
    if (t.state !== "waiting") continue;
    const reachable = t.targetWindowId ? openIds.has(t.targetWindowId) : served.has(t.serviceId);
    const wanted = !opts.only || opts.only.has(t.id);
    if (!reachable) {
      if (wanted) out.waitSec.set(t.id, opts.horizonSec);
      continue;
    }
    push(t.targetWindowId ? `w:${t.targetWindowId}` : `s:${t.serviceId}`, { id: t.id, serviceId: t.serviceId, rank: rankOf.get(t.priority) ?? 0, arrivedAt: t.arrivedAt, kind: Kind.Real });
    if (wanted) pending++;
  }
  const order = (a: Item, b: Item) => compareQueued(a, b);
  for (const q of queues.values()) q.sort(order);

  let probes = 0;
  if (opts.probes && !opts.only) {
    for (const s of snapshot.services) {
      if (!served.has(s.id)) {
        out.newTicketSec.set(s.id, opts.horizonSec);
        continue;
      }
      push(`s:${s.id}`, { id: `\uffff~probe`, serviceId: s.id, rank: 0, arrivedAt: now, kind: Kind.Probe });
      probes++;
    }
  }

  // Expected future arrivals: evenly spaced at the measured rate, every 1/share-th one a priority ticket.
  const nextArrival = new Map<string, number>();
  const gapMs = new Map<string, number>();
  const share = Math.min(0.9, Math.max(0, rates.priorityShare()));
  const prioRank = rates.priorityRank();
  let prioCredit = 0.5;
  let futureN = 0;
  if (opts.futureArrivals) {
    for (const s of snapshot.services) {
      const perSec = rates.arrivalPerSec(s.id);
      if (perSec <= 0 || !served.has(s.id)) continue;
      const gap = 1000 / perSec;
      gapMs.set(s.id, gap);
      nextArrival.set(s.id, now + gap);
    }
  }
  // Bookings still to come are known, not guessed from a rate: they play as far as the horizon.
  const checkedIn = new Set(snapshot.tickets.map((t) => t.appointment?.bookingId));
  const booked = (opts.booked ?? [])
    .filter((b) => served.has(b.serviceId) && (b.weight ?? 1) >= LIKELY && !(b.bookingId && checkedIn.has(b.bookingId)))
    .map((b) => ({ comesAt: Math.max(now, b.at), b }))
    .sort((x, y) => x.comesAt - y.comesAt);
  let bookedNext = 0;
  const inject = (until: number) => {
    for (const [s, at] of nextArrival) {
      let t = at;
      while (t <= Math.min(until, arrivalsUntil)) {
        prioCredit += share;
        const prio = prioCredit >= 1;
        if (prio) prioCredit -= 1;
        insertSorted(queues, `s:${s}`, { id: `\uffff${String(futureN++).padStart(9, "0")}`, serviceId: s, rank: prio ? prioRank : 0, arrivedAt: t, kind: Kind.Future }, order);
        t += gapMs.get(s)!;
      }
      nextArrival.set(s, t);
    }
    for (; bookedNext < booked.length && booked[bookedNext]!.comesAt <= until; bookedNext++) {
      const { b } = booked[bookedNext]!;
      insertSorted(queues, `s:${b.serviceId}`, { id: `\uffffb${String(bookedNext).padStart(8, "0")}`, serviceId: b.serviceId, rank: b.priorityRank ?? 0, arrivedAt: b.at, kind: Kind.Future }, order);
    }
  };
  /** When something next comes that a window serving `serving` could take (Infinity: nothing will). */
  const nextComing = (serving: string[]) => {
    let next = Infinity;
    for (const s of serving) {
      const at = nextArrival.get(s);
      if (at !== undefined && at <= arrivalsUntil) next = Math.min(next, at);
    }
    for (let i = bookedNext; i < booked.length && booked[i]!.comesAt < next; i++) if (serving.includes(booked[i]!.b.serviceId)) return booked[i]!.comesAt;
    return next;
  };

  while (counters.length && (pending > 0 || probes > 0)) {
    let ci = 0;
    for (let i = 1; i < counters.length; i++) if (counters[i]!.freeAt < counters[ci]!.freeAt) ci = i;
    const c = counters[ci]!;
    const t = c.freeAt;
    if (t > horizonAt) break;
    inject(t);
    const heads: QueueHead[] = [];
    const keys: string[] = [];
    const own = queues.get(`w:${c.id}`);
    if (own?.length) {
      heads.push(headOf(own[0]!, targetMin, 0));
      keys.push(`w:${c.id}`);
    }
    c.serving.forEach((s, i) => {
      const q = queues.get(`s:${s}`);
      if (!q?.length) return;
      heads.push(headOf(q[0]!, targetMin, i));
      keys.push(`s:${s}`);
    });
    if (!heads.length) {
      // Idle until the next arrival it could take; a window nothing will come to drops out.
      const next = nextComing(c.serving);
      if (next === Infinity) counters.splice(ci, 1);
      else c.freeAt = next;
      continue;
    }
    const best = pickMostUrgent(heads, t, opts.primaryPreference)!;
    const key = keys[heads.indexOf(best)]!;
    const item = queues.get(key)!.shift()!;
    if (item.kind === Kind.Probe) {
      out.newTicketSec.set(item.serviceId, (t - now) / 1000);
      probes--;
      continue;
    }
    if (item.kind === Kind.Real && (!opts.only || opts.only.has(item.id))) {
      out.waitSec.set(item.id, (t - now) / 1000);
      out.order.get(item.serviceId)?.push(item.id);
      pending--;
    }
    c.freeAt = t + occMs.get(item.serviceId)!;
  }

  // Anything not reached within the horizon (or with no window left) waits at least that long.
  for (const [key, q] of queues) {
    for (const item of q) {
      if (item.kind === Kind.Probe) out.newTicketSec.set(item.serviceId, opts.horizonSec);
      else if (item.kind === Kind.Real && (!opts.only || opts.only.has(item.id))) {
        out.waitSec.set(item.id, opts.horizonSec);
        if (key.startsWith("s:")) out.order.get(item.serviceId)?.push(item.id);
      }
    }
  }
  return out;
}

function busyUntil(w: Window, byId: Map<string, Ticket>, occMs: Map<string, number>, now: number, minResidual: number): number {
  const t = w.ticketId ? byId.get(w.ticketId) : undefined;
  if (!t) return now;
  const mean = occMs.get(t.serviceId) ?? 480_000;
  const elapsed = now - (t.calledAt ?? now);
  return now + Math.max(mean - elapsed, mean * minResidual);
}

function headOf(item: Item, targetMin: Map<string, number>, preferenceIndex: number): QueueHead {
  return { ticketId: item.id, rank: item.rank, arrivedAt: item.arrivedAt, targetWaitMin: targetMin.get(item.serviceId) ?? 20, preferenceIndex };
}

function insertSorted(queues: Map<string, Item[]>, key: string, item: Item, order: (a: Item, b: Item) => number): void {
  let q = queues.get(key);
  if (!q) queues.set(key, (q = []));
  let i = q.length;
  while (i > 0 && order(q[i - 1]!, item) > 0) i--;
  q.splice(i, 0, item);
}

/** The predicted wait (seconds) of one waiting ticket; stops as soon as it is known. */
export function etaFor(snapshot: HallSnapshot, rates: RatesView, now: number, ticketId: string, options: Partial<EtaOptions> = {}): number {
  const f = forecast(snapshot, rates, now, { ...options, only: new Set([ticketId]), probes: false });
  return f.waitSec.get(ticketId) ?? 0;
}

/**
 * The naive predictor the simulator compares against: tickets ahead in the ticket's own service
 * queue × that service's mean service time ÷ open windows serving the service (at least 1).
 */
export function naiveEtaSec(snapshot: HallSnapshot, ticketId: string, meanServiceSec: number): number {
  const t = snapshot.tickets.find((x) => x.id === ticketId);
  if (!t) return 0;
  const rankOf = new Map(snapshot.priorityClasses.map((p) => [p.id, p.rank]));
  const key = (x: Ticket) => ({ rank: rankOf.get(x.priority) ?? 0, arrivedAt: x.arrivedAt, id: x.id });
  let ahead = 0;
  for (const x of snapshot.tickets) if (x.state === "waiting" && x.serviceId === t.serviceId && x.id !== t.id && compareQueued(key(x), key(t)) < 0) ahead++;
  const windows = snapshot.windows.filter((w) => w.state === "open" && w.serving.includes(t.serviceId)).length;
  return (ahead * meanServiceSec) / Math.max(1, windows);
}

/**
 * The hall's expected waits in one message (protocol QueueSummary): per service the waiting count,
 * open windows serving it, the wait for a ticket issued now, and every waiting ticket number in
 * predicted call order with its remaining wait; per window the tickets transferred to it. Publish
 * it once per hall per change.
 */
export function buildQueueSummary(config: HallConfig, snapshot: HallSnapshot, f: Forecast, staffing: StaffingAdvice[]): QueueSummary {
  const byId = new Map(snapshot.tickets.map((t) => [t.id, t]));
  // A wait the forecast could not reach is unknown, not "8 hours": screens say why instead.
  const shown = (sec: number) => (sec >= f.horizonSec ? null : Math.round(sec));
  const services: QueueSummary["services"] = {};
  for (const s of snapshot.services) {
    const ids = (f.order.get(s.id) ?? []).filter((id) => byId.get(id)?.state === "waiting");
    // Tickets transferred to one window are listed under their service too, after its own queue.
    for (const t of snapshot.tickets) if (t.state === "waiting" && t.serviceId === s.id && !ids.includes(t.id)) ids.push(t.id);
    ids.sort((a, b) => (f.waitSec.get(a) ?? Infinity) - (f.waitSec.get(b) ?? Infinity));
    const windows = snapshot.windows.filter((w) => w.state === "open" && w.serving.includes(s.id)).length;
    const newTicketEtaSec = shown(f.newTicketSec.get(s.id) ?? 0);
    const oldestWaitSec = ids.reduce((m, id) => Math.max(m, (f.at - byId.get(id)!.queuedAt) / 1000), 0);
    const target = s.targetWaitMin * 60;
    const svc = config.services.find((x) => x.id === s.id);
    const open = svc ? serviceAvailability(config, svc, walkInsIssued(snapshot.stats, s.id), f.at) : { availability: "closed" as const, quotaLeft: 0, opensAt: null, notice: null };
    services[s.id] = {
      waiting: ids.length,
      windows,
      newTicketEtaSec,
      order: ids.map((id) => byId.get(id)!.number),
      etaSec: ids.map((id) => shown(f.waitSec.get(id) ?? 0)),
      availability: open.availability,
      quotaLeft: open.quotaLeft,
      opensAt: open.opensAt,
      notice: open.notice,
      oldestWaitSec,
      overTarget: oldestWaitSec > target || (ids.length > 0 && (windows === 0 || (newTicketEtaSec !== null && newTicketEtaSec > target))),
    };
  }
  const sentTo: QueueSummary["sentTo"] = {};
  for (const t of snapshot.tickets) if (t.state === "waiting" && t.targetWindowId) sentTo[t.targetWindowId] = (sentTo[t.targetWindowId] ?? 0) + 1;
  return { hallId: snapshot.hallId, seq: snapshot.seq, at: f.at, services, sentTo, staffing };
}

/**
 * Forecast, summary and staffing advice in one call, for the server's throttled `hall:queue`
 * broadcast. Pass the day's bookings still to come as `options.booked` (rates.ts `bookedArrivals`).
 */
export function queueSummary(config: HallConfig, snapshot: HallSnapshot, rates: RatesView, now: number, options: Partial<EtaOptions> = {}): QueueSummary {
  return buildQueueSummary(config, snapshot, forecast(snapshot, rates, now, options), staffingAdvice(snapshot, rates, options.booked, now));
}
