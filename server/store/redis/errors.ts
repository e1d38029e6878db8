/**
 * The one place where the scripts' negative return codes become HallCallError codes. The Lua side
 * names the same numbers in scripts/includes/prelude.lua (table E).
 */
import { HallCallError, type ErrorCode } from "../../../protocol/index.js";

export const SCRIPT_ERRORS: Record<number, ErrorCode> = {
  [-1]: "UNKNOWN_HALL",
  [-2]: "UNKNOWN_SERVICE",
  [-3]: "UNKNOWN_WINDOW",
  [-4]: "UNKNOWN_TICKET",
  [-5]: "UNKNOWN_PRIORITY",
  [-6]: "NOT_QUALIFIED",
  [-7]: "QUOTA_EXHAUSTED",
  [-8]: "SERVICE_CLOSED",
  [-9]: "WINDOW_NOT_OPEN",
  [-10]: "WINDOW_BUSY",
  [-11]: "WINDOW_IDLE",
  [-12]: "QUEUE_EMPTY",
  [-13]: "ILLEGAL_TRANSITION",
  [-14]: "ALREADY_RATED",
  [-15]: "UNKNOWN_SUGGESTION",
  [-16]: "VALIDATION",
};

/** Not an error a client sees: the hall's stored business day is behind `now`; roll it and retry. */
export const DAY_STALE = -100;

export function scriptError(code: number, message: string): HallCallError {
  const known = SCRIPT_ERRORS[code];
  if (!known) return new HallCallError("INTERNAL", `Redis script returned unknown code ${code}: ${message}`);
  return new HallCallError(known, message);
}
