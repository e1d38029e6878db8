/**
 * Measured arrival rates and service times, as moving averages fed from the hall's own events.
 * The balancer, the ETA predictor and the staffing advice read their figures here; before enough
 * is measured a service's configured `serviceMin` stands in.
 *
 * - Arrival rate: an exponentially decayed count (time constant `arrivalTauMin`), bias-corrected
 *   for the short history after the estimator starts, so the first minutes of a day are not read
 *   as a quiet hall. An arrival counts from `arrivalDelaySec` after it came: the forecast a new
 *   ticket is shown is made just after it is issued (the server's summary follows the event within
 *   a second or two), and a count that jumped with that very ticket would read every arrival as a
 *   rise in the rate (by 1 ÷ the time constant, 3 an hour at 20 min: more than a quiet service's
 *   whole rate). A few seconds are enough to leave it out and hardly delay anything else.
 * - Occupancy per call: how long a call keeps a window (called → finished / no-show / parked /
 *   transferred / cancelled). That is the capacity a ticket really costs, no-shows included.
 *   A running mean until `serviceWindow` samples, then an exponential moving average over about
 *   that many; the configured mean counts as `priorWeight` samples (its pull fades as calls accumulate).
 * - Priority share: the fraction of new tickets in a class above normal.
 * - How calls spread: each call's occupancy relative to its service's mean at the time, over the
 *   hall's latest calls (one shape for the hall, so a service with few calls has one too).
 * - Pauses (暂停, 午休): when each paused window paused, and how long this hall's pauses lasted,
 *   so the forecast can count a paused window back.
 * - Lending: when a window is given a service whose citizens already wait, how long the longest
 *   of them had waited (the hall's balancer, or a manager, acts a round or a decision later).
 *
 * Arrivals and the priority share count walk-ins (and late check-ins, which queue as walk-ins).
 * An on-time check-in is not guessed from a rate: the day's bookings say when it comes, and
 * `bookedArrivals` turns them into the forecast's booked arrivals, each weighted by how likely it
 * is to come: the share of the day's due bookings that came, and when the latest on-time
 * check-ins came relative to their slot start (measured here).
 *
 * Not pure (it keeps state) but free of I/O and clocks: time comes from the events and callers.
 */
import type { BookingState, HallEvent, HallSnapshot } from "../../protocol/index.js";
import type { BookingConfig } from "./config.js";
import type { BookedArrival } from "./eta.js";

export interface RateOptions {
  /** Time constant of the arrival-rate average, minutes. Shorter follows a peak sooner but is noisier. */
  arrivalTauMin: number;
  /** About how many recent calls the occupancy average spans. */
  serviceWindow: number;
  /** How many samples the configured service time is worth before any is measured. */
  priorWeight: number;
  /** How many of the latest on-time check-ins tell how citizens keep their bookings. */
  checkInWindow: number;
  /** An arrival counts towards the rate this long after it came (see the file comment). */
  arrivalDelaySec: number;
  /** How many of the hall's latest calls give the spread of a call's time. */
  shapeWindow: number;
  /** How many of the hall's latest pauses tell how long a pause lasts. */
  pauseWindow: number;
  /** How many of the hall's latest lendings tell how long a queue waits for one. */
  lendWindow: number;
}

export const DEFAULT_RATE_OPTIONS: RateOptions = { arrivalTauMin: 20, serviceWindow: 30, priorWeight: 3, checkInWindow: 200, arrivalDelaySec: 5, shapeWindow: 200, pauseWindow: 50, lendWindow: 50 };

/** What is assumed of a pause before the hall has shown its own: 30 minutes, worth one pause. */
export const DEFAULT_PAUSE_PRIOR = { minutes: 30, weight: 1 };

