/**
 * The discrete-event simulator. One run plays one day of a scenario on a virtual clock through
 * the REAL hall: the embedded MemoryStore executes every command (issue, call next, start,
 * finish, no-show, balancer:apply) with the domain's own dispatch rule, the balancer is the
 * production HallBalancer, and every ETA shown comes from the production predictor fed by the
 * production rate estimator. There is no second model of the hall here: the simulator only
 * decides when citizens arrive, how long they take, and whether they show up.
 *
 * Staff behave simply: a window is open all day except the times its staff are away (`away`:
 * lunch in turns, a shift's end), calls next as soon as it is free, starts a present citizen at
 * once, and marks a no-show `noShowAfterSec` after calling one who is absent. Going away, the
 * window finishes the citizen it serves and then pauses (window:pause, as staff do); back, it
 * resumes and calls.
 * Random draws come from per-run seeded streams, and arrivals, service times and no-shows are
 * drawn before the day starts, so every policy faces the same citizens (common random numbers).
 *
 * Bookings (预约): a service's `appointments.share` of its citizens book ahead instead, each the
 * nearest slot to when it would have come that the domain's booking rule (booking.ts
 * `decideBooking`: seats per slot) still accepts, or walks in when none does. On the day a
 * booker checks in at the slot start plus a drawn punctuality offset through the real
 * `ticket:checkIn` command (the domain decides on time, late walk-in or refusal), or never comes.
 * The forecast and the balancer are fed the bookings still to come exactly as the server's are:
 * `bookedArrivals` of the day's bookings.
 */
import { HallCallError, type HallEvent, type HallSnapshot, type Ticket } from "../../protocol/index.js";
import { HallBalancer } from "../domain/hall-balancer.js";
import type { BalancerOptions } from "../domain/balancer.js";
import { decideBooking, slotsOn, slotStart } from "../domain/booking.js";
import { addDays } from "../domain/calendar.js";
import { instantOf, ManualClock } from "../domain/clock.js";
import type { HallConfig } from "../domain/config.js";
import type { Actor, StoreCommand } from "../domain/hall-commands.js";
import { etaFor, naiveEtaSec } from "../domain/eta.js";
import { bookedArrivals, type DayBooking } from "../domain/rates.js";
import { MemoryStore } from "../store/memory/memory-store.js";
import { exponential, lognormal, mixSeed, mulberry32, normal, pickShare, type Rng } from "./rng.js";
import { hallConfigFor, hasAppointments, minutesOf, type Policy, type Scenario } from "./scenario.js";

export interface SimOptions {
  /** Seconds between balancer rounds (dynamic policy). */
  balancerEverySec: number;
  /** A called citizen who does not come is marked no-show after this long. */
  noShowAfterSec: number;
  /** Compute the ETA shown to each new ticket (the costliest part; tests may turn it off). */
  eta: boolean;
  /** Feed the forecast and the balancer the bookings still to come, as the server does (default true; off measures what they are worth). */
  forecastBookings: boolean;
  /** Balancer tuning (defaults: DEFAULT_BALANCER_OPTIONS, as in production). */
  balancer?: Partial<BalancerOptions>;
  /** Sees every hall event the run produces (tests use it to audit the balancer). */
  onEvent?: (e: HallEvent) => void;
}

export const DEFAULT_SIM_OPTIONS: SimOptions = { balancerEverySec: 30, noShowAfterSec: 120, eta: true, forecastBookings: true };

/** One citizen's visit as it happened. */
export interface TicketRecord {
  serviceId: string;
  priority: string;
  /** ms since the day's opening. */
  issuedAt: number;
  calledAt: number;
  waitSec: number;
  noShow: boolean;
  /** ETA shown at issue (HallCall's predictor) and the naive one, seconds; null when not computed. */
  etaSec: number | null;
  naiveSec: number | null;
  /** A checked-in booking: its slot start (ms since the day's opening) and whether it came on time; null for a walk-in. */
  appointment: { slotStart: number; onTime: boolean } | null;
}

