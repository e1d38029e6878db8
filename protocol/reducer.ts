/**
 * The one reducer: applies a hall event to a snapshot. Every client keeps its view with it, the
 * memory store keeps its state with it, and tests compare stores through it.
 */
import { ratedPart } from "./ratings.js";
import { ENDED_STATES, WAIT_BUCKETS_MIN, type HallEvent, type HallSnapshot, type HallStats, type StaffStats, type Ticket, type Window } from "./schemas.js";

export const RECENT_CALLS = 12;

export function emptyStats(): HallStats {
  return {
    issued: {},
    booked: {},
    called: {},
    finished: {},
    noShows: {},
    issuedByHour: new Array(24).fill(0),
    waitHistogram: new Array(WAIT_BUCKETS_MIN.length + 1).fill(0),
    waitSecSum: 0,
    waitCount: 0,
    ratings: [0, 0, 0, 0, 0],
    byStaff: {},
  };
}

export function waitBucket(waitSec: number): number {
  const i = WAIT_BUCKETS_MIN.findIndex((m) => waitSec < m * 60);
  return i === -1 ? WAIT_BUCKETS_MIN.length : i;
}

const hourFormats = new Map<string, Intl.DateTimeFormat>();

/** Hall-local hour (0..23) of an instant. */
export function localHour(at: number, timezone: string): number {
  let f = hourFormats.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone: timezone, hour: "2-digit", hourCycle: "h23" });
    hourFormats.set(timezone, f);
  }
  return Number(f.format(at)) % 24;
}

/** What the result of applying an event to a snapshot is: a gap means the caller must resync. */
export type ApplyResult = { ok: true; snapshot: HallSnapshot } | { ok: false; reason: "gap" | "stale" | "otherHall" | "otherEpoch" };

/** Whether an event counts in another run of the log than the snapshot (a new day starts the next one). */
export const otherEpoch = (snapshot: HallSnapshot, event: HallEvent): boolean => event.type !== "hall:dayStarted" && event.epoch !== snapshot.epoch;

/**
 * Apply one event. Events at or below the snapshot's seq are stale (already included); an event
 * more than one ahead reveals a gap, one of another epoch a log that went back. None changes the
 * snapshot. The input is not mutated.
 */
export function applyEvent(snapshot: HallSnapshot, event: HallEvent): ApplyResult {
  if (event.hallId !== snapshot.hallId) return { ok: false, reason: "otherHall" };
  if (otherEpoch(snapshot, event)) return { ok: false, reason: "otherEpoch" };
  if (event.seq <= snapshot.seq) return { ok: false, reason: "stale" };
  if (event.seq !== snapshot.seq + 1) return { ok: false, reason: "gap" };
  const next: HallSnapshot = { ...snapshot, seq: event.seq, at: event.at };
  reduceInto(next, event);
  return { ok: true, snapshot: next };
}

/** Puts a ticket's new state into `s` (a fresh shallow copy); an ended ticket leaves the live list. */
export function upsertTicket(s: HallSnapshot, t: Ticket): void {
  const rest = s.tickets.filter((x) => x.id !== t.id);
  s.tickets = ENDED_STATES.includes(t.state) ? rest : [...rest, t];
}

/** Puts a window's new state into `s` (a fresh shallow copy). */
export function upsertWindow(s: HallSnapshot, w: Window): void {
  s.windows = s.windows.map((x) => (x.id === w.id ? w : x));
}

/** The ticket and window an event carries, if any. */
export function eventTicket(e: HallEvent): Ticket | null {
  return "ticket" in e ? e.ticket : null;
}
export function eventWindow(e: HallEvent): Window | null {
  return "window" in e && e.window ? e.window : null;
}

function bump(map: Record<string, number>, key: string, by = 1): Record<string, number> {
  return { ...map, [key]: (map[key] ?? 0) + by };
}

function staff(stats: HallStats, staffId: string): StaffStats {
  return stats.byStaff[staffId] ?? { served: 0, serviceSecSum: 0, ratings: [0, 0, 0, 0, 0] };
}

const LIVE_AT_WINDOW: Ticket["state"][] = ["called", "serving"];

