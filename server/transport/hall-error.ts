/** Turns anything thrown while handling a command into an error a client can act on. */
import { ZodError } from "zod";
import { HallCallError, type HallError } from "../../protocol/index.js";
import type { Logger } from "../log.js";

export function toHallError(err: unknown, log: Logger, context: string): HallError {
  if (err instanceof HallCallError) return err.toJSON();
  if (err instanceof ZodError) {
    const detail = err.issues.map((i) => `${i.path.join(".") || "payload"}: ${i.message}`).join("; ");
    return { code: "VALIDATION", message: `Invalid payload: ${detail}` };
  }
  log.error(`${context} failed`, err);
  return new HallCallError("INTERNAL").toJSON();
}
