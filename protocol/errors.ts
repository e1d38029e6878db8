/**
 * Every error a client can receive, with the sentence docs/PROTOCOL.md gives it. Clients branch on
 * the code; the message is for people. Unknown failures are answered with INTERNAL and logged.
 */
export const ERROR_CODES = {
  VALIDATION: "The payload does not match the command's schema; nothing was changed.",
  UNAUTHORIZED: "The connection has no valid credentials (bad token, password or ticket id).",
  FORBIDDEN: "The role of this connection may not send this command, or not for this window.",
  UNKNOWN_HALL: "No hall with this id.",
  UNKNOWN_SERVICE: "No service with this id in the hall.",
  UNKNOWN_WINDOW: "No window with this id in the hall.",
  UNKNOWN_TICKET: "No ticket with this id in the hall.",
  UNKNOWN_PRIORITY: "No priority class with this id in the hall.",
  NOT_QUALIFIED: "The window is not qualified for that service.",
  QUOTA_EXHAUSTED: "The service's daily quota (号源) is used up for today.",
  SERVICE_CLOSED: "The service is outside its opening hours.",
  WINDOW_NOT_OPEN: "The window is paused or closed; open or resume it first.",
  WINDOW_BUSY: "The window still has a called or serving ticket; finish, mark no-show, park or transfer it first.",
  WINDOW_IDLE: "The window has no called or serving ticket.",
  QUEUE_EMPTY: "No ticket is waiting for the services this window serves.",
  ILLEGAL_TRANSITION: "The ticket's state does not allow this action.",
  ALREADY_RATED: "This ticket has already been rated.",
  UNKNOWN_SUGGESTION: "No open balancer suggestion with this id.",
  IDEMPOTENCY_CONFLICT: "This commandId was already used for another command, caller or payload; send a new command with a fresh commandId.",
  STORE_UNAVAILABLE: "The hall's store did not answer in time; the command may still take effect. Retry with the same commandId until the answer is definite.",
  RATE_LIMITED: "Too many requests from this client or for this hall; wait for Retry-After seconds.",
  SESSION_ENDED: "The staff session ended (expired, signed out, or the account or its role was removed); sign in again.",
  SESSION_REPLACED: "Another sign-in took over this window or this staff member's session.",
  NOT_FOUND: "No such route.",
  SLOT_FULL: "The booking slot (or the day's booking quota) is fully booked; choose another slot.",
  BOOKING_CLOSED: "This slot cannot be booked now: not a slot of the service, not open yet, or too close to its start.",
  BOOKING_BLOCKED: "Booking is blocked for this phone after missed bookings (失约); the message says until when.",
  DUPLICATE_BOOKING: "This phone already holds a booking for this service on that day; cancel or move it instead.",
  UNKNOWN_BOOKING: "No booking with this code in the hall.",
  BOOKING_ENDED: "The booking is no longer live (cancelled, checked in, served or missed).",
  CHECK_IN_TOO_EARLY: "Check-in for this booking has not opened yet; the message says when it does.",
  CHECK_IN_TOO_LATE: "The booking's check-in time is over; take a ticket as a walk-in.",
  RECORDS_UNAVAILABLE: "This deployment keeps no records database, so it takes no bookings, keeps no cases and its hours are its config file's.",
  UNKNOWN_FOLLOW_UP: "No 差评 follow-up with this id in the hall.",
  FOLLOW_UP_CLOSED: "The follow-up is closed; nothing more can be recorded on it.",
  RATING_EXPIRED: "The ticket can no longer be rated: its business day is more than the hall's rating.lateDays ago.",
  NOT_RATEABLE: "Only a finished ticket can be rated.",
  UNKNOWN_DELIVERY: "No webhook delivery with this id in the hall.",
  DELIVERY_NOT_FAILED: "Only a failed webhook delivery can be resent; this one is pending or delivered.",
  UNKNOWN_CASE: "No case (工单) with this id or key in the hall.",
  CASE_CLOSED: "The case is closed; nothing more can be recorded on it.",
  NOT_ESCALATION: "A case is opened at an escalation window (办不成事) for the ticket at it; this window is not one, or holds no ticket.",
  INTERNAL: "The server failed to carry out the command; nothing was changed. Retry with the same commandId.",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface HallError {
  code: ErrorCode;
  message: string;
  /** Facts a page shows with the refusal, e.g. for SERVICE_CLOSED when the service opens and the notice to show. */
  details?: ErrorDetails;
}

export interface ErrorDetails {
  /** SERVICE_CLOSED: the next opening, ms, or null when none is scheduled within a year. */
  opensAt?: number | null;
  /** SERVICE_CLOSED: what a screen shows, e.g. 暂停取号，周六 09:00 开始办理. */
  notice?: { zh: string; en: string };
  /** BOOKING_BLOCKED: the last day the phone may not book ("YYYY-MM-DD", the hall's zone). */
  until?: string;
  /** CHECK_IN_TOO_EARLY: when check-in opens and when the slot starts, ms. */
  checkInFrom?: number;
  slotStart?: number;
}

/** A refusal the domain or a store raises on purpose; anything else is an internal failure. */
export class HallCallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code],
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = "HallCallError";
  }
  toJSON(): HallError {
    return details(this.details, { code: this.code, message: this.message });
  }
}

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === "string" && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);

const details = (d: ErrorDetails | undefined, e: HallError): HallError => (d ? { ...e, details: d } : e);
