/**
 * The hall's calendar: which days a service opens and at which hours. A service has a weekly
 * schedule of intervals per day (a lunch break is two intervals), the hall a list of public
 * holidays (closed) and make-up workdays (调休: a weekend day worked, with `makeUpDayAs`'s hours).
 * A round-the-clock service ignores both. Pure: dates are "YYYY-MM-DD" and times "HH:MM" in the
 * hall's zone; instants only enter through `clock.ts`.
 *
 *   openAt(service, now, calendar, "Asia/Shanghai")        // is it open now?
 *   nextOpening(service, now, calendar, "Asia/Shanghai")   // { date, time, at } or null
 *   addWorkingDays("2026-09-30", 3, calendar)               // "2026-10-12" (国庆 and 调休)
 */
import { WEEKDAY_NAMES, WEEKDAYS, type Bilingual, type Weekday } from "../../protocol/index.js";
import { businessDate, instantOf, localTime } from "./clock.js";

export { WEEKDAYS, type Weekday };

/** [start, end): "HH:MM" to "HH:MM" (end may be "24:00"). */
export type Interval = readonly [string, string];
export type WeeklySchedule = Readonly<Record<Weekday, readonly Interval[]>>;

export interface HallCalendar {
  /** Days the hall is closed (法定节假日, with the weekend days the State Council's notice joins to them). */
  holidays: readonly string[];
  /** Weekend days worked (调休上班). */
  workdays: readonly string[];
  /** Whose hours a make-up workday keeps. */
  makeUpDayAs: Weekday;
}

/** What the calendar needs of a service. */
export interface ServiceHours {
  schedule: WeeklySchedule;
  /** Open every minute of every day, holidays included (a 24-hour self-service corner). */
  roundTheClock: boolean;
}

const DAY_MS = 86_400_000;

export const weekdayOf = (date: string): Weekday => WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!;

export const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** Whole days from `a` to `b` (negative when `b` is earlier). */
export const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);

/** The same weekly hours every day of the week: what `opens`/`closes` stand for. */
export const everyDay = (interval: Interval): WeeklySchedule => Object.fromEntries(WEEKDAYS.map((d) => [d, [interval]])) as unknown as WeeklySchedule;

/** A working day for deadlines: Monday to Friday unless a holiday, and every make-up workday. */
export function isWorkingDay(date: string, calendar: HallCalendar): boolean {
  if (calendar.workdays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  const d = weekdayOf(date);
  return d !== "sat" && d !== "sun";
}

/**
 * The date `n` working days after `date` (before it, for a negative `n`); `date` itself is not
 * counted, so a deadline of 5 working days from a Friday is the next Friday.
 */
export function addWorkingDays(date: string, n: number, calendar: HallCalendar): string {
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(Math.trunc(n));
  let d = date;
  while (left > 0) {
    d = addDays(d, step);
    if (isWorkingDay(d, calendar)) left--;
  }
  return d;
}

/** Whether the hall is closed for a holiday on a date (a make-up workday never is). */
export const holidayOn = (date: string, calendar: HallCalendar): boolean => !calendar.workdays.includes(date) && calendar.holidays.includes(date);

/** The intervals a service is open on a date, in order. */
export function intervalsOn(service: ServiceHours, date: string, calendar: HallCalendar): readonly Interval[] {
  if (service.roundTheClock) return [["00:00", "24:00"]];
  if (calendar.workdays.includes(date)) return service.schedule[calendar.makeUpDayAs];
  if (holidayOn(date, calendar)) return [];
  return service.schedule[weekdayOf(date)];
}

/** Whether the service is open at the instant. */
export function openAt(service: ServiceHours, now: number, calendar: HallCalendar, timezone: string): boolean {
  const t = localTime(now, timezone);
  return intervalsOn(service, businessDate(now, timezone), calendar).some(([a, b]) => a <= t && t < b);
}

export interface Opening {
  date: string;
  time: string;
  /** The instant, ms. */
  at: number;
}

/** How far ahead an opening is looked for: a service closed for longer is closed "until further notice". */
export const OPENING_HORIZON_DAYS = 366;

/** When the service next opens after `now` (now itself, if open), or null when not within a year. */
export function nextOpening(service: ServiceHours, now: number, calendar: HallCalendar, timezone: string): Opening | null {
  const today = businessDate(now, timezone);
  const t = localTime(now, timezone);
  for (let i = 0; i <= OPENING_HORIZON_DAYS; i++) {
    const date = addDays(today, i);
    for (const [a, b] of intervalsOn(service, date, calendar)) {
      if (i === 0 && b <= t) continue;
      const time = i === 0 && a <= t ? t : a;
      return { date, time, at: instantOf(date, time, timezone) };
    }
  }
  return null;
}

/** When an opening is, as a citizen reads it: 今天 13:30, 明天 09:00, 周六 09:00, 10月8日 09:00. */
export function whenText(opening: Opening, today: string): Bilingual {
  const ahead = daysBetween(today, opening.date);
  const [, m, d] = opening.date.split("-").map(Number);
  const day: Bilingual =
    ahead === 0 ? { zh: "今天", en: "today" } : ahead === 1 ? { zh: "明天", en: "tomorrow" } : ahead < 7 ? WEEKDAY_NAMES[weekdayOf(opening.date)] : { zh: `${m}月${d}日`, en: opening.date };
  return { zh: `${day.zh} ${opening.time}`, en: `${day.en} ${opening.time}` };
}

/** The notice a closed service shows on the kiosk, phone and board: "暂停取号，周六 09:00 开始办理". */
export function closedNotice(opening: Opening | null, today: string): Bilingual {
  if (!opening) return { zh: "暂停取号，恢复办理时间另行通知", en: "No tickets now; reopening to be announced" };
  const when = whenText(opening, today);
  return { zh: `暂停取号，${when.zh} 开始办理`, en: `No tickets now; opens ${when.en}` };
}