/**
 * A new business day: numbers, figures and suggestions restart. Tickets still waiting, called,
 * in service or parked carry over (a hall open through midnight loses none), and so do the calls
 * on the board of tickets still at a window; windows keep what they hold and restart servedToday.
 */
export function startDay(s: HallSnapshot, businessDate: string): HallSnapshot {
  const atWindow = new Set(s.tickets.filter((t) => LIVE_AT_WINDOW.includes(t.state)).map((t) => t.id));
  return {
    ...s,
    businessDate,
    recentCalls: s.recentCalls.filter((c) => atWindow.has(c.ticketId)),
    stats: emptyStats(),
    windows: s.windows.map((w) => ({ ...w, servedToday: 0 })),
    balancer: { ...s.balancer, suggestions: [] },
  };
}

/** Mutates `s` (a fresh shallow copy made by the caller) with the effect of `e`. */
function reduceInto(s: HallSnapshot, e: HallEvent): void {
  if (e.type === "hall:dayStarted") {
    Object.assign(s, startDay(s, e.businessDate), { epoch: e.epoch });
    return;
  }
  const t = eventTicket(e);
  if (t) upsertTicket(s, t);
  const w = eventWindow(e);
  if (w) upsertWindow(s, w);
  if (e.type === "ticket:called") s.recentCalls = [{ ticketId: e.ticket.id, number: e.ticket.number, windowId: e.window.id, at: e.at, booked: e.ticket.channel === "appointment" }, ...s.recentCalls.filter((c) => c.ticketId !== e.ticket.id)].slice(0, RECENT_CALLS);
  if (e.type === "balancer:modeChanged") s.balancer = { ...s.balancer, mode: e.mode };
  if (e.type === "balancer:suggested") s.balancer = { ...s.balancer, suggestions: [...s.balancer.suggestions.filter((x) => x.windowId !== e.suggestion.windowId), e.suggestion] };
  if (e.type === "balancer:suggestionClosed") s.balancer = { ...s.balancer, suggestions: s.balancer.suggestions.filter((x) => x.id !== e.suggestionId) };
  s.stats = reduceStats(s.stats, e, s.timezone);
}

/** Today's figures after one more event (a new object; the input is not mutated). */
export function reduceStats(stats: HallStats, e: HallEvent, timezone: string): HallStats {
  const st: HallStats = { ...stats };
  switch (e.type) {
    case "ticket:issued": {
      st.issued = bump(st.issued, e.ticket.serviceId);
      if (e.ticket.appointment) st.booked = bump(st.booked ?? {}, e.ticket.serviceId);
      const hour = localHour(e.ticket.issuedAt, timezone);
      st.issuedByHour = st.issuedByHour.map((n, h) => (h === hour ? n + 1 : n));
      break;
    }
    case "ticket:called":
      if (!e.recall) {
        st.called = bump(st.called, e.ticket.serviceId);
        st.waitHistogram = st.waitHistogram.map((n, i) => (i === waitBucket(e.waitSec) ? n + 1 : n));
        st.waitSecSum += e.waitSec;
        st.waitCount += 1;
      }
      break;
    case "ticket:finished": {
      st.finished = bump(st.finished, e.serviceId);
      if (e.ticket.staffId) {
        const cur = staff(st, e.ticket.staffId);
        st.byStaff = { ...st.byStaff, [e.ticket.staffId]: { ...cur, served: cur.served + 1, serviceSecSum: cur.serviceSecSum + e.serviceSec } };
      }
      break;
    }
    case "ticket:noShow":
      st.noShows = bump(st.noShows, e.ticket.serviceId);
      break;
    case "ticket:rated": {
      // A service's rating counts for its window's staff; a bundle's whole matter is no one window's.
      const part = ratedPart(e);
      const r = part.rating;
      if (r && part.scope === "service") {
        st.ratings = st.ratings.map((n, i) => (i === r - 1 ? n + 1 : n));
        if (part.staffId) {
          const cur = staff(st, part.staffId);
          st.byStaff = { ...st.byStaff, [part.staffId]: { ...cur, ratings: cur.ratings.map((n, i) => (i === r - 1 ? n + 1 : n)) } };
        }
      }
      break;
    }
    default:
      break;
  }
  return st;
}
