/**
 * 差评回访整改: a 不满意 (2) or 非常不满意 (1) rating opens a follow-up for the hall's managers, due
 * `followUp.workingDays` working days after the ticket's business day. The manager calls the
 * citizen back, records the rectification (整改) taken, or appeals (申诉复核) a rating judged
 * mistaken, then closes it. Pure: the records store reads a follow-up, asks `decideStep`, and
 * commits what it answers in the same transaction.
 *
 *   open ──callback──▶ calledBack ──rectification──▶ rectified ──close──▶ closed
 *     │                   │  ▲ callback (again)        ▲ │ callback, rectification (more)
 *     │                   │  └──────────┘              └─┘
 *     ├──rectification────┼──────────────▶ rectified
 *     └──appeal───────────┴──appeal──────▶ appealed ──close──▶ closed
 *   calledBack ──close──▶ closed, once the citizen was reached (an explanation may be all it takes)
 *
 * An appeal contests the rating, a rectification accepts it: one excludes the other. Nothing is
 * recorded on a closed follow-up (FOLLOW_UP_CLOSED); a step its state does not allow is
 * ILLEGAL_TRANSITION.
 *
 *   decideStep({ state: "open", reached: false, rectified: false, appealed: false }, { kind: "callback", reached: true, note: "…" })
 *   dueDateOf("2026-03-06", termsOf(hall))   // "2026-03-13": 5 working days from a Friday, without holidays
 */
import { HallCallError, type FollowUpState, type FollowUpStepInput } from "../../protocol/index.js";
import { addDays, addWorkingDays, isWorkingDay, type HallCalendar } from "./calendar.js";
import type { HallConfig } from "./config.js";

/** What the deadline needs of a hall. */
export interface FollowUpTerms {
  workingDays: number;
  calendar: HallCalendar;
}

export const termsOf = (hall: Pick<HallConfig, "followUp" | "calendar">): FollowUpTerms => ({ workingDays: hall.followUp.workingDays, calendar: hall.calendar });

/** The ratings that open a follow-up: 不满意 and 非常不满意 (the reports' 差评). */
export const opensFollowUp = (rating: number): boolean => rating <= 2;

/** The last day to close a follow-up of a rating given on `businessDate`. */
export const dueDateOf = (businessDate: string, terms: FollowUpTerms): string => addWorkingDays(businessDate, terms.workingDays, terms.calendar);

/** Overdue: not closed, and its due date is behind `today` (the hall's business date). */
export const isOverdue = (f: { state: FollowUpState; dueDate: string }, today: string): boolean => f.state !== "closed" && today > f.dueDate;

/** Closed after its due date. */
export const closedLate = (f: { dueDate: string; closedDate: string | null }): boolean => f.closedDate !== null && f.closedDate > f.dueDate;

/**
 * Working days after `from` up to and including `to` (0 for the same day): how long a follow-up
 * took, as its deadline counts.
 */
export function workingDaysBetween(from: string, to: string, calendar: HallCalendar): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, calendar)) n++;
  return n;
}

/** What a step decides on, and what it leaves. */
export interface FollowUpFacts {
  state: FollowUpState;
  /** Reached by a callback at least once. */
  reached: boolean;
  rectified: boolean;
  appealed: boolean;
}

const illegal = (message: string): never => {
  throw new HallCallError("ILLEGAL_TRANSITION", message);
};

/** The follow-up after one more step, or the refusal. */
export function decideStep(f: FollowUpFacts, step: FollowUpStepInput): FollowUpFacts {
  if (f.state === "closed") throw new HallCallError("FOLLOW_UP_CLOSED");
  switch (step.kind) {
    case "callback":
      if (f.state === "appealed") return illegal("The rating is under appeal; close the follow-up when the review is done.");
      // A callback after the rectification (再评估) keeps it rectified.
      return { ...f, state: f.state === "rectified" ? "rectified" : "calledBack", reached: f.reached || step.reached };
    case "rectification":
      if (f.state === "appealed") return illegal("The rating is under appeal: an appealed rating is not rectified.");
      return { ...f, state: "rectified", rectified: true };
    case "appeal":
      if (f.state === "appealed") return illegal("The rating is already under appeal.");
      if (f.state === "rectified") return illegal("A rectification was recorded: the rating was accepted, so it cannot be appealed.");
      return { ...f, state: "appealed", appealed: true };
    case "close":
      if (f.state === "open") return illegal("Record the callback, the rectification or an appeal before closing.");
      if (f.state === "calledBack" && !f.reached) return illegal("The citizen was not reached: call again, or record the rectification or an appeal, before closing.");
      return { ...f, state: "closed" };
  }
}

/** A follow-up as it opens. */
export const OPENED: FollowUpFacts = { state: "open", reached: false, rectified: false, appealed: false };
