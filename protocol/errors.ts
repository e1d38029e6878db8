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
  INTERNAL: "The server failed to carry out the command; nothing was changed. Retry with the same commandId.",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface HallError {
  code: ErrorCode;
  message: string;
}

/** A refusal the domain or a store raises on purpose; anything else is an internal failure. */
export class HallCallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code],
  ) {
    super(message);
    this.name = "HallCallError";
  }
  toJSON(): HallError {
    return { code: this.code, message: this.message };
  }
}

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === "string" && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
