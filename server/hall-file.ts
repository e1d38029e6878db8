/**
 * Reads a hall config file (HALL_CONFIG). A hall may name calendar files beside it
 * (`"calendarFiles": ["calendar-cn-2026.json"]`, as shipped in config/): their holidays and
 * make-up workdays join the hall's own `calendar` before the config is checked.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { CalendarDate } from "../protocol/index.js";
import { parseHalls, type HallConfig } from "./domain/config.js";
import { invalidInput } from "./domain/validation.js";

const CalendarFile = z.object({ holidays: z.array(CalendarDate).default([]), workdays: z.array(CalendarDate).default([]) });

type RawHall = { calendarFiles?: unknown; calendar?: { holidays?: unknown; workdays?: unknown } };

export function readHallsFile(path: string): HallConfig[] {
  const json = JSON.parse(readFileSync(path, "utf8")) as { halls?: RawHall[] };
  for (const hall of Array.isArray(json.halls) ? json.halls : []) {
    if (!Array.isArray(hall.calendarFiles)) continue;
    const holidays = new Set<string>(Array.isArray(hall.calendar?.holidays) ? (hall.calendar.holidays as string[]) : []);
    const workdays = new Set<string>(Array.isArray(hall.calendar?.workdays) ? (hall.calendar.workdays as string[]) : []);
    for (const name of hall.calendarFiles) {
      if (typeof name !== "string") continue;
      const file = resolve(dirname(path), name);
      const parsed = CalendarFile.safeParse(JSON.parse(readFileSync(file, "utf8")));
      if (!parsed.success) throw invalidInput(file, parsed.error);
      parsed.data.holidays.forEach((d) => holidays.add(d));
      parsed.data.workdays.forEach((d) => workdays.add(d));
    }
    hall.calendar = { ...hall.calendar, holidays: [...holidays].sort(), workdays: [...workdays].sort() };
  }
  return parseHalls(json, path);
}
