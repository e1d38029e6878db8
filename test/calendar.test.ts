import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { addWorkingDays, closedNotice, intervalsOn, isWorkingDay, nextOpening, openAt, type HallCalendar } from "../server/domain/calendar.js";
import { instantOf } from "../server/domain/clock.js";
import { ServiceConfig, serviceHours } from "../server/domain/config.js";

const TZ = "Asia/Shanghai";
const cn2026 = JSON.parse(readFileSync(new URL("../config/calendar-cn-2026.json", import.meta.url), "utf8")) as { holidays: string[]; workdays: string[] };
const calendar: HallCalendar = { ...cn2026, makeUpDayAs: "mon" };
const none: HallCalendar = { holidays: [], workdays: [], makeUpDayAs: "mon" };
const at = (date: string, time: string) => instantOf(date, time, TZ);

const service = (more: object) => serviceHours(ServiceConfig.parse({ id: "s", prefix: "S", name: { zh: "社保", en: "Social" }, ...more }));
const weekdaysWithLunch = service({
  schedule: {
    mon: [["09:00", "12:00"], ["13:30", "17:00"]],
    tue: [["09:00", "12:00"], ["13:30", "17:00"]],
    wed: [["09:00", "12:00"], ["13:30", "17:00"]],
    thu: [["09:00", "12:00"], ["13:30", "17:00"]],
    fri: [["09:00", "12:00"], ["13:30", "17:00"]],
    sat: [["09:00", "12:00"]],
  },
});

describe("the hall calendar", () => {
  it("opens a service in each interval of its weekday and closes it over lunch", () => {
    // 2026-12-07 is a Monday.
    expect(openAt(weekdaysWithLunch, at("2026-12-07", "09:00"), none, TZ)).toBe(true);
    expect(openAt(weekdaysWithLunch, at("2026-12-07", "11:59"), none, TZ)).toBe(true);
    expect(openAt(weekdaysWithLunch, at("2026-12-07", "12:00"), none, TZ)).toBe(false);
    expect(openAt(weekdaysWithLunch, at("2026-12-07", "13:29"), none, TZ)).toBe(false);
    expect(openAt(weekdaysWithLunch, at("2026-12-07", "13:30"), none, TZ)).toBe(true);
    expect(openAt(weekdaysWithLunch, at("2026-12-07", "17:00"), none, TZ)).toBe(false);
  });

  it("keeps Saturday mornings only and Sundays closed (双休日办公)", () => {
    expect(openAt(weekdaysWithLunch, at("2026-12-12", "10:00"), none, TZ)).toBe(true);
    expect(openAt(weekdaysWithLunch, at("2026-12-12", "14:00"), none, TZ)).toBe(false);
    expect(intervalsOn(weekdaysWithLunch, "2026-12-13", none)).toEqual([]);
  });

  it("reads opens/closes as the same hours every day of the week", () => {
    const s = service({ opens: "08:30", closes: "18:00" });
    for (const date of ["2026-12-07", "2026-12-12", "2026-12-13"]) expect(intervalsOn(s, date, none)).toEqual([["08:30", "18:00"]]);
  });

  it("closes on a public holiday, even on a weekday (国庆)", () => {
    expect(openAt(weekdaysWithLunch, at("2026-10-05", "10:00"), calendar, TZ)).toBe(false);
    expect(openAt(weekdaysWithLunch, at("2026-10-05", "10:00"), none, TZ)).toBe(true);
  });

  it("opens on a make-up workday with Monday's hours (调休: Saturday 10 October 2026)", () => {
    expect(intervalsOn(weekdaysWithLunch, "2026-10-10", calendar)).toEqual([["09:00", "12:00"], ["13:30", "17:00"]]);
    expect(openAt(weekdaysWithLunch, at("2026-10-10", "15:00"), calendar, TZ)).toBe(true);
  });

  it("keeps a round-the-clock service open at night and on holidays", () => {
    const corner = service({ roundTheClock: true });
    expect(openAt(corner, at("2026-10-01", "03:00"), calendar, TZ)).toBe(true);
    expect(openAt(corner, at("2026-12-13", "23:59"), calendar, TZ)).toBe(true);
    expect(nextOpening(corner, at("2026-10-01", "03:00"), calendar, TZ)).toMatchObject({ date: "2026-10-01", time: "03:00" });
  });

  it("finds the next opening after lunch, over the weekend and over a holiday", () => {
    expect(nextOpening(weekdaysWithLunch, at("2026-12-07", "12:10"), none, TZ)).toEqual({ date: "2026-12-07", time: "13:30", at: at("2026-12-07", "13:30") });
    expect(nextOpening(weekdaysWithLunch, at("2026-12-12", "12:30"), none, TZ)).toMatchObject({ date: "2026-12-14", time: "09:00" });
    expect(nextOpening(weekdaysWithLunch, at("2026-09-30", "18:00"), calendar, TZ)).toMatchObject({ date: "2026-10-08", time: "09:00" });
  });

  it("says when a closed service opens, in the words of the hall's screens", () => {
    const fridayOff: HallCalendar = { ...none, holidays: ["2026-12-11"] };
    expect(closedNotice(nextOpening(weekdaysWithLunch, at("2026-12-10", "18:00"), fridayOff, TZ), "2026-12-10")).toEqual({ zh: "暂停取号，周六 09:00 开始办理", en: "No tickets now; opens Sat 09:00" });
    expect(closedNotice(nextOpening(weekdaysWithLunch, at("2026-12-12", "12:30"), none, TZ), "2026-12-12").zh).toBe("暂停取号，周一 09:00 开始办理");
    expect(closedNotice(nextOpening(weekdaysWithLunch, at("2026-12-07", "12:10"), none, TZ), "2026-12-07").zh).toBe("暂停取号，今天 13:30 开始办理");
    expect(closedNotice(nextOpening(weekdaysWithLunch, at("2026-12-07", "18:00"), none, TZ), "2026-12-07").zh).toBe("暂停取号，明天 09:00 开始办理");
    expect(closedNotice(nextOpening(weekdaysWithLunch, at("2026-09-30", "18:00"), calendar, TZ), "2026-09-30").zh).toBe("暂停取号，10月8日 09:00 开始办理");
    expect(closedNotice(nextOpening(service({ schedule: {} }), at("2026-12-07", "10:00"), none, TZ), "2026-12-07").zh).toBe("暂停取号，恢复办理时间另行通知");
  });
});

