/**
 * Every call a transport makes to the store gets a deadline. A store that cannot reach its
 * database (Redis restarting, paused, partitioned) would otherwise leave acks and health checks
 * hanging for as long as its client keeps retrying; past the deadline the caller is told
 * STORE_UNAVAILABLE instead. The call itself is not cancelled: a command may still commit later,
 * which is why clients retry with the same commandId and learn its fate from the idempotency record.
 */
import { HallCallError } from "../../protocol/index.js";
import type { HallStore } from "./types.js";

export const DEFAULT_STORE_DEADLINE_MS = 2_000;

/** `promise`, or STORE_UNAVAILABLE once `ms` pass first. */
export function withinDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HallCallError("STORE_UNAVAILABLE", `The store did not answer ${what} within ${ms} ms; retry with the same commandId.`)), ms);
  });
  // A call that loses the race may still fail later; that failure has no one left to tell.
  promise.catch(() => {});
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * The same store, each read answered (or refused with STORE_UNAVAILABLE) within `ms`. Commands
 * get theirs in HallContext.run, which must still broadcast what a late commit committed.
 */
export function storeWithDeadline(store: HallStore, ms: number): HallStore {
  return {
    kind: store.kind,
    loadHall: (config, now) => store.loadHall(config, now),
    execute: (hallId, cmd, ctx) => store.execute(hallId, cmd, ctx),
    snapshot: (hallId) => withinDeadline(store.snapshot(hallId), ms, "a snapshot"),
    ticket: (hallId, ticketId) => withinDeadline(store.ticket(hallId, ticketId), ms, "a ticket read"),
    eventsSince: (hallId, afterSeq, limit) => withinDeadline(store.eventsSince(hallId, afterSeq, limit), ms, "a log read"),
    close: () => store.close(),
  };
}
