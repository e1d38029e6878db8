/**
 * How a ticket's row follows its events: a pure fold, so that both databases keep the same row
 * and a batch is folded in memory before one upsert per ticket. And how a booking follows the
 * events of the ticket it became.
 */
import type { Kysely } from "kysely";
import { ENDED_STATES, type HallEvent, type TicketState } from "../../protocol/index.js";
import type { Outcome, RecordsDatabase, TicketsTable } from "./schema.js";

export type TicketEvent = Extract<HallEvent, { ticket: unknown }>;

export const isTicketEvent = (e: HallEvent): e is TicketEvent => "ticket" in e;

/** The row after one more event of its ticket (`row` is the row before, if any). */
export function foldTicket(row: TicketsTable | undefined, e: TicketEvent): TicketsTable {
  const t = e.ticket;
  const ended = ENDED_STATES.includes(t.state);
  // A call after a transfer or the next bundle step is not the first: the wait counted is the first one.
  const firstCall = e.type === "ticket:called" && !e.recall;
  return {
    hall_id: e.hallId,
    business_date: t.businessDate,
    ticket_id: t.id,
    number: t.number,
    service_id: t.serviceId,
    priority: t.priority,
    channel: t.channel,
    state: t.state,
    outcome: ended ? (t.state as Outcome) : null,
    issued_at: t.issuedAt,
    called_at: row?.called_at ?? t.calledAt,
    // A requeued ticket (transfer, next step) clears these on the ticket; the row keeps where it was served.
    serving_at: t.servingAt ?? row?.serving_at ?? null,
    ended_at: t.endedAt,
    wait_sec: row?.wait_sec ?? (firstCall ? e.waitSec : null),
    service_sec: e.type === "ticket:finished" ? (row?.service_sec ?? 0) + e.serviceSec : (row?.service_sec ?? null),
    window_id: t.windowId ?? row?.window_id ?? null,
    staff_id: t.staffId ?? row?.staff_id ?? null,
    rating: t.rating,
    transferred: row?.transferred || e.type === "ticket:transferred" ? 1 : 0,
    bundle_step: t.bundleStep,
    bundle_steps: Math.max(1, t.bundle.length),
    last_epoch: e.epoch,
    last_seq: e.seq,
    updated_at: e.at,
  };
}

/** The business day an event counts in: its epoch starts with it (server/domain/hall.ts dayEpoch). */
export function businessDateOf(e: HallEvent): string {
  if (e.type === "hall:dayStarted") return e.businessDate;
  const fromEpoch = /^\d{4}-\d{2}-\d{2}/.exec(e.epoch)?.[0];
  return fromEpoch ?? (isTicketEvent(e) ? e.ticket.businessDate : e.epoch);
}

/** How a checked-in booking ends with its ticket. */
export type Settled = "served" | "noShow" | "cancelled";

/** A checked-in booking settled; only from checkedIn, so a repeat or an unknown id changes nothing. */
export const settleBooking = (q: Kysely<RecordsDatabase>, hallId: string, bookingId: string, outcome: Settled, now: number) =>
  q.updateTable("records_bookings").set({ state: outcome, updated_at: now }).where("hall_id", "=", hallId).where("id", "=", bookingId).where("state", "=", "checkedIn");

const SETTLED: Partial<Record<TicketState, Settled>> = { finished: "served", noShow: "noShow", cancelled: "cancelled" };

/**
 * What an event of a booking's ticket does to the booking, if anything: its issue checks the
 * booking in (the check-in's own update, BookingStore.checkedIn, is lost if the server stops
 * between the two: this makes it good), its end settles it. A transfer or the next bundle step is
 * not an end: the ticket is waiting again.
 */
export function bookingFollows(q: Kysely<RecordsDatabase>, e: TicketEvent) {
  const t = e.ticket;
  // Events archived before appointments have no such field.
  if (!t.appointment) return null;
  if (e.type === "ticket:issued") {
    return q
      .updateTable("records_bookings")
      .set({ state: "checkedIn", ticket_id: t.id, ticket_number: t.number, updated_at: e.at })
      .where("hall_id", "=", e.hallId)
      .where("id", "=", t.appointment.bookingId)
      .where("state", "=", "booked");
  }
  const outcome = SETTLED[t.state];
  return outcome ? settleBooking(q, e.hallId, t.appointment.bookingId, outcome, e.at) : null;
}
