/**
 * A late rating (补评): a citizen who did not rate at the pad may rate from the tracker link, once
 * per ticket, within `rating.lateDays` days of the ticket's business day, and only a finished
 * ticket. Pure: the route asks it on the hall's ticket while the hall still holds it (the pad and
 * the tracker then race on the same state, and the hall's own ticket:rate settles who was first),
 * else the records store asks it on the ticket's row inside the transaction that records the
 * rating.
 *
 *   decideLateRating({ state: "finished", businessDate: "2026-03-02", rating: null }, "2026-03-05", hall.rating)
 */
import { HallCallError, type TicketState } from "../../protocol/index.js";
import { daysBetween } from "./calendar.js";
import type { HallConfig } from "./config.js";

/** What the rule needs of a ticket. */
export interface RateableTicket {
  state: TicketState;
  businessDate: string;
  rating: number | null;
}

/** Throws the refusal, or returns when the ticket may be rated on `today` (the hall's business date). */
export function decideLateRating(t: RateableTicket, today: string, rules: HallConfig["rating"]): void {
  if (t.state !== "finished") throw new HallCallError("NOT_RATEABLE", t.state === "noShow" || t.state === "cancelled" ? "The ticket was not served, so there is no service to rate." : "The ticket is not finished yet; rate it once its service is done.");
  if (t.rating !== null) throw new HallCallError("ALREADY_RATED");
  if (daysBetween(t.businessDate, today) > rules.lateDays) throw new HallCallError("RATING_EXPIRED", `A ticket can be rated up to ${rules.lateDays} days after its day; this one was on ${t.businessDate}.`);
}
