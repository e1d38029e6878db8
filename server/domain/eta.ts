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
 * What citizens are shown (`etaFor`, `queueSummary`: PUBLISHED_ETA_OPTIONS) adds what the hall's
 * own events say the plain replay misses:
 *
 * - a paused window (午休, a break) comes back when this hall's pauses say it will (rates.ts
 *   `backInSec`), instead of being gone for good: a service whose only window is at lunch is not
 *   "beyond the horizon", and its queue is not shown waits that ignore the window's return;
 * - in a hall whose balancer runs in auto mode, a window with nothing of its own to call takes
 *   the queues it is qualified for, as the balancer lends it (its own queues first), once their
 *   longest-waiting citizen has waited as long as this hall's queues wait to be lent a window
 *   (rates.ts `lendAfterSec`: the balancer acts at its next round);
 * - the busy windows' calls end at sampled times, drawn from how this hall's calls spread about
 *   their mean (rates.ts `occupancyShape`, given the time already spent), and each ticket is
 *   shown the median of its waits over the sampled days. The first of several busy windows
 *   frees sooner than their mean remaining times say, and a mean-only replay reads every wait
 *   behind busy windows as too long; the median is the wait that minimises the error shown.
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
  /** Count a paused window back when the rates say it returns (RatesView.backInSec). */
  pausedReturn: boolean;
  /** Under the balancer's auto mode, a window with nothing of its own to call takes the queues it is qualified for. */
  lending: boolean;
  /** Sampled days (busy windows' remaining times drawn from RatesView.occupancyShape); each wait is their median. 1: the mean day. */
  paths: number;
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

export const DEFAULT_ETA_OPTIONS: EtaOptions = { primaryPreference: 0.2, futureArrivals: true, horizonSec: 8 * 3600, arrivalsHorizonSec: 3600, minResidual: 0.3, probes: true, pausedReturn: false, lending: false, paths: 1 };

/**
 * What the waits shown to citizens add to the plain replay (see the file comment): `etaFor` and
 * `queueSummary` use them unless told otherwise. The balancer's pressure uses the plain replay.
 */
export const PUBLISHED_ETA_OPTIONS: Partial<EtaOptions> = { pausedReturn: true, lending: true, paths: 15 };

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

/** How much longer a call of `serviceId` that has kept its window `elapsedMs` keeps it. */
type Residual = (serviceId: string, meanMs: number, elapsedMs: number) => number;

/** Play the hall forward from `now`; see the file comment. */
export function forecast(snapshot: HallSnapshot, rates: RatesView, now: number, options: Partial<EtaOptions> = {}): Forecast {
  const opts = { ...DEFAULT_ETA_OPTIONS, ...options };
  const hall = prepare(snapshot, rates, now, opts);
  const mean: Residual = (_s, meanMs, elapsedMs) => Math.max(meanMs - elapsedMs, meanMs * opts.minResidual);
  const shape = opts.paths > 1 ? (rates.occupancyShape?.() ?? []) : [];
  if (!shape.length || !hall.windows.some((w) => w.call)) return play(hall, opts, mean);
  // A ticket an idle window calls at once waits 0 however long the busy windows take.
  if (opts.only) {
    const plain = play(hall, opts, mean);
    if ([...plain.waitSec.values()].every((w) => w === 0)) return plain;
  }
  // Seeded by the hall's state, so that the same hall at the same moment is shown the same waits.
  const rng = mulberry32(Math.floor(now / 1000) ^ Math.imul(snapshot.seq, 2654435761));
  const sampled: Residual = (s, meanMs, elapsedMs) => {
    // A call that has lasted this long is one of those that last longer: draw among them.
    const from = firstAbove(shape, elapsedMs / meanMs);
    if (from === shape.length) return mean(s, meanMs, elapsedMs);
    return shape[from + Math.floor(rng() * (shape.length - from))]! * meanMs - elapsedMs;
  };
  const days = Array.from({ length: opts.paths }, () => play(hall, opts, sampled));
  const first = days[0]!;
  const out: Forecast = { at: now, waitSec: new Map(), order: first.order, newTicketSec: new Map(), horizonSec: opts.horizonSec };
  for (const id of first.waitSec.keys()) out.waitSec.set(id, median(days.map((d) => d.waitSec.get(id) ?? opts.horizonSec)));
  for (const id of first.newTicketSec.keys()) out.newTicketSec.set(id, median(days.map((d) => d.newTicketSec.get(id) ?? opts.horizonSec)));
  return out;
}

