/** Ids the stores make. A ticket id is what a citizen's tracker link holds: unguessable. */
import { randomBytes } from "node:crypto";
import type { CommandContext, StoreCommand } from "../domain/hall-commands.js";

export const newTicketId = (): string => randomBytes(16).toString("base64url");

/** The context a command is decided in, with a fresh ticket id when it issues one. */
export function withTicketId(cmd: StoreCommand, ctx: CommandContext): CommandContext {
  return (cmd.name === "ticket:issue" || cmd.name === "ticket:checkIn") && !ctx.newTicketId ? { ...ctx, newTicketId: newTicketId() } : ctx;
}
