/**
 * A late rating (补评): a citizen who did not rate at the pad may rate from the tracker link, once,
 * within `rating.lateDays` days of the ticket's business day, and only a finished ticket. What the
 * tracker rates is the ticket's one service, or for a 一件事 bundle the whole matter (整件事): its
 * steps are the pads' (rating.ts). Pure: the route asks it on the hall's ticket while the hall
 * still holds it (the pad and the tracker then race on the same state, and the hall's own
 * command settles who was first), else the records store asks it on the ticket's row inside the
 * transaction that records the rating.
 *
 *   decideLateRating({ state: "finished", businessDate: "2026-03-02", rating: null, steps: 1 }, "2026-03-05", hall.rating)   // "service"
 */
import { HallCallError, type RatingScope, type TicketState } from "../../protocol/index.js";
import { daysBetween } from "./calendar.js";
import type { HallConfig } from "./config.js";

/** What the rule needs of a ticket. */
export interface RateableTicket {
  state: TicketState;
  businessDate: string;
  /** The ticket's own rating: of its one service, or of a bundle's whole matter. */
  rating: number | null;
  /** How many services it is: 1, or a bundle's steps. */
  steps: number;
}

/** Throws the refusal, or answers what the tracker rates on `today` (the hall's business date). */
export function decideLateRating(t: RateableTicket, today: string, rules: HallConfig["rating"]): RatingScope {
  if (t.state !== "finished") throw new HallCallError("NOT_RATEABLE", t.state === "noShow" || t.state === "cancelled" ? "The ticket was not served, so there is no service to rate." : "The ticket is not finished yet; rate it once its service is done.");
  if (t.rating !== null) throw new HallCallError("ALREADY_RATED");
  if (daysBetween(t.businessDate, today) > rules.lateDays) throw new HallCallError("RATING_EXPIRED", `A ticket can be rated up to ${rules.lateDays} days after its day; this one was on ${t.businessDate}.`);
  return t.steps > 1 ? "whole" : "service";
}