/** What every sampled day starts from: the hall now, its queues in order, what is expected to come. */
interface Hall {
  now: number;
  targetMin: Map<string, number>;
  occMs: Map<string, number>;
  /** How long a queue's head waits before a window is lent to it, ms. */
  lendAfterMs: number;
  /** Windows that serve now or come back: when they can call (ms), and the call they are in. */
  windows: { id: string; serving: string[]; own: number; from: number; call: { serviceId: string; elapsedMs: number } | null }[];
  /** Each service's queue, and each window's own (tickets transferred to it), in call order. */
  queues: Map<string, Item[]>;
  windowQueues: Map<string, Item[]>;
  /** Tickets no window will reach. */
  unreachable: string[];
  pending: number;
  /** Services without a window, whose new ticket is not reached either. */
  unserved: string[];
  probes: number;
  /** Ms between expected walk-ins, by service. */
  gapMs: Map<string, number>;
  share: number;
  prioRank: number;
  booked: { comesAt: number; b: BookedArrival }[];
}

function prepare(snapshot: HallSnapshot, rates: RatesView, now: number, opts: EtaOptions): Hall {
  const rankOf = new Map(snapshot.priorityClasses.map((p) => [p.id, p.rank]));
  const byId = new Map(snapshot.tickets.map((t) => [t.id, t]));
  const occMs = new Map(snapshot.services.map((s) => [s.id, Math.max(1, rates.occupancySec(s.id)) * 1000]));
  const backMs = (w: Window): number | null => {
    if (w.state === "open") return 0;
    const sec = w.state === "paused" && opts.pausedReturn ? (rates.backInSec?.(w.id) ?? null) : null;
    return sec === null ? null : sec * 1000;
  };
  const lends = opts.lending && snapshot.balancer.mode === "auto";
  const hall: Hall = {
    now,
    targetMin: new Map(snapshot.services.map((s) => [s.id, s.targetWaitMin])),
    occMs,
    lendAfterMs: lends ? (rates.lendAfterSec?.() ?? 0) * 1000 : 0,
    windows: [],
    queues: new Map(snapshot.services.map((s) => [s.id, []])),
    windowQueues: new Map(),
    unreachable: [],
    pending: 0,
    unserved: [],
    probes: 0,
    gapMs: new Map(),
    share: Math.min(0.9, Math.max(0, rates.priorityShare())),
    prioRank: rates.priorityRank(),
    booked: [],
  };
  const queueOf = (serviceId: string) => {
    let q = hall.queues.get(serviceId);
    if (!q) hall.queues.set(serviceId, (q = []));
    return q;
  };
  for (const w of snapshot.windows) {
    const back = backMs(w);
    if (back === null) continue;
    const own = opts.serving?.[w.id] ?? w.serving;
    const serving = lends ? [...own, ...w.qualified.filter((q) => !own.includes(q))] : own;
    const t = w.ticketId ? byId.get(w.ticketId) : undefined;
    hall.windows.push({ id: w.id, serving, own: own.length, from: now + back, call: t ? { serviceId: t.serviceId, elapsedMs: now - (t.calledAt ?? now) } : null });
    hall.windowQueues.set(w.id, []);
  }
  const served = new Set(hall.windows.flatMap((w) => w.serving));

  for (const t of snapshot.tickets) {
    if (t.state !== "waiting") continue;
    const reachable = t.targetWindowId ? hall.windowQueues.has(t.targetWindowId) : served.has(t.serviceId);
    const wanted = !opts.only || opts.only.has(t.id);
    if (!reachable) {
      if (wanted) hall.unreachable.push(t.id);
      continue;
    }
    (t.targetWindowId ? hall.windowQueues.get(t.targetWindowId)! : queueOf(t.serviceId)).push({ id: t.id, serviceId: t.serviceId, rank: rankOf.get(t.priority) ?? 0, arrivedAt: t.arrivedAt, kind: Kind.Real });
    if (wanted) hall.pending++;
  }
  if (opts.probes && !opts.only) {
    for (const s of snapshot.services) {
      if (!served.has(s.id)) {
        hall.unserved.push(s.id);
        continue;
      }
      queueOf(s.id).push({ id: `\uffff~probe`, serviceId: s.id, rank: 0, arrivedAt: now, kind: Kind.Probe });
      hall.probes++;
    }
  }
  for (const q of hall.queues.values()) q.sort(compareQueued);
  for (const q of hall.windowQueues.values()) q.sort(compareQueued);

  if (opts.futureArrivals) {
    for (const s of snapshot.services) {
      const perSec = rates.arrivalPerSec(s.id);
      if (perSec > 0 && served.has(s.id)) hall.gapMs.set(s.id, 1000 / perSec);
    }
  }
  // Bookings still to come are known, not guessed from a rate: they play as far as the horizon.
  const checkedIn = new Set(snapshot.tickets.map((t) => t.appointment?.bookingId));
  hall.booked = (opts.booked ?? [])
    .filter((b) => served.has(b.serviceId) && (b.weight ?? 1) >= LIKELY && !(b.bookingId && checkedIn.has(b.bookingId)))
    .map((b) => ({ comesAt: Math.max(now, b.at), b }))
    .sort((x, y) => x.comesAt - y.comesAt);
  return hall;
}