describe("working days (deadlines in working days)", () => {
  it("skips weekends", () => {
    expect(addWorkingDays("2026-12-11", 1, calendar)).toBe("2026-12-14");
    expect(addWorkingDays("2026-12-11", 5, calendar)).toBe("2026-12-18");
  });

  it("skips public holidays and counts make-up workdays (国庆 2026)", () => {
    expect(isWorkingDay("2026-10-01", calendar)).toBe(false);
    expect(isWorkingDay("2026-10-10", calendar)).toBe(true);
    expect(isWorkingDay("2026-09-20", calendar)).toBe(true);
    // 30 Sep + 1 → 8 Oct (1–7 are holidays); + 2 → 9 Oct; + 3 → Saturday 10 Oct, a make-up workday.
    expect(addWorkingDays("2026-09-30", 1, calendar)).toBe("2026-10-08");
    expect(addWorkingDays("2026-09-30", 3, calendar)).toBe("2026-10-10");
    expect(addWorkingDays("2026-09-30", 4, calendar)).toBe("2026-10-12");
  });

  it("steps back for a negative count and stays put for zero", () => {
    expect(addWorkingDays("2026-10-08", -1, calendar)).toBe("2026-09-30");
    expect(addWorkingDays("2026-10-03", 0, calendar)).toBe("2026-10-03");
  });

  it("ships the State Council's 2026 dates: 33 holidays, 6 make-up workdays", () => {
    expect(cn2026.holidays).toHaveLength(33);
    expect(cn2026.workdays).toEqual(["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]);
    expect(cn2026.holidays).toContain("2026-02-15");
    expect(cn2026.holidays).toContain("2026-02-23");
  });
});
