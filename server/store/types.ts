/**
 * The store contract. A store makes each transition atomic, stamps the event with the hall's next
 * sequence number, appends it to the hall's event log and remembers the result of every commandId
 * so that a repeated command returns the first result instead of acting twice.
 * Implementations: memory/ (embedded default) and redis/. test/store.contract.ts holds both to it.
 */
import type { HallEvent, HallSnapshot, Ticket } from "../../protocol/index.js";
import type { HallConfig } from "../domain/config.js";
import type { CommandContext, StoreCommand } from "../domain/commands.js";

export interface HallStore {
  readonly kind: "memory" | "redis";
  /**
   * Make the hall known to the store. A new hall starts with its configured windows (closed) and
   * balancer mode; an existing one keeps its live state and takes the config's services, labels
   * and qualifications.
   */
  loadHall(config: HallConfig, now: number): Promise<void>;
  /** Run one command atomically; resolves with its event or rejects with a HallCallError. */
  execute(hallId: string, cmd: StoreCommand, ctx: CommandContext): Promise<HallEvent>;
  /** The hall's whole live state; starts a new business day first if `now` is past it. */
  snapshot(hallId: string, now: number): Promise<HallSnapshot>;
  /** A ticket of the current business day by its unguessable id. */
  ticket(hallId: string, ticketId: string): Promise<Ticket | null>;
  /** Logged events with seq > afterSeq, oldest first, at most `limit`. */
  eventsSince(hallId: string, afterSeq: number, limit?: number): Promise<HallEvent[]>;
  close(): Promise<void>;
}

/** How long a commandId's result is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** Events kept in a hall's log (older ones are trimmed). */
export const EVENT_LOG_MAX = 10_000;