interface Counter {
  id: string;
  /** Its serving list, then (lending) the other services it is qualified for. */
  serving: string[];
  /** The queues of `serving`, in the same order. */
  queues: Item[][];
  /** How many of `serving` it serves now. */
  own: number;
  freeAt: number;
}

/** One day played from `hall`, the busy windows' calls ending after `residual`. */
function play(hall: Hall, opts: EtaOptions, residual: Residual): Forecast {
  const { now, targetMin, occMs } = hall;
  const horizonAt = now + opts.horizonSec * 1000;
  const arrivalsUntil = now + opts.arrivalsHorizonSec * 1000;
  const out: Forecast = { at: now, waitSec: new Map(), order: new Map(), newTicketSec: new Map(), horizonSec: opts.horizonSec };
  for (const id of hall.queues.keys()) out.order.set(id, []);
  for (const id of hall.unreachable) out.waitSec.set(id, opts.horizonSec);
  for (const id of hall.unserved) out.newTicketSec.set(id, opts.horizonSec);
  const queues = new Map([...hall.queues].map(([id, q]) => [id, q.slice()]));
  const windowQueues = new Map([...hall.windowQueues].map(([id, q]) => [id, q.slice()]));
  const counters: Counter[] = hall.windows.map((w) => {
    const mean = w.call ? (occMs.get(w.call.serviceId) ?? 480_000) : 0;
    const busyUntil = w.call ? now + residual(w.call.serviceId, mean, w.call.elapsedMs) : now;
    return { id: w.id, serving: w.serving, queues: w.serving.map((s) => queues.get(s)!), own: w.own, freeAt: Math.max(busyUntil, w.from) };
  });
  let pending = hall.pending;
  let probes = hall.probes;

  // Expected future arrivals: evenly spaced at the measured rate, every 1/share-th one a priority ticket.
  const nextArrival = new Map<string, number>();
  for (const [s, gap] of hall.gapMs) nextArrival.set(s, now + gap);
  const { share, prioRank, booked } = hall;
  let prioCredit = 0.5;
  let futureN = 0;
  let bookedNext = 0;
  const inject = (until: number) => {
    for (const [s, at] of nextArrival) {
      let t = at;
      while (t <= Math.min(until, arrivalsUntil)) {
        prioCredit += share;
        const prio = prioCredit >= 1;
        if (prio) prioCredit -= 1;
        insertSorted(queues.get(s)!, { id: `\uffff${String(futureN++).padStart(9, "0")}`, serviceId: s, rank: prio ? prioRank : 0, arrivedAt: t, kind: Kind.Future });
        t += hall.gapMs.get(s)!;
      }
      nextArrival.set(s, t);
    }
    for (; bookedNext < booked.length && booked[bookedNext]!.comesAt <= until; bookedNext++) {
      const { b } = booked[bookedNext]!;
      insertSorted(queues.get(b.serviceId)!, { id: `\uffffb${String(bookedNext).padStart(8, "0")}`, serviceId: b.serviceId, rank: b.priorityRank ?? 0, arrivedAt: b.at, kind: Kind.Future });
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
    const from: Item[][] = [];
    const own = windowQueues.get(c.id)!;
    if (own.length) {
      heads.push(headOf(own[0]!, targetMin, 0));
      from.push(own);
    }
    let lentAt = Infinity;
    for (let i = 0; i < c.queues.length; i++) {
      const q = c.queues[i]!;
      // A service it would be lent only comes up when nothing of its own waits, and once its head has waited to be lent a window.
      if (!q.length || (i >= c.own && heads.length)) continue;
      if (i >= c.own && t < q[0]!.arrivedAt + hall.lendAfterMs) {
        lentAt = Math.min(lentAt, q[0]!.arrivedAt + hall.lendAfterMs);
        continue;
      }
      heads.push(headOf(q[0]!, targetMin, i));
      from.push(q);
    }
    if (!heads.length) {
      // Idle until the next arrival it could take, or until it would be lent; a window nothing will come to drops out.
      const next = Math.min(lentAt, nextComing(c.serving));
      if (next === Infinity) counters.splice(ci, 1);
      else c.freeAt = next;
      continue;
    }
    const best = pickMostUrgent(heads, t, opts.primaryPreference)!;
    const item = from[heads.indexOf(best)]!.shift()!;
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
  const left = (queue: Item[], inOrder: boolean) => {
    for (const item of queue) {
      if (item.kind === Kind.Probe) out.newTicketSec.set(item.serviceId, opts.horizonSec);
      else if (item.kind === Kind.Real && (!opts.only || opts.only.has(item.id))) {
        out.waitSec.set(item.id, opts.horizonSec);
        if (inOrder) out.order.get(item.serviceId)?.push(item.id);
      }
    }
  };
  for (const q of queues.values()) left(q, true);
  for (const q of windowQueues.values()) left(q, false);
  return out;
}

function headOf(item: Item, targetMin: Map<string, number>, preferenceIndex: number): QueueHead {
  return { ticketId: item.id, rank: item.rank, arrivedAt: item.arrivedAt, targetWaitMin: targetMin.get(item.serviceId) ?? 20, preferenceIndex };
}

function insertSorted(q: Item[], item: Item): void {
  let i = q.length;
  while (i > 0 && compareQueued(q[i - 1]!, item) > 0) i--;
  q.splice(i, 0, item);
}

/** Index of the first of the ascending `sorted` above x (its length when none is). */
function firstAbove(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function median(xs: number[]): number {
  xs.sort((a, b) => a - b);
  const m = xs.length >> 1;
  return xs.length % 2 ? xs[m]! : (xs[m - 1]! + xs[m]!) / 2;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The predicted wait (seconds) of one waiting ticket; stops as soon as it is known. */
export function etaFor(snapshot: HallSnapshot, rates: RatesView, now: number, ticketId: string, options: Partial<EtaOptions> = {}): number {
  const f = forecast(snapshot, rates, now, { ...PUBLISHED_ETA_OPTIONS, ...options, only: new Set([ticketId]), probes: false });
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
  return buildQueueSummary(config, snapshot, forecast(snapshot, rates, now, { ...PUBLISHED_ETA_OPTIONS, ...options }), staffingAdvice(snapshot, rates, options.booked, now));
}
