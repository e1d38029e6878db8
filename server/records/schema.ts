/**
 * The records' tables as Kysely sees them. Every table is prefixed `records_`, beside the embedded
 * store's `store_` tables when both live in one SQLite file. Times are epoch milliseconds (bigint
 * on PostgreSQL), so both databases hold the same numbers the events carry; flags are 0/1 because
 * better-sqlite3 binds no booleans.
 */
import type { FollowUpState, FollowUpStepKind } from "../../protocol/follow-ups.js";
import type { BookingState, CaseState, RatingScope, TicketState } from "../../protocol/index.js";
import type { CaseStepKind } from "../domain/case.js";

export interface RecordsDatabase {
  records_events: EventsTable;
  records_tickets: TicketsTable;
  records_cursors: CursorsTable;
  records_bookings: BookingsTable;
  records_hours: HoursTable;
  records_secrets: SecretsTable;
  records_webhook_outbox: WebhookOutboxTable;
  records_follow_ups: FollowUpsTable;
  records_ratings: RatingsTable;
  records_follow_up_steps: FollowUpStepsTable;
  records_cases: CasesTable;
  records_case_steps: CaseStepsTable;
}

/** Every event of every hall, once. Unique on (hall_id, epoch, seq): see migrations.ts. */
export interface EventsTable {
  hall_id: string;
  epoch: string;
  seq: number;
  business_date: string;
  type: string;
  at: number;
  /** The event as the store logged it (JSON). */
  event: string;
  /** Its actor (EventActor), null on events logged before events named one. */
  actor_kind: string | null;
  actor_id: string | null;
  /** ticket:called only: 1 when 指定叫号 (`chosen`), else 0; null for other types. */
  chosen: number | null;
}

export type Outcome = "finished" | "noShow" | "cancelled";

/** One row per ticket per business day (the day it was issued), kept up to date from its events. */
export interface TicketsTable {
  hall_id: string;
  business_date: string;
  ticket_id: string;
  number: string;
  /** The service it is (or was last) queued for: after a transfer, the new one. */
  service_id: string;
  priority: string;
  channel: string;
  state: TicketState;
  /** Null while the ticket is live. */
  outcome: Outcome | null;
  issued_at: number;
  /** Its first call. */
  called_at: number | null;
  /** The last time service started. */
  serving_at: number | null;
  ended_at: number | null;
  /** From queuedAt to the first call, seconds. */
  wait_sec: number | null;
  /** Summed over every finished step (a bundle has several). */
  service_sec: number | null;
  /** The window and staff member who last held it. */
  window_id: string | null;
  staff_id: string | null;
  /** The ticket's own rating: of its one service, or of a bundle's whole matter (its steps' are in records_ratings only). */
  rating: number | null;
  transferred: number;
  bundle_step: number;
  bundle_steps: number;
  /** The event this row was last folded from. */
  last_epoch: string;
  last_seq: number;
  updated_at: number;
  // Personal data (a phone number, a name; later issues) goes here, in columns of its own, so that
  // the retention rule (retention.personalDays) can null them while the figures above stay.
}

/** The last event archived per hall. A log that went back has lower seqs, so this is not max(seq). */
export interface CursorsTable {
  hall_id: string;
  epoch: string;
  seq: number;
  at: number;
}

/** One booking (预约) per row, from its making to its outcome; records/bookings.ts says what each field means. */
export interface BookingsTable {
  id: string;
  code: string;
  hall_id: string;
  service_id: string;
  date: string;
  slot: string;
  slot_start: number;
  /** Personal data: nulled by the retention rule, while phone_key stays for the credit rule. */
  name: string | null;
  phone: string | null;
  phone_key: string;
  state: BookingState;
  ticket_id: string | null;
  ticket_number: string | null;
  created_at: number;
  updated_at: number;
}

/** Each version of a hall's hours as edited in the console, kept for good. */
export interface HoursTable {
  hall_id: string;
  version: number;
  /** The HoursUpdate saved (JSON). */
  hours: string;
  by: string;
  at: number;
}

