/** Per-service queue rows of the console, as the hall's queue summary states them, and the windows a waiting ticket could be called to. */
import { windowRefusal, type HallSnapshot, type QueueSummary, type ServiceInfo, type Ticket, type Window } from "../protocol/index.js";

export interface QueueRow {
  service: ServiceInfo;
  waiting: number;
  /** Seconds the oldest waiting ticket has waited (0 when none), as of now. */
  oldestSec: number;
  /** Expected wait of a ticket issued now, seconds; null with no window serving it. */
  etaSec: number | null;
  windows: number;
  /** The server's alert: the oldest or expected wait is past the target, or nobody serves a queue. */
  overTarget: boolean;
}

/** Rows for the services the summary covers; the oldest wait runs on from the summary's time. */
export function queueRows(s: HallSnapshot, q: QueueSummary | null, now: number): QueueRow[] {
  if (!q || q.hallId !== s.hallId) return [];
  return s.services.flatMap((service) => {
    const sum = q.services[service.id];
    if (!sum) return [];
    const oldestSec = sum.waiting ? sum.oldestWaitSec + Math.max(0, now - q.at) / 1000 : 0;
    return [{ service, waiting: sum.waiting, oldestSec, etaSec: sum.newTicketEtaSec, windows: sum.windows, overTarget: sum.overTarget }];
  });
}

/**
 * The windows that could take this ticket by 指定叫号 now: open and free (the protocol's
 * WINDOW_RULES), and the one it was sent to, else any qualified for its service. The server decides.
 */
export function callableWindows(t: Ticket, windows: Window[]): Window[] {
  return windows.filter((w) => windowRefusal("window:callTicket", w, undefined) === null && (t.targetWindowId ? w.id === t.targetWindowId : w.qualified.includes(t.serviceId)));
}
