/**
 * What a window may do in each state: the one table the domain refuses by and the counter app
 * enables its buttons by, so a button is never offered that the server would refuse for the
 * window's state (whether anyone waits is only known to the server: QUEUE_EMPTY).
 */
import type { ErrorCode } from "./errors.js";
import type { Ticket, Window } from "./schemas.js";

export type WindowCommand =
  | "window:callNext"
  | "window:callTicket"
  | "window:recall"
  | "ticket:start"
  | "ticket:finish"
  | "ticket:noShow"
  | "ticket:park"
  | "ticket:transfer"
  | "window:pause"
  | "window:resume"
  | "window:open"
  | "window:close";

interface Rule {
  /** The window states the command needs, and the refusal in any other. */
  window?: { in: Window["state"][]; refusal: ErrorCode; message?: string };
  /** The command needs no ticket at the window (else WINDOW_BUSY). */
  idle?: true;
  /** The ticket at the window must be in one of these states (WINDOW_IDLE when there is none). */
  ticket?: Ticket["state"][];
}

export const WINDOW_RULES: Record<WindowCommand, Rule> = {
  "window:callNext": { window: { in: ["open"], refusal: "WINDOW_NOT_OPEN" }, idle: true },
  "window:callTicket": { window: { in: ["open"], refusal: "WINDOW_NOT_OPEN" }, idle: true },
  "window:recall": { ticket: ["called"] },
  "ticket:start": { ticket: ["called"] },
  "ticket:finish": { ticket: ["called", "serving"] },
  "ticket:noShow": { ticket: ["called"] },
  "ticket:park": { ticket: ["called", "serving"] },
  "ticket:transfer": { ticket: ["called", "serving"] },
  "window:pause": { window: { in: ["open"], refusal: "WINDOW_NOT_OPEN" }, idle: true },
  "window:resume": { window: { in: ["paused"], refusal: "ILLEGAL_TRANSITION", message: "The window is not paused." } },
  "window:open": { window: { in: ["closed"], refusal: "ILLEGAL_TRANSITION", message: "The window is not closed (a paused window resumes)." } },
  "window:close": { window: { in: ["open", "paused"], refusal: "ILLEGAL_TRANSITION", message: "The window is already closed." }, idle: true },
};

export interface Refusal {
  code: ErrorCode;
  message?: string;
}

/** Why the window cannot take the command now, or null when its state allows it. */
export function windowRefusal(cmd: WindowCommand, w: Window, atWindow: Ticket | undefined): Refusal | null {
  const rule = WINDOW_RULES[cmd];
  if (rule.window && !rule.window.in.includes(w.state)) return { code: rule.window.refusal, message: rule.window.message };
  if (rule.idle && w.ticketId) return { code: "WINDOW_BUSY" };
  if (rule.ticket) {
    if (!atWindow) return { code: "WINDOW_IDLE" };
    if (!rule.ticket.includes(atWindow.state)) return { code: "ILLEGAL_TRANSITION", message: `Ticket ${atWindow.number} is ${atWindow.state}; this needs ${rule.ticket.join(" or ")}.` };
  }
  return null;
}
