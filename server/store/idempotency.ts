/**
 * The idempotency record every store keeps per commandId: what the id was first used for (the
 * command's name, who sent it and a hash of its payload) and the event that answered it. A repeat
 * is answered from it only when it is the same command from the same caller with the same payload;
 * anything else reusing the id is refused with IDEMPOTENCY_CONFLICT, so that a cancel carrying a
 * call-next's id cannot "succeed" by cancelling nothing.
 *
 * What a repeat may differ in: the time it is sent, the ticket id the store would make for it and
 * the expected wait printed on it (ctx.now, newTicketId, issueEtaSec), which are the store's and
 * the clock's, not the caller's.
 */
import { createHash } from "node:crypto";
import { HallCallError, HallEvent } from "../../protocol/index.js";
import type { Actor, CommandContext, StoreCommand } from "../domain/hall-commands.js";

export interface CommandRecord {
  command: string;
  by: Actor;
  staffId: string | null;
  /** sha256 (base64url) of the canonical payload without its commandId. */
  payload: string;
}

/** A stored result: the record, and the first run's event. */
export interface StoredResult {
  /** null for a result written before records were kept (such a repeat is answered as before). */
  record: CommandRecord | null;
  event: HallEvent;
}

/**
 * JSON with object keys sorted and undefined members left out, so that the same payload always
 * hashes the same whatever order its fields were written in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const entries = Object.keys(value)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(",")}}`;
}

export function recordOf(cmd: StoreCommand, ctx: Pick<CommandContext, "by" | "staffId">): CommandRecord {
  const { commandId: _id, ...rest } = cmd.payload as Record<string, unknown> & { commandId?: string };
  return { command: cmd.name, by: ctx.by, staffId: ctx.staffId ?? null, payload: createHash("sha256").update(canonicalJson(rest)).digest("base64url") };
}

export const sameCommand = (a: CommandRecord, b: CommandRecord): boolean => a.command === b.command && a.by === b.by && a.staffId === b.staffId && a.payload === b.payload;

/** The refusal of a reused commandId; names what it was used for, never who (a staffId stays out). */
export function idempotencyConflict(commandId: string, prior: CommandRecord, now: CommandRecord): HallCallError {
  const what = prior.command !== now.command ? `for ${prior.command}` : prior.by !== now.by || prior.staffId !== now.staffId ? "by another caller" : "with another payload";
  return new HallCallError("IDEMPOTENCY_CONFLICT", `commandId "${commandId}" was already used ${what}; nothing was changed. Send this command with a fresh commandId.`);
}

/**
 * The answer to a command whose commandId has a result: the first event when it is the same
 * command, else the conflict (thrown).
 */
export function replayOf(commandId: string, stored: StoredResult, now: CommandRecord): HallEvent {
  if (stored.record && !sameCommand(stored.record, now)) throw idempotencyConflict(commandId, stored.record, now);
  return stored.event;
}

/** The stored form (Redis keeps this string); the event's JSON is embedded as it was committed. */
export const resultJson = (record: CommandRecord, eventJson: string): string => `{"record":${JSON.stringify(record)},"event":${eventJson}}`;

export function parseResult(json: string): StoredResult {
  const raw = JSON.parse(json) as { record?: CommandRecord; event?: unknown; type?: unknown };
  // Results written before records were kept hold the bare event; they expire within IDEMPOTENCY_TTL_MS.
  if (raw.type !== undefined) return { record: null, event: HallEvent.parse(raw) };
  return { record: raw.record ?? null, event: HallEvent.parse(raw.event) };
}
