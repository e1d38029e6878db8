/**
 * 好差评, once per service and once per matter. A ticket of one service has one rating: its
 * window's pad takes it when the service is finished, or the tracker later (late-rating.ts). A
 * 一件事 bundle is rated once per step, at the pad of the window that served the step, as it ends
 * (the ticket moves on to its next step or finishes); and once as a whole matter (整件事), on the
 * tracker, when every step is done. Nothing is rated twice (ALREADY_RATED). Pure: the hall's
 * transitions ask these on the ticket they hold.
 *
 *   decidePadRating(ticket, "1", 5)          // the service window 1 finished for it, rated 5
 *   decidePadRating(ticket, "2", 4, 1)       // the bundle's step 1, served at window 2
 *   decideWholeRating(finishedBundle, 3)     // the whole matter
 */
import { HallCallError, servedAt, type Rating, type Ticket } from "../../protocol/index.js";

/** The ticket with the rating in it, and which step it rated (null: a ticket of one service). */
export interface PadRated {
  ticket: Ticket;
  step: number | null;
}

const notHere = (): never => {
  throw new HallCallError("ILLEGAL_TRANSITION", "Only a service finished at this window can be rated here.");
};

/**
 * A rating at the window's pad. A ticket of one service: finished at this window, not rated yet.
 * A bundle: the step `step` (without it, the latest this window served), served at this window,
 * not rated yet; the ticket may be waiting for its next step already.
 */
export function decidePadRating(t: Ticket, windowId: string, rating: Rating, step?: number): PadRated {
  if (!t.bundle.length) {
    if (step !== undefined && step !== 0) notHere();
    if (!servedAt(t, windowId)) notHere();
    if (t.rating !== null) throw new HallCallError("ALREADY_RATED");
    return { ticket: { ...t, rating }, step: null };
  }
  const target = step === undefined ? servedAt(t, windowId)?.step : step;
  const s = t.served.find((x) => x.step === target);
  if (!s || s.windowId !== windowId) return notHere();
  if (s.rating !== null) throw new HallCallError("ALREADY_RATED", "This step has already been rated.");
  return { ticket: { ...t, served: t.served.map((x) => (x === s ? { ...x, rating } : x)) }, step: s.step };
}

/** A bundle's whole matter (整件事): every step done, not rated as a whole yet. */
export function decideWholeRating(t: Ticket, rating: Rating): Ticket {
  if (!t.bundle.length) throw new HallCallError("ILLEGAL_TRANSITION", "A ticket of one service is rated as its service, not as a whole matter.");
  if (t.state !== "finished") throw new HallCallError("NOT_RATEABLE", "The matter is rated as a whole once every step is done.");
  if (t.rating !== null) throw new HallCallError("ALREADY_RATED", "This matter has already been rated as a whole.");
  return { ...t, rating };
}
