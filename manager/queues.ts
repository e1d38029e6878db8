/** Per-service queue figures the console derives from the snapshot and the queue summary. */
import type { HallSnapshot, QueueSummary, ServiceInfo } from "../protocol/index.js";

export interface QueueRow {
  service: ServiceInfo;
  waiting: number;
  /** Seconds the oldest waiting ticket has waited (0 when none). */
  oldestSec: number;
  /** Expected wait of a ticket issued now, seconds; null before the first summary or with no window serving it. */
  etaSec: number | null;
  windows: number;
  /** Oldest wait or expected wait passes the service's target. */
  overTarget: boolean;
}

export function queueRows(s: HallSnapshot, q: QueueSummary | null, now: number): QueueRow[] {
  return s.services.map((service) => {
    const waiting = s.tickets.filter((t) => t.state === "waiting" && t.serviceId === service.id);
    const oldestSec = waiting.length ? Math.max(0, (now - Math.min(...waiting.map((t) => t.queuedAt))) / 1000) : 0;
    const sum = q?.services[service.id];
    const windows = sum?.windows ?? s.windows.filter((w) => w.state === "open" && w.serving.includes(service.id)).length;
    const etaSec = sum?.newTicketEtaSec ?? null;
    const target = service.targetWaitMin * 60;
    return { service, waiting: waiting.length, oldestSec, etaSec, windows, overTarget: oldestSec > target || (waiting.length > 0 && (windows === 0 || (etaSec !== null && etaSec > target))) };
  });
}
