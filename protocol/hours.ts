/**
 * The hall's hours as an operator writes them (the hall config) and a manager edits them live in
 * the console: weekly schedules per service and the hall's calendar of holidays and make-up
 * workdays. One set of schemas for both, so the console cannot save what the config would refuse.
 */
import { z } from "zod";
import { Id } from "./schemas.js";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export const Weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof Weekday>;

/** The weekdays' names, as every screen and notice writes them. */
export const WEEKDAY_NAMES: Readonly<Record<Weekday, { zh: string; en: string }>> = {
  mon: { zh: "周一", en: "Mon" },
  tue: { zh: "周二", en: "Tue" },
  wed: { zh: "周三", en: "Wed" },
  thu: { zh: "周四", en: "Thu" },
  fri: { zh: "周五", en: "Fri" },
  sat: { zh: "周六", en: "Sat" },
  sun: { zh: "周日", en: "Sun" },
};

export const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as "HH:MM"');
/** An interval's end may be the day's end. */
export const EndHHMM = z.union([HHMM, z.literal("24:00")]);
export const Interval = z.tuple([HHMM, EndHHMM]).refine(([a, b]) => a < b, "an interval ends after it starts");
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as "YYYY-MM-DD"')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "no such date");

/** Intervals per weekday; a day left out is closed. Intervals of a day are in order and do not overlap. */
export const Schedule = z.partialRecord(Weekday, z.array(Interval).max(8)).superRefine((schedule, ctx) => {
  for (const [day, intervals] of Object.entries(schedule)) {
    intervals?.forEach((iv, i) => {
      if (i > 0 && iv[0] < intervals[i - 1]![1]) ctx.addIssue({ code: "custom", path: [day, i], message: "intervals of a day are in order and do not overlap" });
    });
  }
});
export type Schedule = z.infer<typeof Schedule>;

/** Public holidays (closed) and make-up workdays (调休, with `makeUpDayAs`'s hours), dates in the hall's zone. */
export const Calendar = z.object({
  holidays: z.array(CalendarDate).max(2000).default([]),
  workdays: z.array(CalendarDate).max(2000).default([]),
  makeUpDayAs: Weekday.default("mon"),
});
export type Calendar = z.infer<typeof Calendar>;

/** One service's hours: a weekly schedule, or open round the clock (holidays included). */
export const ServiceHoursEdit = z.strictObject({ schedule: Schedule, roundTheClock: z.boolean() });

/** PUT /api/halls/:hallId/hours (manager): the whole calendar and the hours of the services named. */
export const HoursUpdate = z.strictObject({
  calendar: Calendar,
  services: z.record(Id, ServiceHoursEdit),
});
export type HoursUpdate = z.infer<typeof HoursUpdate>;

/** GET /api/halls/:hallId/hours: what is in force, and who changed it last. */
export const HoursView = z.object({
  calendar: Calendar,
  services: z.record(Id, z.object({ schedule: Schedule, roundTheClock: z.boolean() })),
  /** Null while the config file's hours are in force. */
  version: z.number().int().nullable(),
  changedBy: z.string().nullable(),
  changedAt: z.number().nullable(),
});
export type HoursView = z.infer<typeof HoursView>;

/** GET /api/halls/:hallId/hours/log: each change, newest first. */
export const HoursChange = z.object({ version: z.number().int(), by: z.string(), at: z.number(), hours: HoursUpdate, summary: z.string() });
export type HoursChange = z.infer<typeof HoursChange>;
