/**
 * Bookings (预约) and the hall's hours over REST. Mounted inside the REST router, so its limits,
 * no-store header, staff checks and JSON errors apply.
 *
 * Public, the code being the credential: the bookable services and slots, booking, a booking by
 * its code, cancelling, moving and checking it in. For managers: the day's bookings, and the
 * hall's hours (read, change, log). The domain decides (domain/booking.ts); the bookings store
 * commits, reading the slot's load in the same transaction as the booking it makes.
 */
import type { Request, Router } from "express";
import QRCode from "qrcode";
import { z } from "zod";
import {
  BookingCode,
  BookingRequest,
  CheckInRequest,
  DayBookingsQuery,
  HallCallError,
  HoursUpdate,
  RescheduleRequest,
  SlotsQuery,
  type Bilingual,
  type BookableServices,
  type BookingView,
  type CheckInResponse,
  type DayBookings,
  type HoursView,
  type SlotsResponse,
} from "../../protocol/index.js";
import { bookableService, checkInWindow, holdsSeat, MISSED_BOOKING_STATES, checkSlotOpen, creditHorizon, decideBooking, quotaSplit, slotsOn, slotStart, type BookingRequest as SlotRequest } from "../domain/booking.js";
import { addDays, holidayOn } from "../domain/calendar.js";
import { businessDate } from "../domain/clock.js";
import { hoursOf, type HallConfig, type ServiceConfig } from "../domain/config.js";
import { maskName, maskPhone } from "../domain/masking.js";
import type { Booking, BookingStore } from "../records/bookings.js";
import type { StaffSession } from "./auth.js";
import type { BookingDesk } from "./booking-desk.js";
import type { HallContext } from "./context.js";
import type { LiveHours } from "./hours.js";
import type { RestGuard } from "./rate-limit.js";

export interface AppointmentRoutes {
  ctx: HallContext;
  /** Null when the deployment keeps no records: every booking route answers RECORDS_UNAVAILABLE. */
  bookings: BookingStore | null;
  desk: BookingDesk | null;
  hours: LiveHours | null;
  guard: RestGuard;
  /** Where phones reach this server (the booking's link and QR); else the request's own origin. */
  publicUrl?: string;
  hallOf(req: Request): HallConfig;
  /** The request's signed-in staff member of this hall (throws UNAUTHORIZED / SESSION_ENDED). */
  staffOf(req: Request, hall: HallConfig): Promise<StaffSession>;
  addressOf(req: Request): string;
}

const LogQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });


