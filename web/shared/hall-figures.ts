/**
 * What the citizen-facing screens (board, kiosk) show about a service, read from what the server
 * sent: the snapshot and the latest QueueSummary. Nothing here decides a rule: availability,
 * waiting counts and expected waits are the server's (the summary), and each ticket's place is in
 * its service's `order`.
 */
import { minutes, tr } from "./i18n.js";
import type { Availability, Bilingual, HallSnapshot, QueueSummary, ServiceInfo, Ticket, Window } from "../../protocol/index.js";

/** Hall-local "HH:MM" of an instant, for the clocks on the screens. */
export function hallTime(at: number, timezone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}

export interface ServiceFigures {
  /** Tickets waiting; null before the first summary. */
  waiting: number | null;
  /** Expected wait of a ticket issued now, seconds; null before the first summary or with no window serving it. */
  etaSec: number | null;
  /** Open windows serving the service now; null before the first summary. */
  windows: number | null;
  /** Whether a ticket can be taken now; null before the first summary. */
  availability: Availability | null;
}

/** One service's figures from the hall's latest summary. */
export function serviceFigures(hallId: string, queue: QueueSummary | null, serviceId: string): ServiceFigures {
  const q = queue?.hallId === hallId ? queue.services[serviceId] : undefined;
  return q ? { waiting: q.waiting, etaSec: q.newTicketEtaSec, windows: q.windows, availability: q.availability } : { waiting: null, etaSec: null, windows: null, availability: null };
}

/** What a closed service shows, as the server wrote it ("暂停取号，周六 09:00 开始办理"); null while open or before the first summary. */
export function closedNotice(hallId: string, queue: QueueSummary | null, serviceId: string): Bilingual | null {
  const q = queue?.hallId === hallId ? queue.services[serviceId] : undefined;
  return q?.availability === "closed" ? q.notice : null;
}

export const windowOf = (snapshot: HallSnapshot, id: string | null): Window | undefined => (id ? snapshot.windows.find((w) => w.id === id) : undefined);
export const ticketOf = (snapshot: HallSnapshot, id: string | null): Ticket | undefined => (id ? snapshot.tickets.find((t) => t.id === id) : undefined);
export const serviceOf = (snapshot: HallSnapshot, id: string): ServiceInfo | undefined => snapshot.services.find((s) => s.id === id);

/** "预计等待 约 12 分钟" / "Wait about 12 min"; "基本无需等待" / "Almost no wait" under a minute. */
export function expectedWait(sec: number): string {
  return Math.round(sec / 60) < 1 ? tr({ zh: "基本无需等待", en: "Almost no wait" }) : `${tr({ zh: "预计等待", en: "Wait" })} ${minutes(sec)}`;
}
