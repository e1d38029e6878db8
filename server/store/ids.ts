/** Ids the stores make. A ticket id is what a citizen's tracker link holds: unguessable. */
import { randomBytes } from "node:crypto";

export const newTicketId = (): string => randomBytes(16).toString("base64url");