export function mountAppointments(r: Router, deps: AppointmentRoutes): void {
  const { ctx } = deps;
  const base = "/api/halls/:hallId/appointments";

  const bookingsOf = (): BookingStore => deps.bookings ?? unavailable();
  const manager = async (req: Request): Promise<{ hall: HallConfig; session: StaffSession }> => {
    const hall = deps.hallOf(req);
    const session = await deps.staffOf(req, hall);
    if (!session.roles.includes("manager")) throw new HallCallError("FORBIDDEN", "Bookings of the day and the hall's hours are for its managers.");
    return { hall, session };
  };
  const codeOf = (req: Request): string => BookingCode.parse(req.params.code);
  const originOf = (req: Request): string => (deps.publicUrl ?? `${req.protocol}://${req.get("host") ?? "localhost"}`).replace(/\/+$/, "");
  const view = (req: Request, hall: HallConfig, b: Booking) => bookingView(hall, b, originOf(req));
  const known = async (hall: HallConfig, code: string): Promise<Booking> => (await bookingsOf().get(hall.id, code)) ?? unknownBooking();

  r.get(`${base}/services`, async (req, res) => {
    const hall = deps.hallOf(req);
    bookingsOf();
    const now = ctx.clock.now();
    const services = hall.services.filter((s) => s.appointments).map((s) => ({ id: s.id, name: s.name, slotMin: s.appointments!.slotMin, capacity: s.appointments!.capacity, dates: bookableDates(hall, s, now) }));
    const dates = [...new Set(services.flatMap((s) => s.dates))].sort();
    const answer: BookableServices = { services, dates };
    res.json(answer);
  });

  r.get(`${base}/slots`, async (req, res) => {
    const hall = deps.hallOf(req);
    const bookings = bookingsOf();
    const q = SlotsQuery.parse(req.query);
    const s = bookableService(hall, q.serviceId);
    const now = ctx.clock.now();
    const seats = (await bookings.day(hall.id, q.date)).filter((b) => b.serviceId === s.id && holdsSeat(b.state));
    const dayLeft = quotaSplit(s).booking - seats.length;
    const slots = slotsOn(s, q.date, hall.calendar).map((slot) => {
      const left = Math.max(0, Math.min(s.appointments!.capacity - seats.filter((b) => b.slot === slot).length, dayLeft));
      const req = { serviceId: s.id, date: q.date, slot };
      return { slot, startsAt: slotStart(q.date, slot, hall.timezone), capacity: s.appointments!.capacity, left, bookable: left > 0 && openNow(hall, req, now) };
    });
    const answer: SlotsResponse = { serviceId: s.id, date: q.date, dates: bookableDates(hall, s, now), slots, notice: slots.length ? null : noSlotsNotice(hall, s, q.date) };
    res.json(answer);
  });

  r.post(base, async (req, res) => {
    const hall = deps.hallOf(req);
    const bookings = bookingsOf();
    const body = BookingRequest.parse(req.body);
    await deps.guard.bookingRequest(deps.addressOf(req), hall.id, body.phone);
    const now = ctx.clock.now();
    const start = checkSlotOpen(hall, body, now);
    const booking = await bookings.book({ hallId: hall.id, ...body, slotStart: start, now }, missesSince(hall, now), (load) => void decideBooking(hall, body, load, now));
    res.status(201).json(await view(req, hall, booking));
  });

  r.get(base, async (req, res) => {
    const { hall } = await manager(req);
    const bookings = bookingsOf();
    const q = DayBookingsQuery.parse(req.query);
    res.json(dayBookings(hall, q.date, await bookings.day(hall.id, q.date)));
  });

  r.get(`${base}/:code`, async (req, res) => {
    const hall = deps.hallOf(req);
    const code = codeOf(req);
    res.json(await view(req, hall, await known(hall, code)));
  });

  r.delete(`${base}/:code`, async (req, res) => {
    const hall = deps.hallOf(req);
    const code = codeOf(req);
    await known(hall, code);
    res.json(await view(req, hall, await bookingsOf().cancel(hall.id, code, ctx.clock.now())));
  });

  r.post(`${base}/:code/reschedule`, async (req, res) => {
    const hall = deps.hallOf(req);
    const code = codeOf(req);
    const to = RescheduleRequest.parse(req.body);
    await deps.guard.bookingRequest(deps.addressOf(req), hall.id, null);
    const current = await known(hall, code);
    if (current.state !== "booked") throw new HallCallError("BOOKING_ENDED", `This booking is ${current.state}; it can no longer be moved.`);
    const now = ctx.clock.now();
    const target = { serviceId: current.serviceId, ...to };
    const start = checkSlotOpen(hall, target, now);
    const moved = await bookingsOf().reschedule(hall.id, code, { ...to, slotStart: start }, missesSince(hall, now), now, (load) => void decideBooking(hall, target, load, now));
    res.json(await view(req, hall, moved));
  });

  r.post(`${base}/:code/check-in`, async (req, res) => {
    const hall = deps.hallOf(req);
    const code = codeOf(req);
    CheckInRequest.parse(req.body);
    const desk = deps.desk ?? unavailable();
    const done = await desk.checkIn(hall, code, { priority: "normal", actor: "citizen", staffId: null });
    const answer: CheckInResponse = { booking: await view(req, hall, done.booking), ticket: done.ticket };
    res.status(done.issued ? 201 : 200).json(answer);
  });

  r.get("/api/halls/:hallId/hours", async (req, res) => {
    const { hall } = await manager(req);
    const answer: HoursView = deps.hours ? deps.hours.view(hall.id) : { ...hoursOf(hall), version: null, changedBy: null, changedAt: null };
    res.json(answer);
  });

  r.put("/api/halls/:hallId/hours", async (req, res) => {
    const { hall, session } = await manager(req);
    const update = HoursUpdate.parse(req.body);
    const hours = deps.hours ?? unavailable();
    await hours.save(hall.id, update, session.staffId);
    res.json(hours.view(hall.id));
  });

  r.get("/api/halls/:hallId/hours/log", async (req, res) => {
    const { hall } = await manager(req);
    const q = LogQuery.parse(req.query);
    res.json(deps.hours ? await deps.hours.log(hall.id, q.limit) : []);
  });
}

