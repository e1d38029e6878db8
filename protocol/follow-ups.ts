/**
 * 差评回访整改: the follow-up a 不满意 or 非常不满意 rating opens, as the console reads and records it
 * (GET/POST /api/halls/:hallId/follow-ups…), and the late rating a citizen gives from the tracker
 * (POST /api/halls/:hallId/tickets/:ticketId/rating). Which step is allowed when is the server's
 * (server/domain/follow-up.ts); a page shows what it was sent.
 */
import { z } from "zod";
import { CalendarDate as IsoDate } from "./hours.js";
import { Bilingual, Id, Rating, RatingScope } from "./schemas.js";
import { oneLine, OneLineText } from "./text.js";

/**
 * open: nothing recorded yet. calledBack: the citizen was called (reached or not). rectified: a
 * rectification (整改) was taken. appealed: the rating was judged mistaken (申诉复核); it stays in
 * the records, marked. closed: done; nothing more is recorded.
 */
export const FollowUpState = z.enum(["open", "calledBack", "rectified", "appealed", "closed"]);
export type FollowUpState = z.infer<typeof FollowUpState>;

/** What a manager records; `opened` is the system's own first step. */
export const FollowUpStepKind = z.enum(["opened", "callback", "rectification", "appeal", "close"]);
export type FollowUpStepKind = z.infer<typeof FollowUpStepKind>;

/** One line of free text (protocol/text.ts); may be empty. */
const Note = z.string().transform(oneLine).pipe(z.string().max(500));
/** The same, not empty. */
const Said = OneLineText(500);

/** One step as the console sends it. */
export const FollowUpStepInput = z.discriminatedUnion("kind", [
  /** The callback: whether the citizen was reached, and what they said. */
  z.strictObject({ kind: z.literal("callback"), reached: z.boolean(), note: Note }),
  /** The rectification taken. */
  z.strictObject({ kind: z.literal("rectification"), note: Said }),
  /** Why the rating is judged mistaken. */
  z.strictObject({ kind: z.literal("appeal"), note: Said }),
  z.strictObject({ kind: z.literal("close"), note: Note.default("") }),
]);
export type FollowUpStepInput = z.infer<typeof FollowUpStepInput>;

export const FollowUpStep = z.object({
  n: z.number().int(),
  kind: FollowUpStepKind,
  /** The staff id, or "system" for the opening. */
  by: z.string(),
  at: z.number(),
  /** callback only, else null. */
  reached: z.boolean().nullable(),
  note: z.string(),
});
export type FollowUpStep = z.infer<typeof FollowUpStep>;

export const FollowUp = z.object({
  id: z.string(),
  hallId: Id,
  ticketId: z.string(),
  /** The ticket's business day, which the deadline counts from. */
  businessDate: IsoDate,
  number: z.string(),
  serviceId: z.string(),
  service: Bilingual.nullable(),
  windowId: z.string().nullable(),
  window: Bilingual.nullable(),
  staffId: z.string().nullable(),
  rating: Rating,
  /**
   * What was rated: a service ("service": the ticket's one, or a bundle's step `step`, with its
   * service, window and staff above) or a bundle's whole matter ("whole", 整件事: window and staff
   * null). Follow-ups opened before steps were rated are of the ticket's service.
   */
  scope: RatingScope.default("service"),
  /** The bundle step rated, from 0 (0 for a ticket of one service); null for the whole matter. */
  step: z.number().int().nullable().default(0),
  /** pad: rated at the window; tracker: a late rating from the tracker link. */
  source: z.enum(["pad", "tracker"]),
  state: FollowUpState,
  openedAt: z.number(),
  /** The last working day to close it on (hall's calendar). */
  dueDate: IsoDate,
  /** Not closed and past its due date (today in the hall's zone). */
  overdue: z.boolean(),
  /** The citizen was reached by a callback at least once. */
  reached: z.boolean(),
  rectified: z.boolean(),
  appealed: z.boolean(),
  closedAt: z.number().nullable(),
  steps: z.array(FollowUpStep),
});
export type FollowUp = z.infer<typeof FollowUp>;

export const FollowUpsQuery = z.object({ state: z.enum(["open", "closed", "all"]).default("open") });
export type FollowUpsQuery = z.infer<typeof FollowUpsQuery>;

export const FollowUpList = z.object({ today: IsoDate, followUps: z.array(FollowUp) });
export type FollowUpList = z.infer<typeof FollowUpList>;

/** The tracker's late rating. */
export const LateRatingInput = z.strictObject({ rating: Rating });
export type LateRatingInput = z.infer<typeof LateRatingInput>;

export const LateRatingResult = z.object({
  ticketId: z.string(),
  rating: Rating,
  /** What the tracker rated: the ticket's one service, or a bundle's whole matter (整件事). */
  scope: RatingScope,
  /** The follow-up a 1 or 2 opened, if the rating was recorded in the records (else the archiver opens it). */
  followUpId: z.string().nullable(),
});
export type LateRatingResult = z.infer<typeof LateRatingResult>;

/** The follow-ups of the ratings of a report's range (ReportSummary.followUps). */
export const FollowUpIndicators = z.object({
  /** Follow-ups opened (one per 差评). */
  opened: z.number().int(),
  /** Reached by a callback at least once; `callbackRate` = calledBack / opened, null without any. */
  calledBack: z.number().int(),
  callbackRate: z.number().nullable(),
  rectified: z.number().int(),
  rectificationRate: z.number().nullable(),
  /** Ratings judged mistaken (申诉复核): still counted in the ratings, told apart here. */
  appealed: z.number().int(),
  closed: z.number().int(),
  /** Not closed and past due as of the report. */
  overdue: z.number().int(),
  /** Closed after their due date. */
  closedLate: z.number().int(),
  /** Working days from the rating's day to the closing day, over the closed ones; null when none. */
  meanWorkingDaysToClose: z.number().nullable(),
});
export type FollowUpIndicators = z.infer<typeof FollowUpIndicators>;
