/**
 * The hall's figures over days (GET /api/halls/:hallId/reports/summary): what the reports page,
 * its downloads and scripts read. Computed from the records (server/records), never on a page.
 */
import { z } from "zod";
import { Bilingual, Id } from "./schemas.js";
import { FollowUpIndicators } from "./follow-ups.js";

/** A business date in the hall's zone. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");

export const ReportGrouping = z.enum(["day", "service", "window", "staff", "hour"]);
export type ReportGrouping = z.infer<typeof ReportGrouping>;

/** At most a year per request: a quarter by day is ~90 rows, a year by staff a few hundred. */
export const MAX_REPORT_DAYS = 366;

export const ReportQuery = z
  .object({ from: IsoDate, to: IsoDate, by: ReportGrouping.default("day") })
  .refine((q) => q.from <= q.to, { message: "from must not be after to" })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_REPORT_DAYS, { message: `at most ${MAX_REPORT_DAYS} days` });
export type ReportQuery = z.infer<typeof ReportQuery>;

/** One group's figures. Waits count from queuing to the first call; times are seconds. */
export const ReportRow = z.object({
  /** The day (YYYY-MM-DD), service id, window id, staff id, or hour "00"…"23" (hall-local, of issue). */
  key: z.string(),
  /** The service's, window's or staff member's name from the hall's config; null for days and hours. */
  label: Bilingual.nullable(),
  issued: z.number().int(),
  /** Finished (办结). */
  served: z.number().int(),
  noShows: z.number().int(),
  cancelled: z.number().int(),
  transferred: z.number().int(),
  waitMeanSec: z.number().nullable(),
  waitP50Sec: z.number().nullable(),
  waitP90Sec: z.number().nullable(),
  /** Share (0…1) of called tickets whose wait was within their service's target; null when none was called. */
  withinTargetShare: z.number().nullable(),
  /** The service's target wait, seconds (by=service only, else null). */
  targetWaitSec: z.number().nullable(),
  serviceMeanSec: z.number().nullable(),
  /** Ratings of the group's services by level (each step of a bundle under its own; not a bundle's whole matter), index 0 = 1 非常不满意 … index 4 = 5 非常满意. */
  ratings: z.array(z.number().int()).length(5),
  /** 满意率: (非常满意 + 满意 + 基本满意) / all ratings; null without ratings. */
  satisfaction: z.number().nullable(),
  /** 差评: 不满意 + 非常不满意. */
  bad: z.number().int(),
});
export type ReportRow = z.infer<typeof ReportRow>;

export const ReportSummary = z.object({
  hallId: Id,
  from: IsoDate,
  to: IsoDate,
  by: ReportGrouping,
  rows: z.array(ReportRow),
  /** The whole range as one group (key "total", label null). */
  total: ReportRow,
  /** Tickets issued by hall-local weekday (0 = Monday … 6 = Sunday) and hour (0…23), for staffing. */
  arrivals: z.array(z.array(z.number().int()).length(24)).length(7),
  /** 差评回访整改 of the range's ratings (by the ticket's business day): the rows' `bad` are the ratings, this is what became of them. */
  followUps: FollowUpIndicators,
  /**
   * 一件事: the ratings of bundles' whole matters (整件事, from the tracker) in the range, by the
   * ticket's business day. No window's or staff member's: the rows and the total count the
   * bundles' steps, each under its own service, window and staff.
   */
  bundles: z.object({ ratings: z.array(z.number().int()).length(5), satisfaction: z.number().nullable(), bad: z.number().int() }).default({ ratings: [0, 0, 0, 0, 0], satisfaction: null, bad: 0 }),
});
export type ReportSummary = z.infer<typeof ReportSummary>;
