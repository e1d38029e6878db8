/**
 * The store contract. The domain decides each transition on the store's replica of the hall
 * (replica.ts); the store commits the decided events atomically with the hall's next sequence
 * numbers, appends them to the hall's event log and remembers the result of every commandId, so
 * that a repeated command returns the first result instead of acting twice.
 * Implementations: sqlite/ (the embedded default), memory/ (simulator and unit tests) and redis/.
 * test/store.contract.ts holds each to it.
 */
import type { HallEvent, HallSnapshot, Ticket } from "../../protocol/index.js";
import type { HallConfig } from "../domain/config.js";
import type { CommandContext, StoreCommand } from "../domain/hall-commands.js";

/** What a command did. */
export interface Executed {
  /** The command's own event (for a repeat, the first run's). */
  event: HallEvent;
  /** The commandId had run before: nothing was committed now, and nothing is to be broadcast. */
  replayed: boolean;
  /** Every event committed by this call, oldest first: a new day's start when due, `event`, and what
   * else the command caused (an approved suggestion's window:changed); [] for a repeat. */
  committed: HallEvent[];
}

export interface HallStore {
  readonly kind: "memory" | "sqlite" | "redis";
  /**
   * Make the hall known to the store. A new hall starts with its configured windows (closed) and
   * balancer mode; an existing one keeps its live state and takes the config's services, labels
   * and qualifications.
   */
  loadHall(config: HallConfig, now: number): Promise<void>;
  /** Decide and commit one command; rejects with the domain's HallCallError when refused. */
  execute(hallId: string, cmd: StoreCommand, ctx: CommandContext): Promise<Executed>;
  /** The hall's whole live state as last committed. Read-only: a new day starts only by a command. */
  snapshot(hallId: string): Promise<HallSnapshot>;
  /** A ticket by its unguessable id: a live one, or one that ended in the current business day. */
  ticket(hallId: string, ticketId: string): Promise<Ticket | null>;
  /** Logged events with seq > afterSeq, oldest first, at most `limit`. */
  eventsSince(hallId: string, afterSeq: number, limit?: number): Promise<HallEvent[]>;
  close(): Promise<void>;
}

/** How long a commandId's result is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** Events kept in a hall's log (older ones are trimmed). */
export const EVENT_LOG_MAX = 10_000;