/** What became of the day's bookings. */
export interface BookingOutcomes {
  booked: number;
  /** Never came (失约). */
  missed: number;
  /** Came after the on-time check-in closed: queued as walk-ins, or refused and took a ticket. */
  late: number;
  /** Bookers who found no slot left and walked in instead. */
  unbooked: number;
  /** Came after the service closed and went home. */
  turnedAway: number;
}

export interface RunResult {
  policy: Policy;
  seed: number;
  tickets: TicketRecord[];
  served: number;
  noShows: number;
  /** Serving-set changes the balancer made. */
  balancerChanges: number;
  /** ms from opening until the last citizen left. */
  dayLengthMs: number;
  /** Null when the scenario takes no bookings. */
  bookings: BookingOutcomes | null;
}

/** A booking as the records keep it, with what check-in needs. */
export interface SimBooking extends DayBooking {
  date: string;
  slot: string;
}

export interface Arrival {
  /** When the citizen comes: a walk-in takes a ticket, a booker checks in. */
  at: number;
  serviceId: string;
  priority: string;
  serviceSec: number;
  noShow: boolean;
  /** The booker's booking; null for a walk-in. */
  booking: SimBooking | null;
}

export interface Day {
  /** Everybody who comes, in order. */
  arrivals: Arrival[];
  /** Every booking of the day, missed ones included. */
  bookings: SimBooking[];
  unbooked: number;
}

/**
 * Everybody who will come on one simulated day, drawn from the run's own seed, and the bookings
 * made ahead of it. Separate streams per service and purpose keep draws independent of one
 * another, and a scenario without bookings draws exactly what it drew before bookings existed.
 */
export function drawDay(sc: Scenario, config: HallConfig, seed: number, start: number): Day {
  const out: Arrival[] = [];
  const bookings: SimBooking[] = [];
  let unbooked = 0;
  const openMin = minutesOf(sc.open);
  sc.services.forEach((s, si) => {
    const times = mulberry32(mixSeed(seed, si, 1));
    const attrs = mulberry32(mixSeed(seed, si, 2));
    const mine: Arrival[] = [];
    for (const seg of s.arrivals) {
      if (seg.perHour <= 0) continue;
      let t = (minutesOf(seg.from) - openMin) * 60;
      const end = (minutesOf(seg.to) - openMin) * 60;
      for (;;) {
        t += exponential(times, 3600 / seg.perHour);
        if (t >= end) break;
        mine.push({
          at: start + Math.round(t * 1000),
          serviceId: s.id,
          priority: pickShare(attrs, sc.priorityShare, "normal"),
          serviceSec: drawService(attrs, s.serviceMin) * 60,
          noShow: attrs() < sc.noShowRate,
          booking: null,
        });
      }
    }
    const appt = s.appointments;
    if (!appt || appt.share <= 0) {
      out.push(...mine);
      return;
    }
    const rng = mulberry32(mixSeed(seed, si, 3));
    const bookers = mine.filter(() => rng() < appt.share);
    const booked = bookAhead(config, s.id, sc.date, bookers, rng, `b${si}-`);
    unbooked += bookers.length - booked.length;
    const byArrival = new Map(booked.map((b) => [b.citizen, b.booking]));
    for (const a of mine) {
      const booking = byArrival.get(a);
      if (!booking) {
        out.push(a);
        continue;
      }
      bookings.push(booking);
      if (rng() < appt.missed) continue;
      const offsetMin = appt.punctuality.meanMin + appt.punctuality.sdMin * normal(rng);
      // Nobody checks in before the doors open.
      out.push({ ...a, at: Math.max(start, booking.slotStart + Math.round(offsetMin * 60_000)), booking });
    }
  });
  out.sort((a, b) => a.at - b.at || (a.serviceId < b.serviceId ? -1 : 1));
  bookings.sort((a, b) => a.slotStart - b.slotStart || (a.id < b.id ? -1 : 1));
  return { arrivals: out, bookings, unbooked };
}

