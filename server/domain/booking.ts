/**
 * Booking rules (预约), pure: which slots a service offers on a date, whether a booking may be
 * made, moved or cancelled now, how the daily quota (号源) splits between bookings and walk-ins,
 * when a check-in is on time, and the credit rule that blocks a phone after missed bookings. The
 * bookings store (records/bookings.ts) commits what these decide, inside its own transaction.
 */
import { HallCallError, type BookingState, type ErrorCode } from "../../protocol/index.js";
import { addDays, daysBetween, intervalsOn, type HallCalendar } from "./calendar.js";
import { businessDate, instantOf } from "./clock.js";
import { serviceHours, type BookingConfig, type HallConfig, type ServiceConfig } from "./config.js";

const refuse = (code: ErrorCode, message?: string): never => {
  throw new HallCallError(code, message);
};

const toMin = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const toHHMM = (min: number): string => `${String(Math.floor(min / 60)).padStart(2, "0")}:${String(min % 60).padStart(2, "0")}`;

/** Slot starts ("HH:MM") of a service on a date: every `slotMin` inside each open interval, each slot ending by the interval's end. */
export function slotsOn(service: ServiceConfig, date: string, calendar: HallCalendar): string[] {
  const a = service.appointments;
  if (!a) return [];
  const out: string[] = [];
  for (const [from, to] of intervalsOn(serviceHours(service), date, calendar)) {
    for (let m = toMin(from); m + a.slotMin <= toMin(to); m += a.slotMin) out.push(toHHMM(m));
  }
  return out;
}

/** 号源 split: how many of a day's tickets bookings may take, and how many are left to walk-ins. */
export function quotaSplit(service: Pick<ServiceConfig, "dailyQuota" | "appointments">): { booking: number; walkIn: number } {
  const booking = service.appointments ? Math.floor(service.dailyQuota * service.appointments.quotaShare) : 0;
  return { booking, walkIn: service.dailyQuota - booking };
}

/** A slot's start instant. */
export const slotStart = (date: string, slot: string, timezone: string): number => instantOf(date, slot, timezone);

/** Bookings a phone holds for DUPLICATE_BOOKING: made and not yet over. */
export const LIVE_BOOKING_STATES: readonly BookingState[] = ["booked", "checkedIn"];
/** Bookings the credit rule counts against a phone (失约): never checked in, or called and not there. */
export const MISSED_BOOKING_STATES: readonly BookingState[] = ["missed", "noShow"];
/** Whether a booking takes one of its slot's seats: every one but a cancelled one (a missed one held its seat). */
export const holdsSeat = (state: BookingState): boolean => state !== "cancelled";

/** What a booking decision needs to know of the bookings already made (read in the store's transaction). */
export interface BookingLoad {
  /** Live bookings (not cancelled) in the slot. */
  inSlot: number;
  /** Live bookings of the service on the date. */
  onDate: number;
  /** Whether this phone already holds a live booking for the service on the date (other than the one being moved). */
  phoneHasOne: boolean;
  /** Business dates of this phone's missed bookings, any service of the hall. */
  misses: readonly string[];
}

export interface BookingRequest {
  serviceId: string;
  date: string;
  slot: string;
}

/** The service, when it takes bookings. */
export function bookableService(hall: HallConfig, serviceId: string): ServiceConfig {
  const s = hall.services.find((x) => x.id === serviceId) ?? refuse("UNKNOWN_SERVICE", `No service "${serviceId}" in this hall.`);
  if (!s.appointments) refuse("BOOKING_CLOSED", `${s.name.zh} / ${s.name.en} takes no bookings.`);
  return s;
}

/** Whether the slot can be booked at `now`: a slot of the service on the date, inside the booking window. Returns the slot's start. */
export function checkSlotOpen(hall: HallConfig, req: BookingRequest, now: number): number {
  const s = bookableService(hall, req.serviceId);
  if (!slotsOn(s, req.date, hall.calendar).includes(req.slot)) refuse("BOOKING_CLOSED", `${req.date} ${req.slot} is not a bookable slot of ${s.name.en}.`);
  const today = businessDate(now, hall.timezone);
  const ahead = daysBetween(today, req.date);
  if (ahead > hall.booking.openDaysAhead) refuse("BOOKING_CLOSED", `Bookings open ${hall.booking.openDaysAhead} days ahead; ${req.date} is not open yet.`);
  const start = slotStart(req.date, req.slot, hall.timezone);
  if (now > start - hall.booking.closeMinBefore * 60_000) refuse("BOOKING_CLOSED", `Booking closes ${hall.booking.closeMinBefore} minutes before the slot.`);
  return start;
}

