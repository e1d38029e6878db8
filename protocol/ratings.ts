/**
 * Which service a rating is of, read from the ticket the server sent: one place for the pad, the
 * counter, the reducer and the records to find a step's service, window and staff. Whether a
 * rating may be given is the server's (server/domain/rating.ts, late-rating.ts).
 *
 *   ratedPart(e)            // e a ticket:rated: { scope: "service", step: 0, serviceId: "social", windowId: "1", staffId: "alice", rating: 4 }
 *   servedAt(ticket, "1")   // what window 1 last served of the ticket, with its pad rating so far
 */
import type { HallEvent, RatingScope, Ticket } from "./schemas.js";

/** What a `ticket:rated` event rated. */
export interface RatedPart {
  scope: RatingScope;
  /** The bundle step rated (0 for a ticket of one service); null for the whole matter. */
  step: number | null;
  /** The service event's service, window and staff; null for the whole matter, which no one window served. */
  serviceId: string | null;
  windowId: string | null;
  staffId: string | null;
  rating: number | null;
}

type Rated = Pick<Extract<HallEvent, { type: "ticket:rated" }>, "ticket" | "scope" | "step">;

export function ratedPart(e: Rated): RatedPart {
  const t = e.ticket;
  if (e.scope === "whole") return { scope: "whole", step: null, serviceId: null, windowId: null, staffId: null, rating: t.rating };
  const s = e.step === null ? undefined : t.served.find((x) => x.step === e.step);
  if (s) return { scope: "service", step: s.step, serviceId: s.serviceId, windowId: s.windowId, staffId: s.staffId, rating: s.rating };
  return { scope: "service", step: t.bundleStep, serviceId: t.serviceId, windowId: t.windowId, staffId: t.staffId, rating: t.rating };
}

/** A service a window gave a ticket, as its pad rates it. */
export interface ServedHere {
  /** The bundle step; null for a ticket of one service. */
  step: number | null;
  serviceId: string;
  endedAt: number;
  rating: number | null;
}

/**
 * The service the window last finished for the ticket: the latest step of a bundle served there,
 * or a ticket of one service finished there; null when the window finished none of it.
 */
export function servedAt(t: Ticket, windowId: string): ServedHere | null {
  if (t.bundle.length) {
    const s = [...t.served].reverse().find((x) => x.windowId === windowId);
    return s ? { step: s.step, serviceId: s.serviceId, endedAt: s.endedAt, rating: s.rating } : null;
  }
  return t.state === "finished" && t.windowId === windowId ? { step: null, serviceId: t.serviceId, endedAt: t.endedAt ?? 0, rating: t.rating } : null;
}
