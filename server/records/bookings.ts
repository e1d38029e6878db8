/**
 * Bookings (预约) and the hall's edited hours, kept in the records database (SQLite or
 * PostgreSQL). The domain decides (domain/booking.ts); these commit what it decided, each change
 * in one transaction that also reads what the decision needs, so two citizens racing for a
 * slot's last seat get one booking and one SLOT_FULL.
 */
import type { BookingState, HoursUpdate } from "../../protocol/index.js";
import type { BookingLoad } from "../domain/booking.js";

export interface Booking {
  /** Public id: the ticket it becomes carries it. */
  id: string;
  /** The citizen's credential (in the booking's link and QR): unguessable. */
  code: string;
  hallId: string;
  serviceId: string;
  /** Business date and hall-local slot start. */
  date: string;
  slot: string;
  slotStart: number;
  /** Null once the retention rule erased them. */
  name: string | null;
  phone: string | null;
  /** Keyed hash of the phone (HMAC-SHA256): the credit rule and DUPLICATE_BOOKING ask it; it outlives the number. */
  phoneKey: string;
  state: BookingState;
  ticketId: string | null;
  ticketNumber: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewBooking {
  hallId: string;
  serviceId: string;
  date: string;
  slot: string;
  slotStart: number;
  name: string;
  phone: string;
  now: number;
}

/** The slot a booking is moved to. */
export interface SlotChoice {
  date: string;
  slot: string;
  slotStart: number;
}

/** The decision a change needs, made on what the transaction read; it throws the refusal. */
export type DecideBooking = (load: BookingLoad) => void;

export interface BookingStore {
  /**
   * In one transaction: read the load of the slot, the day and the phone (its live bookings for
   * the service that day, its missed bookings since `missesSince`), call `decide`, and insert the
   * booking with a fresh id and code. A refusal from `decide` leaves nothing behind.
   */
  book(input: NewBooking, missesSince: string, decide: DecideBooking): Promise<Booking>;
  /** A booking by its code, or null. */
  get(hallId: string, code: string): Promise<Booking | null>;
  /** Move a live (booked) booking to another slot: the load counts everything but itself. BOOKING_ENDED when not live. */
  reschedule(hallId: string, code: string, to: SlotChoice, missesSince: string, now: number, decide: DecideBooking): Promise<Booking>;
  /** Cancel a live booking (its seat is free again). BOOKING_ENDED when not live. */
  cancel(hallId: string, code: string, now: number): Promise<Booking>;
  /** The booking became a ticket: booked → checkedIn (a repeat with the same ticket changes nothing). BOOKING_ENDED when not live. */
  checkedIn(hallId: string, code: string, ticket: { id: string; number: string }, now: number): Promise<Booking>;
  /** Its ticket ended: checkedIn → served or noShow. Unknown ids and repeats change nothing. */
  settle(hallId: string, bookingId: string, outcome: "served" | "noShow", now: number): Promise<void>;
  /**
   * 失约: live bookings never checked in whose slot started before `slotStartBefore` (or whose date
   * is before `dateBefore`) become missed. Returns how many.
   */
  markMissed(hallId: string, cutoff: { slotStartBefore?: number; dateBefore?: string }, now: number): Promise<number>;
  /** Every booking of the hall on a date, by slot then creation. */
  day(hallId: string, date: string): Promise<Booking[]>;
  /** The retention rule: bookings dated before `before` lose name and phone (the keyed hash stays). Returns how many. */
  erasePersonal(hallId: string, before: string): Promise<number>;
}

/** A change of the hall's hours made in the console, kept for good (who changed what). */
export interface HoursChangeRecord {
  version: number;
  hallId: string;
  hours: HoursUpdate;
  by: string;
  at: number;
}

export interface HoursStore {
  /** Keep a new version of the hall's hours; returns it (versions count up from 1 per hall). */
  saveHours(hallId: string, hours: HoursUpdate, by: string, now: number): Promise<HoursChangeRecord>;
  /** The hall's latest version, or null while the config file's hours hold. */
  latestHours(hallId: string): Promise<HoursChangeRecord | null>;
  /** The hall's changes, newest first. */
  hoursLog(hallId: string, limit: number): Promise<HoursChangeRecord[]>;
}