/** What the predictors need of the measured rates. */
export interface RatesView {
  /** Walk-in arrivals per second to the service's queue (new tickets, bundle steps, transfers, resumes; not on-time check-ins). */
  arrivalPerSec(serviceId: string): number;
  /** Mean seconds one call keeps a window busy for this service. */
  occupancySec(serviceId: string): number;
  /** Fraction of arrivals in a priority class above normal. */
  priorityShare(): number;
  /** Rank most priority arrivals carry (for predicted future arrivals). */
  priorityRank(): number;
  /** The hall's latest calls, each as its occupancy ÷ its service's mean then, ascending (how calls spread about the mean). */
  occupancyShape?(): readonly number[];
  /** Seconds until a paused window is expected back; null when it is not paused (or since when is unknown). */
  backInSec?(windowId: string): number | null;
  /** How long a queue's longest-waiting citizen typically has waited when the hall lends the queue a window (0 before it has). */
  lendAfterSec?(): number;
}

/** A decayed count as of `at`, and the arrivals of the last `arrivalDelaySec` that do not count yet. */
interface ArrivalAvg {
  value: number;
  at: number;
  pending: number[];
}

interface MeanAvg {
  mean: number;
  n: number;
}

export interface ServiceRates {
  arrivalPerHour: number;
  occupancySec: number;
  serviceSec: number;
  calls: number;
}

export class RateEstimator implements RatesView {
  private readonly opts: RateOptions;
  private readonly arrivals = new Map<string, ArrivalAvg>();
  private readonly occupancy = new Map<string, MeanAvg>();
  private readonly service = new Map<string, MeanAvg>();
  /** First call of each ticket now at a window: ticketId → [at, serviceId]. */
  private readonly calls = new Map<string, [number, string]>();
  /** The latest calls' occupancy ÷ mean, oldest first; `sortedShape` caches them ascending. */
  private readonly shape: number[] = [];
  private sortedShape: number[] | null = null;
  private readonly pausedAt = new Map<string, number>();
  /** Lengths of the latest finished pauses, seconds. */
  private readonly pauses: number[] = [];
  /** Waiting tickets: service and since when. */
  private readonly waiting = new Map<string, { serviceId: string; since: number }>();
  private readonly servingOf = new Map<string, readonly string[]>();
  /** The latest lendings to a queue with citizens waiting: how long the longest had waited, seconds. */
  private readonly lendings: number[] = [];
  private readonly defaults = new Map<string, number>();
  private readonly ranks = new Map<string, number>();
  private startedAt: number | null = null;
  private now = 0;
  private issued = 0;
  private prioritized = 0;
  private rankSum = 0;
  /** Offsets from their slot start of the latest on-time check-ins, oldest first; `sortedCheckIns` caches them ascending. */
  private readonly checkIns: number[] = [];
  private sortedCheckIns: number[] | null = null;
  /** Highest event seq seen; events at or below it are ignored (safe to feed overlapping batches). */
  lastSeq = 0;

  constructor(opts: Partial<RateOptions> = {}) {
    this.opts = { ...DEFAULT_RATE_OPTIONS, ...opts };
  }

  /**
   * Take configured service times and priority ranks from a snapshot; start measuring at `now`, or
   * without it at the first event observed (history exists only from there).
   */
  configure(snapshot: Pick<HallSnapshot, "services" | "priorityClasses">, now?: number): this {
    for (const s of snapshot.services) this.defaults.set(s.id, s.serviceMin * 60);
    for (const p of snapshot.priorityClasses) this.ranks.set(p.id, p.rank);
    if (this.startedAt === null && now !== undefined) this.startedAt = now;
    return this;
  }