/** Secrets the records make for themselves once per database (the phone key when none is configured). */
export interface SecretsTable {
  name: string;
  value: string;
}

/** One delivery of one webhook to one endpoint (records/webhook-outbox.ts says what each field means). */
export interface WebhookOutboxTable {
  id: string;
  hall_id: string;
  url: string;
  /** The order of the hall's deliveries: an endpoint gets them by it. */
  position: number;
  type: string;
  /** The JSON body, exactly as it is signed and sent. */
  body: string;
  state: "pending" | "delivered" | "failed";
  attempts: number;
  created_at: number;
  next_at: number;
  expires_at: number | null;
  delivered_at: number | null;
  last_status: number | null;
  last_error: string | null;
  updated_at: number;
}

/** 差评回访整改: one follow-up per 不满意 or 非常不满意 rating (records/follow-ups.ts), its state as domain/follow-up.ts decided. */
export interface FollowUpsTable {
  hall_id: string;
  id: string;
  ticket_id: string;
  /** The ticket's business day: the deadline counts from it, and the reports group by it. */
  business_date: string;
  number: string;
  service_id: string;
  window_id: string | null;
  staff_id: string | null;
  rating: number;
  /** What was rated, as in records_ratings. */
  scope: RatingScope;
  step: number;
  /** "pad" or "tracker" (a late rating). */
  source: string;
  state: FollowUpState;
  reached: number;
  rectified: number;
  appealed: number;
  opened_at: number;
  due_date: string;
  closed_at: number | null;
  /** The business day it was closed on, for the working days it took. */
  closed_date: string | null;
  /** How many steps it has (the next one's n). */
  steps: number;
  updated_at: number;
}

/**
 * Every rating given (records/ratings.ts), once: of a service event ("service": a ticket of one
 * service, step 0, or a bundle's step) with its service, window and staff, or of a bundle's whole
 * matter ("whole", 整件事: step 0, no service, window or staff). The reports count ratings here.
 */
export interface RatingsTable {
  hall_id: string;
  /** The ticket's business day: the reports group by it. */
  business_date: string;
  ticket_id: string;
  scope: RatingScope;
  step: number;
  service_id: string | null;
  window_id: string | null;
  staff_id: string | null;
  /** The ticket's issue, for the reports' hour of arrival. */
  issued_at: number;
  rating: number;
  at: number;
}

/** Every step of a follow-up, with who and when: numbered from 0 (the opening). */
export interface FollowUpStepsTable {
  hall_id: string;
  follow_up_id: string;
  n: number;
  kind: FollowUpStepKind;
  by: string;
  at: number;
  /** callback only: 1 reached, 0 not. */
  reached: number | null;
  note: string;
}

/** Cases (工单) of the 办不成事 window (records/cases.ts), their state as domain/case.ts decided. */
export interface CasesTable {
  hall_id: string;
  id: string;
  /** The public page's credential: 22 characters from 16 random bytes. */
  key: string;
  number: string;
  /** The opening's business date: the number and the deadline count from it. */
  business_date: string;
  /** The day's count in the hall (NNN of the number). */
  day_seq: number;
  state: CaseState;
  category: string;
  summary: string;
  /** JSON array of the departments involved. */
  departments: string;
  /** Null once the retention rule erased it. */
  phone: string | null;
  ticket_id: string;
  ticket_number: string;
  window_id: string;
  opened_at: number;
  opened_by: string;
  due_date: string;
  resolution: string | null;
  resolved_at: number | null;
  resolved_date: string | null;
  closed_at: number | null;
  closed_date: string | null;
  rating: number | null;
  /** How many steps it has (the next one's n). */
  steps: number;
  /** The `case:open` command's id: a repeat answers this case. */
  command_id: string;
  updated_at: number;
}

/** Every step of a case, with who and when: numbered from 0 (the opening). */
export interface CaseStepsTable {
  hall_id: string;
  case_id: string;
  n: number;
  kind: CaseStepKind;
  by: string;
  at: number;
  text: string;
  /** The command that recorded it (null for the opening, whose command the case row keeps). */
  command_id: string | null;
}