/**
 * Bookers book ahead of the day, in a random order: each the slot nearest to when it would have
 * come that the hall's booking rule accepts (a later one on a tie). Those who find none walk in.
 */
function bookAhead(config: HallConfig, serviceId: string, date: string, bookers: Arrival[], rng: Rng, idPrefix: string): { citizen: Arrival; booking: SimBooking }[] {
  const service = config.services.find((x) => x.id === serviceId)!;
  const slotMs = service.appointments!.slotMin * 60_000;
  const slots = slotsOn(service, date, config.calendar).map((slot) => ({ slot, start: slotStart(date, slot, config.timezone) }));
  const bookedAt = instantOf(addDays(date, config.booking.openDaysAhead > 0 ? -1 : 0), "00:00", config.timezone);
  const inSlot = new Map<string, number>();
  const order = [...bookers];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const out: { citizen: Arrival; booking: SimBooking }[] = [];
  for (const citizen of order) {
    const distance = (x: { start: number }) => Math.max(0, x.start - citizen.at, citizen.at - (x.start + slotMs));
    const nearest = [...slots].sort((x, y) => distance(x) - distance(y) || y.start - x.start);
    for (const x of nearest) {
      try {
        decideBooking(config, { serviceId, date, slot: x.slot }, { inSlot: inSlot.get(x.slot) ?? 0, onDate: out.length, phoneHasOne: false, misses: [] }, bookedAt);
      } catch (e) {
        if (e instanceof HallCallError && (e.code === "SLOT_FULL" || e.code === "BOOKING_CLOSED")) continue;
        throw e;
      }
      inSlot.set(x.slot, (inSlot.get(x.slot) ?? 0) + 1);
      out.push({ citizen, booking: { id: `${idPrefix}${String(out.length + 1).padStart(5, "0")}`, serviceId, date, slot: x.slot, slotStart: x.start, state: "booked" } });
      break;
    }
  }
  return out;
}

function drawService(rng: Rng, t: Scenario["services"][number]["serviceMin"]): number {
  return t.dist === "exponential" ? exponential(rng, t.mean) : lognormal(rng, t.mean, t.cv);
}

/** A binary min-heap of timed actions; ties run in scheduling order. */
class Agenda {
  private heap: { at: number; n: number; run: () => void }[] = [];
  private n = 0;
  get size(): number {
    return this.heap.length;
  }
  push(at: number, run: () => void): void {
    const h = this.heap;
    h.push({ at, n: this.n++, run });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): { at: number; run: () => void } | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
  private less(a: { at: number; n: number }, b: { at: number; n: number }): boolean {
    return a.at < b.at || (a.at === b.at && a.n < b.n);
  }
}