  /** Feed one hall event (in seq order; repeated or older ones are skipped). */
  observe(e: HallEvent): void {
    if (e.seq <= this.lastSeq) return;
    this.lastSeq = e.seq;
    if (this.startedAt === null) this.startedAt = e.at;
    this.now = Math.max(this.now, e.at);
    if ("ticket" in e) {
      if (e.ticket.state === "waiting") this.waiting.set(e.ticket.id, { serviceId: e.ticket.serviceId, since: e.ticket.queuedAt });
      else this.waiting.delete(e.ticket.id);
    }
    switch (e.type) {
      case "ticket:issued": {
        if (e.ticket.appointment?.onTime) {
          this.checkIn(e.at - e.ticket.appointment.slotStart);
          break;
        }
        this.arrive(e.ticket.serviceId, e.at);
        const rank = this.ranks.get(e.ticket.priority) ?? 0;
        this.issued++;
        if (rank > 0) {
          this.prioritized++;
          this.rankSum += rank;
        }
        break;
      }
      case "ticket:resumed":
        this.arrive(e.ticket.serviceId, e.at);
        break;
      case "ticket:transferred":
        this.endCall(e.ticket.id, e.at);
        this.arrive(e.ticket.serviceId, e.at);
        break;
      case "ticket:called":
        if (!e.recall && !this.calls.has(e.ticket.id)) this.calls.set(e.ticket.id, [e.at, e.ticket.serviceId]);
        break;
      case "ticket:finished":
        this.endCall(e.ticket.id, e.at);
        this.push(this.service, e.serviceId, e.serviceSec);
        if (e.ticket.state === "waiting") this.arrive(e.ticket.serviceId, e.at);
        break;
      case "ticket:noShow":
      case "ticket:parked":
      case "ticket:cancelled":
        this.endCall(e.ticket.id, e.at);
        break;
      case "window:changed":
        if (e.change === "servingChanged") {
          const before = this.servingOf.get(e.window.id) ?? [];
          for (const s of e.window.serving) if (!before.includes(s)) this.lent(s, e.at);
        }
        this.servingOf.set(e.window.id, e.window.serving);
        if (e.window.state === "paused") {
          if (!this.pausedAt.has(e.window.id)) this.pausedAt.set(e.window.id, e.at);
        } else {
          const since = this.pausedAt.get(e.window.id);
          this.pausedAt.delete(e.window.id);
          if (since !== undefined && e.change === "resumed") this.pause((e.at - since) / 1000);
        }
        break;
      case "hall:dayStarted":
        this.calls.clear();
        break;
      default:
        break;
    }
  }

  observeAll(events: Iterable<HallEvent>): void {
    for (const e of events) this.observe(e);
  }

  arrivalPerSec(serviceId: string, at = this.now): number {
    const a = this.arrivals.get(serviceId);
    if (!a || this.startedAt === null) return 0;
    const tau = this.opts.arrivalTauMin * 60_000;
    const delay = this.opts.arrivalDelaySec * 1000;
    let decayed = a.value * Math.exp(-Math.max(0, at - a.at) / tau);
    for (const p of a.pending) if (at - p >= delay) decayed += Math.exp(-(at - p - delay) / tau) / tau;
    // Only (at - startedAt - delay) of counted history exists: scale up as if the average had been running all along.
    const seen = 1 - Math.exp(-Math.max(0, at - this.startedAt - delay) / tau);
    const perMs = decayed / Math.max(seen, 0.25);
    return perMs * 1000;
  }

  occupancySec(serviceId: string): number {
    return this.blend(this.occupancy.get(serviceId), serviceId);
  }

  serviceSec(serviceId: string): number {
    return this.blend(this.service.get(serviceId), serviceId);
  }

  priorityShare(): number {
    // One prior "normal" arrival keeps the first tickets of a day from reading as 100%.
    return this.prioritized / (this.issued + 1);
  }

  priorityRank(): number {
    return this.prioritized ? Math.round(this.rankSum / this.prioritized) : 1;
  }

  /**
   * When the latest on-time check-ins came, ms after their slot start (negative: early),
   * ascending: how citizens of this hall keep their bookings (for `bookedArrivals`).
   */
  checkInOffsets(): readonly number[] {
    return (this.sortedCheckIns ??= [...this.checkIns].sort((a, b) => a - b));
  }

  /** The hall's latest calls, each as its occupancy ÷ its service's mean when it ended, ascending. */
  occupancyShape(): readonly number[] {
    return (this.sortedShape ??= [...this.shape].sort((a, b) => a - b));
  }

