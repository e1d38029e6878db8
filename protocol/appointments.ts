/**
 * Bookings (预约) and the hall's hours over REST: what the phone page `/book/`, the kiosk's
 * check-in and the manager console send and receive. Names and phones only ever leave the server
 * masked (张*, 138****1234), except the full name to the counter handling the ticket.
 */
import { z } from "zod";
import { Bilingual, CommandId, Id, Ticket } from "./schemas.js";
import { OneLineText } from "./text.js";
import { CalendarDate } from "./hours.js";

/** A real calendar date in the hall's zone (2026-02-30 is refused). */
export const BookingDate = CalendarDate;
export const SlotTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a slot start as "HH:MM"');
/** A mainland mobile number (11 digits, 1[3-9]…). */
export const PhoneNumber = z.string().regex(/^1[3-9]\d{9}$/, "an 11-digit mobile number");

export const BookingState = z.enum(["booked", "checkedIn", "served", "noShow", "cancelled", "missed"]);
export type BookingState = z.infer<typeof BookingState>;

/** GET /api/halls/:hallId/appointments/slots?serviceId=&date= */
export const SlotsQuery = z.object({ serviceId: Id, date: BookingDate });
export const SlotInfo = z.object({
  slot: SlotTime,
  /** Slot start, ms. */
  startsAt: z.number(),
  capacity: z.number().int(),
  /** Seats left in the slot (never more than the day's booking quota left). */
  left: z.number().int(),
  /** Whether it can be booked now (inside the booking window and with a seat left). */
  bookable: z.boolean(),
});
export type SlotInfo = z.infer<typeof SlotInfo>;
export const SlotsResponse = z.object({
  serviceId: Id,
  date: BookingDate,
  /** Dates that can be booked now, today first (the page's date picker). */
  dates: z.array(BookingDate),
  slots: z.array(SlotInfo),
  /** Shown when the day has no slots (a holiday, a closed weekday). */
  notice: Bilingual.nullable(),
});
export type SlotsResponse = z.infer<typeof SlotsResponse>;

/** POST /api/halls/:hallId/appointments */
export const BookingRequest = z.strictObject({
  serviceId: Id,
  date: BookingDate,
  slot: SlotTime,
  name: OneLineText(40).pipe(z.string().min(1, "a name")),
  phone: PhoneNumber,
});
export type BookingRequest = z.input<typeof BookingRequest>;

/** POST /api/halls/:hallId/appointments/:code/reschedule */
export const RescheduleRequest = z.strictObject({ date: BookingDate, slot: SlotTime });

/** POST /api/halls/:hallId/appointments/:code/check-in (the kiosk sends the socket command appointment:checkIn instead). */
export const CheckInRequest = z.strictObject({ commandId: CommandId });

/** A booking as its holder sees it: GET/DELETE …/appointments/:code and every change's answer. */
export const BookingView = z.object({
  code: z.string(),
  serviceId: Id,
  serviceName: Bilingual,
  date: BookingDate,
  slot: SlotTime,
  startsAt: z.number(),
  /** Masked: 张*, 138****1234. */
  name: z.string(),
  phone: z.string(),
  state: BookingState,
  /** The ticket it became at check-in (its tracker's credential: only the booking's holder sees it). */
  ticketId: z.string().nullable(),
  ticketNumber: z.string().nullable(),
  /** When check-in opens and until when it is on time, ms. */
  checkInFrom: z.number(),
  onTimeUntil: z.number(),
  /** The booking's own page (the QR's target). */
  url: z.string(),
  /** The same link as an SVG QR code, for the page to show and the kiosk to scan. */
  qrSvg: z.string(),
});
export type BookingView = z.infer<typeof BookingView>;

/** GET /api/halls/:hallId/appointments?date= (manager): the day's bookings per service and slot. */
export const DayBookingsSlot = z.object({
  slot: SlotTime,
  capacity: z.number().int(),
  booked: z.number().int(),
  checkedIn: z.number().int(),
  served: z.number().int(),
  missed: z.number().int(),
  cancelled: z.number().int(),
  /** Each live or settled booking of the slot, masked. */
  bookings: z.array(z.object({ name: z.string(), phone: z.string(), state: BookingState, ticketNumber: z.string().nullable() })),
});
export const DayBookings = z.object({
  date: BookingDate,
  services: z.array(z.object({ serviceId: Id, name: Bilingual, bookingQuota: z.number().int(), slots: z.array(DayBookingsSlot) })),
});
export type DayBookings = z.infer<typeof DayBookings>;

/** The full name of the citizen a counter is serving (socket `ticket:holder {windowId}`). */
export const TicketHolder = z.object({ ticketId: z.string(), name: z.string(), phone: z.string() });
export type TicketHolder = z.infer<typeof TicketHolder>;

/** GET /api/halls/:hallId/appointments/services: the services that take bookings, and when. */
export const BookableService = z.object({
  id: Id,
  name: Bilingual,
  /** Minutes per slot and citizens per slot. */
  slotMin: z.number().int(),
  capacity: z.number().int(),
  /** Dates with a slot still open to booking, today first. */
  dates: z.array(BookingDate),
});
export const BookableServices = z.object({
  services: z.array(BookableService),
  /** Dates on which some service has a slot still open to booking, today first (the page's date picker). */
  dates: z.array(BookingDate),
});
export type BookableServices = z.infer<typeof BookableServices>;

/** GET /api/halls/:hallId/appointments?date= (manager). */
export const DayBookingsQuery = z.strictObject({ date: BookingDate });

/** POST …/appointments/:code/check-in: the booking, now checked in, and the ticket it became (its id is the tracker's credential). */
export const CheckInResponse = z.object({ booking: BookingView, ticket: Ticket });
export type CheckInResponse = z.infer<typeof CheckInResponse>;

/** Socket `ticket:holder`: whose ticket is at this window. */
export const TicketHolderRequest = z.strictObject({ windowId: Id });
