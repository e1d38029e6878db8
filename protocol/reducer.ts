/**
 * The one reducer: applies a hall event to a snapshot. Every client keeps its view with it, the
 * memory store keeps its state with it, and tests compare stores through it.
 */
import { ENDED_STATES, WAIT_BUCKETS_MIN, type HallEvent, type HallSnapshot, type HallStats, type StaffStats, type Ticket, type Window } from "./schemas.js";

export const RECENT_CALLS = 12;

export function emptyStats(): HallStats {
  return {
    issued: {},
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
export type ApplyResult = { ok: true; snapshot: HallSnapshot } | { ok: false; reason: "gap" | "stale" | "otherHall" | "newDay" };

/**
 * Apply one event. Events at or below the snapshot's seq are stale (already included); an event
 * more than one ahead reveals a gap. Neither changes the snapshot. The input is not mutated.
 */
export function applyEvent(snapshot: HallSnapshot, event: HallEvent): ApplyResult {
  if (event.hallId !== snapshot.hallId) return { ok: false, reason: "otherHall" };
  if (event.seq <= snapshot.seq) return { ok: false, reason: "stale" };
  if (event.seq !== snapshot.seq + 1) return { ok: false, reason: "gap" };
  if (event.type === "hall:dayStarted") return { ok: false, reason: "newDay" };
  const next: HallSnapshot = { ...snapshot, seq: event.seq, at: event.at };
  reduceInto(next, event);
  return { ok: true, snapshot: next };
}

/** Puts an event's ticket and window into `s` (a fresh shallow copy): the part of an event every view shares. */
export function upsertTicketAndWindow(s: HallSnapshot, e: HallEvent): void {
  if ("ticket" in e) {
    const t: Ticket = e.ticket;
    const rest = s.tickets.filter((x) => x.id !== t.id);
    s.tickets = ENDED_STATES.includes(t.state) ? rest : [...rest, t];
  }
  if ("window" in e && e.window) {
    const w: Window = e.window;
    s.windows = s.windows.map((x) => (x.id === w.id ? w : x));
  }
}

function bump(map: Record<string, number>, key: string, by = 1): Record<string, number> {
  return { ...map, [key]: (map[key] ?? 0) + by };
}

function staff(stats: HallStats, staffId: string): StaffStats {
  return stats.byStaff[staffId] ?? { served: 0, serviceSecSum: 0, ratings: [0, 0, 0, 0, 0] };
}

/** Mutates `s` (a fresh shallow copy made by the caller) with the effect of `e`. */
function reduceInto(s: HallSnapshot, e: HallEvent): void {
  upsertTicketAndWindow(s, e);
  const st: HallStats = { ...s.stats };
  switch (e.type) {
    case "ticket:issued": {
      st.issued = bump(st.issued, e.ticket.serviceId);
      const hour = localHour(e.ticket.issuedAt, s.timezone);
      st.issuedByHour = st.issuedByHour.map((n, h) => (h === hour ? n + 1 : n));
      break;
    }
    case "ticket:called":
      s.recentCalls = [{ ticketId: e.ticket.id, number: e.ticket.number, windowId: e.window.id, at: e.at }, ...s.recentCalls.filter((c) => c.ticketId !== e.ticket.id)].slice(0, RECENT_CALLS);
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
      const r = e.ticket.rating;
      if (r) {
        st.ratings = st.ratings.map((n, i) => (i === r - 1 ? n + 1 : n));
        if (e.ticket.staffId) {
          const cur = staff(st, e.ticket.staffId);
          st.byStaff = { ...st.byStaff, [e.ticket.staffId]: { ...cur, ratings: cur.ratings.map((n, i) => (i === r - 1 ? n + 1 : n)) } };
        }
      }
      break;
    }
    case "balancer:modeChanged":
      s.balancer = { ...s.balancer, mode: e.mode };
      break;
    case "balancer:suggested":
      s.balancer = { ...s.balancer, suggestions: [...s.balancer.suggestions.filter((x) => x.windowId !== e.suggestion.windowId), e.suggestion] };
      break;
    case "balancer:suggestionClosed":
      s.balancer = { ...s.balancer, suggestions: s.balancer.suggestions.filter((x) => x.id !== e.suggestionId) };
      break;
    default:
      break;
  }
  s.stats = st;
}