  /**
   * When a paused window is expected back, seconds from `at`: on average what the pauses this
   * hall has seen that lasted longer than this one so far had left (the prior standing in for one
   * of them); one already away longer than any is expected to stay away as long again.
   */
  backInSec(windowId: string, at = this.now): number | null {
    const since = this.pausedAt.get(windowId);
    if (since === undefined) return null;
    const elapsed = Math.max(0, (at - since) / 1000);
    const prior = DEFAULT_PAUSE_PRIOR;
    let left = 0;
    let weight = 0;
    for (const d of this.pauses) {
      if (d <= elapsed) continue;
      left += d - elapsed;
      weight++;
    }
    if (prior.minutes * 60 > elapsed) {
      left += (prior.minutes * 60 - elapsed) * prior.weight;
      weight += prior.weight;
    }
    return weight ? left / weight : elapsed;
  }

  /** The median of the latest lendings' longest waits (see `lendings`), seconds; 0 before any. */
  lendAfterSec(): number {
    if (!this.lendings.length) return 0;
    const sorted = [...this.lendings].sort((a, b) => a - b);
    return sorted[sorted.length >> 1]!;
  }

  /** All figures of one service, for the manager console and staffing advice. */
  rates(serviceId: string, at = this.now): ServiceRates {
    return {
      arrivalPerHour: this.arrivalPerSec(serviceId, at) * 3600,
      occupancySec: this.occupancySec(serviceId),
      serviceSec: this.serviceSec(serviceId),
      calls: this.occupancy.get(serviceId)?.n ?? 0,
    };
  }

  /** A view pinned at one instant, for the pure predictors. */
  at(now: number): RatesView {
    return {
      arrivalPerSec: (s) => this.arrivalPerSec(s, now),
      occupancySec: (s) => this.occupancySec(s),
      priorityShare: () => this.priorityShare(),
      priorityRank: () => this.priorityRank(),
      occupancyShape: () => this.occupancyShape(),
      backInSec: (w) => this.backInSec(w, now),
      lendAfterSec: () => this.lendAfterSec(),
    };
  }

  private arrive(serviceId: string, at: number): void {
    const tau = this.opts.arrivalTauMin * 60_000;
    const delay = this.opts.arrivalDelaySec * 1000;
    const a = this.arrivals.get(serviceId) ?? { value: 0, at, pending: [] };
    // Arrivals older than the delay join the decayed count, each at the moment it began to count.
    while (a.pending.length && at - a.pending[0]! >= delay) {
      const counts = a.pending.shift()! + delay;
      a.value = a.value * Math.exp(-Math.max(0, counts - a.at) / tau) + 1 / tau;
      a.at = counts;
    }
    a.pending.push(at);
    this.arrivals.set(serviceId, a);
  }

  /** A window was given `serviceId`: if its citizens already wait, how long the longest has. */
  private lent(serviceId: string, at: number): void {
    let since = Infinity;
    for (const w of this.waiting.values()) if (w.serviceId === serviceId && w.since < since) since = w.since;
    if (since === Infinity) return;
    this.lendings.push(Math.max(0, (at - since) / 1000));
    if (this.lendings.length > this.opts.lendWindow) this.lendings.shift();
  }

  private pause(sec: number): void {
    this.pauses.push(sec);
    if (this.pauses.length > this.opts.pauseWindow) this.pauses.shift();
  }

  private checkIn(offsetMs: number): void {
    this.checkIns.push(offsetMs);
    if (this.checkIns.length > this.opts.checkInWindow) this.checkIns.shift();
    this.sortedCheckIns = null;
  }

  private endCall(ticketId: string, at: number): void {
    const c = this.calls.get(ticketId);
    if (!c) return;
    this.calls.delete(ticketId);
    const sec = Math.max(0, (at - c[0]) / 1000);
    this.push(this.occupancy, c[1], sec);
    this.shape.push(sec / this.occupancySec(c[1]));
    if (this.shape.length > this.opts.shapeWindow) this.shape.shift();
    this.sortedShape = null;
  }

  private push(map: Map<string, MeanAvg>, serviceId: string, x: number): void {
    const cur = map.get(serviceId) ?? { mean: 0, n: 0 };
    const n = cur.n + 1;
    const w = 1 / Math.min(n, this.opts.serviceWindow);
    map.set(serviceId, { mean: cur.mean + w * (x - cur.mean), n });
  }