function unavailable(): never {
  throw new HallCallError("RECORDS_UNAVAILABLE", "This server keeps no records database, so it takes no bookings and keeps the hours of its config file.");
}

function unknownBooking(): never {
  throw new HallCallError("UNKNOWN_BOOKING", "No booking with this code in this hall.");
}

/** The dates whose misses still count for the credit rule today. */
const missesSince = (hall: HallConfig, now: number): string => creditHorizon(businessDate(now, hall.timezone), hall.booking);

/** Whether the slot is open to booking now, seats aside (the domain's checkSlotOpen). */
function openNow(hall: HallConfig, req: SlotRequest, now: number): boolean {
  try {
    checkSlotOpen(hall, req, now);
    return true;
  } catch (err) {
    if (err instanceof HallCallError) return false;
    throw err;
  }
}

/** The dates from today to `openDaysAhead` on which the service has a slot still open to booking. */
function bookableDates(hall: HallConfig, s: ServiceConfig, now: number): string[] {
  const today = businessDate(now, hall.timezone);
  const dates: string[] = [];
  for (let i = 0; i <= hall.booking.openDaysAhead; i++) {
    const date = addDays(today, i);
    if (slotsOn(s, date, hall.calendar).some((slot) => openNow(hall, { serviceId: s.id, date, slot }, now))) dates.push(date);
  }
  return dates;
}

/** Why a date has no slots, for the page to show. */
function noSlotsNotice(hall: HallConfig, s: ServiceConfig, date: string): Bilingual {
  const [, m, d] = date.split("-").map(Number);
  if (!s.roundTheClock && holidayOn(date, hall.calendar)) {
    return { zh: `${m}月${d}日为节假日，不办理预约`, en: `${date} is a public holiday: no bookings` };
  }
  return { zh: `${m}月${d}日 ${s.name.zh} 不办理预约`, en: `${s.name.en} takes no bookings on ${date}` };
}

/** A booking as its holder sees it: masked, with its link and the link's QR code. */
export async function bookingView(hall: HallConfig, b: Booking, origin: string): Promise<BookingView> {
  const s = hall.services.find((x) => x.id === b.serviceId);
  const url = `${origin}/book/?${new URLSearchParams({ hall: hall.id, code: b.code })}`;
  const window = checkInWindow(hall.booking, b.slotStart);
  return {
    code: b.code,
    serviceId: b.serviceId,
    serviceName: s?.name ?? { zh: b.serviceId, en: b.serviceId },
    date: b.date,
    slot: b.slot,
    startsAt: b.slotStart,
    name: maskName(b.name ?? ""),
    phone: b.phone ? maskPhone(b.phone) : "****",
    state: b.state,
    ticketId: b.ticketId,
    ticketNumber: b.ticketNumber,
    checkInFrom: window.from,
    onTimeUntil: window.onTimeUntil,
    url,
    qrSvg: await QRCode.toString(url, { type: "svg", margin: 1, errorCorrectionLevel: "M" }),
  };
}

/**
 * The day's bookings per bookable service and slot, counted by state (a no-show after check-in
 * counts with the missed: it was not served and not cancelled), every booking masked.
 */
export function dayBookings(hall: HallConfig, date: string, all: readonly Booking[]): DayBookings {
  return {
    date,
    services: hall.services
      .filter((s) => s.appointments || all.some((b) => b.serviceId === s.id))
      .map((s) => {
        const mine = all.filter((b) => b.serviceId === s.id);
        // Slots booked under hours since changed are shown too.
        const slots = [...new Set([...slotsOn(s, date, hall.calendar), ...mine.map((b) => b.slot)])].sort();
        return {
          serviceId: s.id,
          name: s.name,
          bookingQuota: quotaSplit(s).booking,
          slots: slots.map((slot) => {
            const inSlot = mine.filter((b) => b.slot === slot);
            const count = (...states: Booking["state"][]) => inSlot.filter((b) => states.includes(b.state)).length;
            return {
              slot,
              capacity: s.appointments?.capacity ?? 0,
              booked: count("booked"),
              checkedIn: count("checkedIn"),
              served: count("served"),
              missed: count(...MISSED_BOOKING_STATES),
              cancelled: count("cancelled"),
              bookings: inSlot.filter((b) => holdsSeat(b.state)).map((b) => ({ name: maskName(b.name ?? ""), phone: b.phone ? maskPhone(b.phone) : "****", state: b.state, ticketNumber: b.ticketNumber })),
            };
          }),
        };
      }),
  };
}
