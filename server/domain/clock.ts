/**
 * Time enters HallCall only through a Clock, so that the simulator can run the same code on a
 * virtual clock. Business dates and opening hours are read in the hall's own time zone.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to: the simulator's and the tests'. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function format(timezone: string): Intl.DateTimeFormat {
  let f = dateFormats.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    dateFormats.set(timezone, f);
  }
  return f;
}

/**
 * Every command reads the business date, and Intl formatting showed in the busy-hour profile
 * (about 1% of the node). Time zones are offset by whole minutes, so one UTC minute is one local
 * minute: the last minute's parts are kept per zone.
 */
const lastMinute = new Map<string, { minute: number; parts: Readonly<Record<string, string>> }>();

function parts(at: number, timezone: string): Readonly<Record<string, string>> {
  const minute = Math.floor(at / 60_000);
  const hit = lastMinute.get(timezone);
  if (hit && hit.minute === minute) return hit.parts;
  const out: Record<string, string> = {};
  for (const p of format(timezone).formatToParts(at)) out[p.type] = p.value;
  lastMinute.set(timezone, { minute, parts: out });
  return out;
}

/** "YYYY-MM-DD" of the instant in the hall's zone: ticket numbers restart when it changes. */
export function businessDate(at: number, timezone: string): string {
  const p = parts(at, timezone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** "HH:MM" of the instant in the hall's zone. */
export function localTime(at: number, timezone: string): string {
  const p = parts(at, timezone);
  return `${p.hour}:${p.minute}`;
}

/** The instant of a hall-local date and time (DST-safe for whole-hour zones). */
export function instantOf(date: string, hhmm: string, timezone: string): number {
  const guess = Date.parse(`${date}T${hhmm}:00Z`);
  const p = parts(guess, timezone);
  const shown = Date.parse(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:00Z`);
  return guess - (shown - guess);
}

/** The calendar date before a "YYYY-MM-DD" date. */
export function previousDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