  private blend(m: MeanAvg | undefined, serviceId: string): number {
    const prior = this.defaults.get(serviceId) ?? 480;
    if (!m || m.n === 0) return prior;
    const k = this.opts.priorWeight;
    const n = m.n;
    return (m.mean * n + prior * k) / (n + k);
  }
}

/** Fixed rates (tests, or before a hall has history): configured service times, no arrivals. */
export function staticRates(occupancySec: Record<string, number>, arrivalPerSec: Record<string, number> = {}, priorityShare = 0): RatesView {
  return {
    arrivalPerSec: (s) => arrivalPerSec[s] ?? 0,
    occupancySec: (s) => occupancySec[s] ?? 480,
    priorityShare: () => priorityShare,
    priorityRank: () => 2,
  };
}

/** What the forecast needs of one of the day's bookings (records' Booking has these fields). */
export interface DayBooking {
  id: string;
  serviceId: string;
  /** Slot start, ms. */
  slotStart: number;
  state: BookingState;
}

/**
 * What is assumed of bookings before the day has shown its own: 90 % come, worth 10 bookings; and
 * check-ins spread evenly over the on-time window, worth 5 check-ins.
 */
export const DEFAULT_BOOKING_PRIOR = { showShare: 0.9, showWeight: 10, checkInWeight: 5 };

/**
 * The share of bookings that come: of the day's bookings whose on-time check-in has closed
 * (slot start + `lateMin`), those checked in (served, no-show at the window included), with the
 * prior's weight in bookings added. Cancelled ones count neither way.
 */
export function showUpShare(rule: Pick<BookingConfig, "lateMin">, bookings: readonly DayBooking[], now: number, prior = DEFAULT_BOOKING_PRIOR): number {
  let due = 0;
  let came = 0;
  for (const b of bookings) {
    if (b.state === "cancelled" || now <= b.slotStart + rule.lateMin * 60_000) continue;
    due++;
    if (b.state !== "booked" && b.state !== "missed") came++;
  }
  return (came + prior.showShare * prior.showWeight) / (due + prior.showWeight);
}

/**
 * The day's bookings still to come, as the forecast's booked arrivals (EtaOptions.booked): every
 * live booking (state "booked") that can still check in on time, weighted by how likely it is to
 * come given that it has not come yet. With q the share that comes (`showUpShare`) and F the
 * share of on-time check-ins made by this long after their slot start (from `checkIns`, the
 * measured offsets: RateEstimator.checkInOffsets), that is q(1 − F) / (1 − qF): a booking still
 * missing when most check in is more and more likely not coming. A later check-in queues as a
 * walk-in, which the measured walk-in rate covers.
 */
export function bookedArrivals(rule: Pick<BookingConfig, "earlyMin" | "lateMin">, bookings: readonly DayBooking[], now: number, checkIns: readonly number[] = [], prior = DEFAULT_BOOKING_PRIOR): BookedArrival[] {
  const q = showUpShare(rule, bookings, now, prior);
  const earlyMs = rule.earlyMin * 60_000;
  const lateMs = rule.lateMin * 60_000;
  const checkedInBy = (x: number): number => {
    const even = Math.min(1, Math.max(0, (x + earlyMs) / Math.max(1, earlyMs + lateMs)));
    return (countAtMost(checkIns, x) + prior.checkInWeight * even) / (checkIns.length + prior.checkInWeight);
  };
  const out: BookedArrival[] = [];
  for (const b of bookings) {
    if (b.state !== "booked") continue;
    const x = now - b.slotStart;
    if (x > lateMs) continue;
    const f = checkedInBy(x);
    const weight = (q * (1 - f)) / (1 - q * f);
    if (weight > 0) out.push({ serviceId: b.serviceId, at: b.slotStart, weight, bookingId: b.id });
  }
  return out;
}

/** How many of the ascending `sorted` are ≤ x. */
function countAtMost(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Booked arrivals per second of a service expected over the next `windowSec` (likelihoods summed). */
export function bookedPerSec(booked: readonly BookedArrival[], serviceId: string, now: number, windowSec = 3600): number {
  let n = 0;
  for (const b of booked) if (b.serviceId === serviceId && b.at < now + windowSec * 1000) n += b.weight ?? 1;
  return n / windowSec;
}
