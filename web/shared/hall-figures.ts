/**
 * What the citizen-facing screens (board, kiosk) show about a service, read from what the server
 * sent: the snapshot and the latest QueueSummary. Nothing here is invented on the client — a
 * waiting count is counted from the snapshot only while the summary is behind it.
 */
import { minutes, tr } from "./i18n.js";
import type { HallSnapshot, QueueSummary, ServiceInfo, Ticket, Window } from "../../protocol/index.js";

/** Hall-local "HH:MM" of an instant (same rule as the server's opening-hours check). */
export function hallTime(at: number, timezone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}

export type Availability = "open" | "closed" | "quotaExhausted";

/** Whether a ticket can be taken for a service now: opening hours in the hall's zone, then the daily quota (号源). */
export function availability(snapshot: HallSnapshot, service: ServiceInfo, now: number): Availability {
  const t = hallTime(now, snapshot.timezone);
  if (t < service.opens || t >= service.closes) return "closed";
  if ((snapshot.stats.issued[service.id] ?? 0) >= service.dailyQuota) return "quotaExhausted";
  return "open";
}

export interface ServiceFigures {
  waiting: number;
  /** Expected wait of a ticket issued now, seconds; null before the first summary. */
  etaSec: number | null;
  /** Open windows serving the service now (from the summary); null before the first summary. */
  windows: number | null;
}

/** Waiting count and expected wait of one service. */
export function serviceFigures(snapshot: HallSnapshot, queue: QueueSummary | null, serviceId: string): ServiceFigures {
  const q = queue?.hallId === snapshot.hallId ? queue.services[serviceId] : undefined;
  const current = q && queue!.seq >= snapshot.seq;
  const waiting = current ? q.waiting : snapshot.tickets.filter((t) => t.state === "waiting" && t.serviceId === serviceId).length;
  return { waiting, etaSec: q ? q.newTicketEtaSec : null, windows: q ? q.windows : null };
}

export const windowOf = (snapshot: HallSnapshot, id: string | null): Window | undefined => (id ? snapshot.windows.find((w) => w.id === id) : undefined);
export const ticketOf = (snapshot: HallSnapshot, id: string | null): Ticket | undefined => (id ? snapshot.tickets.find((t) => t.id === id) : undefined);
export const serviceOf = (snapshot: HallSnapshot, id: string): ServiceInfo | undefined => snapshot.services.find((s) => s.id === id);

/**
 * Waiting tickets of the same service called before `t` by the queue's own order (priority rank,
 * then arrival). For the printed ticket, and for the tracker until the first QueueSummary arrives.
 */
export function aheadOf(s: Pick<HallSnapshot, "tickets" | "priorityClasses">, t: Pick<Ticket, "id" | "serviceId" | "priority" | "arrivedAt">): number {
  const rank = (id: string) => s.priorityClasses.find((p) => p.id === id)?.rank ?? 0;
  const mine = rank(t.priority);
  return s.tickets.filter((x) => x.id !== t.id && x.state === "waiting" && x.serviceId === t.serviceId && (rank(x.priority) > mine || (rank(x.priority) === mine && x.arrivedAt <= t.arrivedAt))).length;
}

/** "预计等待 约 12 分钟" / "Wait about 12 min"; "基本无需等待" / "Almost no wait" under a minute. */
export function expectedWait(sec: number): string {
  return Math.round(sec / 60) < 1 ? tr({ zh: "基本无需等待", en: "Almost no wait" }) : `${tr({ zh: "预计等待", en: "Wait" })} ${minutes(sec)}`;
}
