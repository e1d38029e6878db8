/**
 * The check-in desk: a booking (预约) becomes a ticket, by REST (the citizen's phone), at the
 * kiosk or in the console (socket `appointment:checkIn`); and the counter serving it learns whose
 * it is (socket `ticket:holder`). The domain decides the ticket (`ticket:checkIn` in
 * transitions.ts: on time or late, its place in the queue); the bookings store records it.
 *
 * One booking gives one ticket, however often and wherever it is checked in: the command's id is
 * the booking's own (`checkin-<bookingId>`), so a retry or a double check-in is the hall store's
 * repeat of the first; a booking already checked in answers the ticket it became without a
 * command at all.
 */
import { HallCallError, type HallEvent, type Ticket, type TicketHolder } from "../../protocol/index.js";
import type { HallConfig } from "../domain/config.js";
import type { Actor } from "../domain/hall-commands.js";
import { maskName, maskPhone } from "../domain/masking.js";
import { businessDate } from "../domain/clock.js";
import type { Booking, BookingStore } from "../records/bookings.js";
import type { HallStore } from "../store/types.js";
import type { HallContext } from "./context.js";

export type IssuedEvent = Extract<HallEvent, { type: "ticket:issued" }>;

export interface CheckedIn {
  /** The booking as it is now: checked in. */
  booking: Booking;
  /** Its ticket as the hall holds it now. */
  ticket: Ticket;
  /** The `ticket:issued` event, when this call issued the ticket; null when it was issued before (see `issuedEvent`). */
  issued: IssuedEvent | null;
}

export interface CheckInBy {
  /** The ticket's priority class (a kiosk or manager may name one; a phone's is "normal"). */
  priority: string;
  actor: Actor;
  staffId: string | null;
  /** The kiosk's name, when a kiosk checks in. */
  device?: string | null;
}

/** The commandId of a booking's check-in: the same for every attempt, from every channel. */
export const checkInCommandId = (bookingId: string): string => `checkin-${bookingId}`;

export class BookingDesk {
  constructor(
    private readonly ctx: HallContext,
    private readonly bookings: BookingStore,
  ) {}

  /**
   * Check a booking in now. UNKNOWN_BOOKING for no such code, BOOKING_ENDED when it is cancelled,
   * missed or settled; the domain's refusals (CHECK_IN_TOO_EARLY, CHECK_IN_TOO_LATE, a booking of
   * another day) as they come.
   */
  async checkIn(hall: HallConfig, code: string, by: CheckInBy): Promise<CheckedIn> {
    const booking = (await this.bookings.get(hall.id, code)) ?? refuse("UNKNOWN_BOOKING", "No booking with this code in this hall.");
    if (booking.state === "checkedIn") return this.again(hall, booking);
    if (booking.state !== "booked") refuse("BOOKING_ENDED", `This booking is ${booking.state}; take a ticket at the kiosk.`);
    let issued: IssuedEvent;
    try {
      const event = await this.ctx.run(
        hall.id,
        {
          name: "ticket:checkIn",
          payload: {
            commandId: checkInCommandId(booking.id),
            priority: by.priority,
            booking: { id: booking.id, serviceId: booking.serviceId, date: booking.date, slot: booking.slot, name: maskName(booking.name ?? "") },
          },
        },
        by.actor,
        by.staffId,
        by.device ?? null,
      );
      if (event.type !== "ticket:issued") throw new HallCallError("INTERNAL");
      issued = event;
    } catch (err) {
      // Another channel (or another priority) checked it in first and the booking was not yet
      // marked: the hall holds the ticket under the same commandId (IDEMPOTENCY_CONFLICT), or the
      // domain found the booking's live ticket (BOOKING_ENDED). That ticket is the answer.
      if (!(err instanceof HallCallError && (err.code === "IDEMPOTENCY_CONFLICT" || err.code === "BOOKING_ENDED"))) throw err;
      const found = (await this.ctx.store.snapshot(hall.id)).tickets.find((t) => t.appointment?.bookingId === booking.id);
      if (!found) throw err;
      const marked = await this.bookings.checkedIn(hall.id, code, { id: found.id, number: found.number }, this.ctx.clock.now());
      return this.again(hall, marked);
    }
    const marked = await this.bookings.checkedIn(hall.id, code, { id: issued.ticket.id, number: issued.ticket.number }, this.ctx.clock.now());
    return { booking: marked, ticket: issued.ticket, issued };
  }

