/**
 * How a ticket's row follows its events: a pure fold, so that both databases keep the same row
 * and a batch is folded in memory before one upsert per ticket.
 */
import { ENDED_STATES, type HallEvent } from "../../protocol/index.js";
import type { Outcome, TicketsTable } from "./schema.js";

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