/**
 * Whether a booking may be made (or moved here) now, given what is booked already. Throws the
 * refusal: BOOKING_CLOSED, BOOKING_BLOCKED, DUPLICATE_BOOKING or SLOT_FULL. Returns the slot's start.
 */
export function decideBooking(hall: HallConfig, req: BookingRequest, load: BookingLoad, now: number): number {
  const start = checkSlotOpen(hall, req, now);
  const s = bookableService(hall, req.serviceId);
  const today = businessDate(now, hall.timezone);
  const until = blockedUntil(load.misses, today, hall.booking);
  if (until) throw new HallCallError("BOOKING_BLOCKED", `Booking is blocked until ${until} after ${hall.booking.noShowLimit} missed bookings within ${hall.booking.noShowWindowDays} days.`, { until });
  if (load.phoneHasOne) refuse("DUPLICATE_BOOKING", `This phone already holds a booking for ${s.name.en} on ${req.date}.`);
  if (load.inSlot >= s.appointments!.capacity) refuse("SLOT_FULL", `${req.date} ${req.slot} is fully booked.`);
  if (load.onDate >= quotaSplit(s).booking) refuse("SLOT_FULL", `The bookings of ${req.date} for ${s.name.en} are all taken.`);
  return start;
}

/**
 * The credit rule (失约): `noShowLimit` missed bookings within `noShowWindowDays` block booking
 * for `blockDays` from the last of them. The last day of the block, if it lasts past `today`, else null.
 */
export function blockedUntil(misses: readonly string[], today: string, rule: Pick<BookingConfig, "noShowLimit" | "noShowWindowDays" | "blockDays">): string | null {
  const sorted = [...misses].sort();
  let until: string | null = null;
  for (let i = rule.noShowLimit - 1; i < sorted.length; i++) {
    const first = sorted[i - rule.noShowLimit + 1]!;
    const last = sorted[i]!;
    if (daysBetween(first, last) < rule.noShowWindowDays) {
      const end = addDays(last, rule.blockDays - 1);
      if (!until || end > until) until = end;
    }
  }
  return until && until >= today ? until : null;
}

/** Business dates whose misses can still count for the credit rule on `today`. */
export const creditHorizon = (today: string, rule: Pick<BookingConfig, "noShowWindowDays" | "blockDays">): string => addDays(today, -(rule.noShowWindowDays + rule.blockDays));

export type CheckIn = { onTime: true; arrivedAt: number } | { onTime: false; arrivedAt: number };

/** When a booking's check-in opens and until when it keeps the slot's place, ms. */
export function checkInWindow(rule: Pick<BookingConfig, "earlyMin" | "lateMin">, start: number): { from: number; onTimeUntil: number } {
  return { from: start - rule.earlyMin * 60_000, onTimeUntil: start + rule.lateMin * 60_000 };
}

/**
 * A check-in at `now` for a slot starting at `start` (Qmatic's early/late minutes): from
 * `earlyMin` before to `lateMin` after, it takes the slot start as its place in the queue; later,
 * it is a walk-in arriving now, or refused (`late: "refuse"`); earlier is refused.
 */
export function decideCheckIn(rule: Pick<BookingConfig, "earlyMin" | "lateMin" | "late">, start: number, now: number): CheckIn {
  const { from, onTimeUntil } = checkInWindow(rule, start);
  if (now < from) throw new HallCallError("CHECK_IN_TOO_EARLY", `Check-in opens ${rule.earlyMin} minutes before the slot.`, { checkInFrom: from, slotStart: start });
  if (now <= onTimeUntil) return { onTime: true, arrivedAt: start };
  if (rule.late === "refuse") refuse("CHECK_IN_TOO_LATE", `Check-in closed ${rule.lateMin} minutes after the slot started; take a ticket at the kiosk.`);
  return { onTime: false, arrivedAt: now };
}

/** Which bookings not checked in count as missed (失约) at a moment: those whose slot started before `slotStartBefore`, or dated before `dateBefore`. */
export interface MissedCutoff {
  slotStartBefore?: number;
  dateBefore?: string;
}

/**
 * A booking not checked in is missed once no check-in can be accepted any more: past the late
 * minutes when late check-ins are refused, else once its day is over.
 */
export function missedCutoff(rule: Pick<BookingConfig, "lateMin" | "late">, now: number, timezone: string): MissedCutoff {
  return rule.late === "refuse" ? { slotStartBefore: now - rule.lateMin * 60_000 } : { dateBefore: businessDate(now, timezone) };
}