  /** A booking checked in before: its ticket again. */
  private async again(hall: HallConfig, booking: Booking): Promise<CheckedIn> {
    const ticket = booking.ticketId ? await this.ctx.store.ticket(hall.id, booking.ticketId) : null;
    if (!ticket) refuse("BOOKING_ENDED", `This booking was checked in as ${booking.ticketNumber ?? "a ticket"} on ${booking.date}.`);
    return { booking, ticket: ticket!, issued: null };
  }

  /**
   * The event that issued a check-in's ticket: this call's, or the first one's from the hall's
   * log, so that a socket answers a repeat as it answered the first (a command's ack is its event).
   */
  async issuedEvent(hall: HallConfig, done: CheckedIn): Promise<IssuedEvent> {
    const issued = done.issued ?? (await issuedEventOf(this.ctx.store, hall.id, done.ticket));
    return issued ?? refuse("BOOKING_ENDED", `This booking was checked in as ${done.ticket.number}; its ticket is no longer in the hall's log.`);
  }

  /**
   * Whose ticket is at the window now: the booking's full name and masked phone, for the counter
   * serving it (the caller checks who asks). UNKNOWN_TICKET when the window holds no ticket, or
   * one that is not a booking's.
   */
  async holder(hall: HallConfig, windowId: string): Promise<TicketHolder> {
    const snapshot = await this.ctx.store.snapshot(hall.id);
    const window = snapshot.windows.find((w) => w.id === windowId) ?? refuse("UNKNOWN_WINDOW", `No window "${windowId}" in this hall.`);
    const ticket = window.ticketId ? snapshot.tickets.find((t) => t.id === window.ticketId) : undefined;
    const appointment = ticket?.appointment ?? refuse("UNKNOWN_TICKET", "The window holds no booked ticket now.");
    // A booking is checked in on its own day, so the slot's date is the booking's.
    const date = businessDate(appointment.slotStart, hall.timezone);
    const booking = (await this.bookings.day(hall.id, date)).find((b) => b.id === appointment.bookingId) ?? refuse("UNKNOWN_TICKET", "The window's ticket has no booking any more.");
    return { ticketId: ticket!.id, name: booking.name ?? "", phone: booking.phone ? maskPhone(booking.phone) : "" };
  }
}

function refuse(code: ConstructorParameters<typeof HallCallError>[0], message: string): never {
  throw new HallCallError(code, message);
}

/**
 * The `ticket:issued` event of a ticket, found in the hall's log without reading all of it: the
 * log is in time order, so the first event at or after the ticket's issue is found by halving
 * the seqs (one event read per step), and the issue is among the events from there.
 */
export async function issuedEventOf(store: HallStore, hallId: string, ticket: Ticket): Promise<IssuedEvent | null> {
  let lo = 0;
  let hi = (await store.snapshot(hallId)).seq;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const [e] = await store.eventsSince(hallId, mid, 1);
    if (!e || e.at >= ticket.issuedAt) hi = mid;
    else lo = Math.max(mid + 1, e.seq);
  }
  for (let after = lo; ; ) {
    const page = await store.eventsSince(hallId, after, 200);
    for (const e of page) {
      if (e.type === "ticket:issued" && e.ticket.id === ticket.id) return e;
      if (e.at > ticket.issuedAt) return null;
    }
    if (page.length < 200) return null;
    after = page[page.length - 1]!.seq;
  }
}