/** Simulate one day of `sc` under `policy` with the run's `seed`. */
export function simulateDay(sc: Scenario, policy: Policy, seed: number, options: Partial<SimOptions> = {}): RunResult {
  const opts = { ...DEFAULT_SIM_OPTIONS, ...options };
  const config = hallConfigFor(sc, policy);
  const hallId = config.id;
  const start = instantOf(sc.date, sc.open, sc.timezone);
  const clock = new ManualClock(start);
  const store = new MemoryStore();
  store.loadHallSync(config, start);
  const brain = new HallBalancer(config, options.balancer ? { balancer: options.balancer } : {});
  const meanServiceSec = new Map(sc.services.map((s) => [s.id, s.serviceMin.mean * 60]));
  const day = drawDay(sc, config, seed, start);
  const arrivals = day.arrivals;
  const outcomes: BookingOutcomes = { booked: day.bookings.length, missed: day.bookings.length - arrivals.filter((a) => a.booking).length, late: 0, unbooked: day.unbooked, turnedAway: 0 };
  const byTicket = new Map<string, Arrival>();
  const records = new Map<string, TicketRecord>();
  const agenda = new Agenda();
  const idleSince = new Map<string, number>();
  let commandN = 0;
  let ticketN = 0;
  let served = 0;
  let noShows = 0;
  let changes = 0;
  let lastAt = start;
  let pendingArrivals = arrivals.length;

  const exec = (cmd: StoreCommand, by: Actor, newTicketId?: string): HallEvent => {
    const payload = cmd.payload as { commandId?: string };
    if (!payload.commandId) payload.commandId = `sim-${String(++commandN).padStart(8, "0")}`;
    const { event, committed } = store.executeSync(hallId, cmd, { now: clock.now(), by, staffId: null, newTicketId });
    for (const e of committed) {
      brain.observe(e);
      opts.onEvent?.(e);
    }
    return event;
  };
  const snapshot = (): HallSnapshot => store.snapshotSync(hallId);

  /** A free window calls next; returns whether it got someone. */
  const callNext = (windowId: string): boolean => {
    let e: HallEvent;
    try {
      e = exec({ name: "window:callNext", payload: { windowId } as never }, "staff");
    } catch (err) {
      if (err instanceof HallCallError && err.code === "QUEUE_EMPTY") {
        if (!idleSince.has(windowId)) idleSince.set(windowId, clock.now());
        return false;
      }
      throw err;
    }
    idleSince.delete(windowId);
    if (e.type !== "ticket:called") return false;
    const a = byTicket.get(e.ticket.id)!;
    const rec = records.get(e.ticket.id)!;
    rec.calledAt = clock.now() - start;
    rec.waitSec = e.waitSec;
    if (a.noShow) {
      rec.noShow = true;
      agenda.push(clock.now() + opts.noShowAfterSec * 1000, () => {
        exec({ name: "ticket:noShow", payload: { windowId } as never }, "staff");
        noShows++;
        free(windowId);
      });
    } else {
      exec({ name: "ticket:start", payload: { windowId } as never }, "staff");
      agenda.push(clock.now() + Math.max(1000, Math.round(a.serviceSec * 1000)), () => {
        exec({ name: "ticket:finish", payload: { windowId } as never }, "staff");
        served++;
        free(windowId);
      });
    }
    return true;
  };

  /** Windows whose staff are away, or leave once their current citizen is done. */
  const away = new Set<string>();
  const pause = (windowId: string) => {
    idleSince.delete(windowId);
    exec({ name: "window:pause", payload: { windowId, reason: "午休 / away" } as never }, "staff");
  };
  /** A window done with a citizen: its staff leave if due, else it calls next. */
  const free = (windowId: string) => {
    lastAt = clock.now();
    if (away.has(windowId)) pause(windowId);
    else callNext(windowId);
  };

  /** Idle windows that could take `serviceId` (or any, when null) call, longest idle first. */
  const wakeIdle = (serviceId: string | null, onlyOne: boolean) => {
    const s = snapshot();
    const idle = s.windows
      .filter((w) => w.state === "open" && !w.ticketId && (serviceId === null || w.serving.includes(serviceId)))
      .sort((a, b) => (idleSince.get(a.id) ?? 0) - (idleSince.get(b.id) ?? 0));
    for (const w of idle) if (callNext(w.id) && onlyOne) return;
  };

  // Open every window; staff away at the opening pause it at once.
  for (const w of config.windows) exec({ name: "window:open", payload: { windowId: w.id } as never }, "staff");
  const openMin = minutesOf(sc.open);
  for (const w of sc.windows) {
    for (const t of w.away) {
      agenda.push(start + (minutesOf(t.from) - openMin) * 60_000, () => {
        away.add(w.id);
        const win = snapshot().windows.find((x) => x.id === w.id)!;
        if (win.state === "open" && !win.ticketId) pause(w.id);
      });
      agenda.push(start + (minutesOf(t.to) - openMin) * 60_000, () => {
        away.delete(w.id);
        if (snapshot().windows.find((x) => x.id === w.id)!.state !== "paused") return;
        exec({ name: "window:resume", payload: { windowId: w.id } as never }, "staff");
        callNext(w.id);
      });
    }
  }
  brain.begin(snapshot(), start);

  /** The bookings still to come, read from the day's bookings as the server reads its records. */
  const booked = () => (opts.forecastBookings ? bookedArrivals(config.booking, day.bookings, clock.now(), brain.rates.checkInOffsets()) : []);

  /** The citizen's ticket: a walk-in's from the kiosk, a booker's by check-in; null when none was given. */
  const ticketFor = (a: Arrival, id: string): Ticket | null => {
    const walkIn = (): Ticket | null => {
      try {
        const e = exec({ name: "ticket:issue", payload: { serviceId: a.serviceId, priority: a.priority, channel: "kiosk", then: [] } as never }, "kiosk", id);
        return e.type === "ticket:issued" ? e.ticket : null;
      } catch (err) {
        if (err instanceof HallCallError && err.code === "SERVICE_CLOSED") return null;
        throw err;
      }
    };
    const b = a.booking;
    if (!b) return walkIn();
    try {
      const e = exec({ name: "ticket:checkIn", payload: { commandId: `sim-checkin-${b.id}`, priority: a.priority, booking: { id: b.id, serviceId: b.serviceId, date: b.date, slot: b.slot, name: "张*" } } }, "kiosk", id);
      b.state = "checkedIn";
      if (e.type !== "ticket:issued") return null;
      if (!e.ticket.appointment?.onTime) outcomes.late++;
      return e.ticket;
    } catch (err) {
      if (!(err instanceof HallCallError)) throw err;
      if (err.code === "CHECK_IN_TOO_LATE") {
        // The kiosk sends a late citizen to take a ticket; the booking stays unused.
        outcomes.late++;
        return walkIn();
      }
      if (err.code === "SERVICE_CLOSED") return null;
      throw err;
    }
  };

  const come = (a: Arrival) => {
    const b = a.booking;
    const opensAt = b ? b.slotStart - config.booking.earlyMin * 60_000 : -Infinity;
    if (clock.now() < opensAt) {
      // Too early to check in: the kiosk says when check-in opens, and the citizen waits for it.
      agenda.push(opensAt, () => come(a));
      return;
    }
    pendingArrivals--;
    lastAt = clock.now();
    const id = `t${String(++ticketN).padStart(6, "0")}`;
    const ticket = ticketFor(a, id);
    if (!ticket) {
      outcomes.turnedAway++;
      return;
    }
    byTicket.set(id, a);
    const appointment = ticket.appointment ? { slotStart: ticket.appointment.slotStart - start, onTime: ticket.appointment.onTime } : null;
    const rec: TicketRecord = { serviceId: a.serviceId, priority: a.priority, issuedAt: clock.now() - start, calledAt: -1, waitSec: -1, noShow: false, etaSec: null, naiveSec: null, appointment };
    records.set(id, rec);
    if (opts.eta) {
      const s = snapshot();
      const now = clock.now();
      rec.etaSec = etaFor(s, brain.rates.at(now), now, id, { primaryPreference: config.dispatch.primaryPreference, booked: booked() });
      rec.naiveSec = naiveEtaSec(s, id, meanServiceSec.get(a.serviceId)!);
    }
    wakeIdle(a.serviceId, true);
  };
  for (const a of arrivals) agenda.push(a.at, () => come(a));

  if (policy === "dynamic") {
    const round = () => {
      const now = clock.now();
      const s = snapshot();
      const { commands } = brain.round(s, now, booked());
      for (const cmd of commands) {
        exec(cmd, "balancer");
        changes++;
      }
      if (commands.length) wakeIdle(null, false);
      const alive = pendingArrivals > 0 || snapshot().tickets.length > 0;
      if (alive) agenda.push(now + opts.balancerEverySec * 1000, round);
    };
    agenda.push(start + opts.balancerEverySec * 1000, round);
  }

  for (let ev = agenda.pop(); ev; ev = agenda.pop()) {
    clock.set(ev.at);
    ev.run();
  }

  return {
    policy,
    seed,
    tickets: [...records.values()],
    served,
    noShows,
    balancerChanges: changes,
    dayLengthMs: lastAt - start,
    bookings: hasAppointments(sc) ? outcomes : null,
  };
}
