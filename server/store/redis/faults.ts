/**
 * What a failed Redis call means to a caller. A connection that closed, a client that is
 * reconnecting, a socket error or a Redis that is loading, busy or without its cluster is Redis
 * being away: the call may or may not have reached Redis, so the answer is STORE_UNAVAILABLE
 * ("retry with the same commandId"), never INTERNAL's "nothing was changed". A reply error that is
 * the caller's own (NOSCRIPT, which runScript answers by sending the script; a script's error)
 * stays what it is.
 */
import { ErrorReply } from "redis";
import { HallCallError } from "../../../protocol/index.js";

/** Replies of a Redis that cannot serve now but will (loading, a script running, failover, no quorum, full disk). */
const AWAY = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY|NOREPLICAS|MISCONF|OOM)\b/;

export function storeFault(err: unknown): unknown {
  if (err instanceof HallCallError) return err;
  if (err instanceof ErrorReply && !AWAY.test(err.message)) return err;
  const why = err instanceof Error ? err.message || err.name : String(err);
  return new HallCallError("STORE_UNAVAILABLE", `Redis did not answer (${why}); the command may still take effect. Retry with the same commandId.`);
}

/** `send`, with its failures told as storeFault tells them. */
export function faultAware<A extends unknown[]>(send: (...args: A) => Promise<unknown>): (...args: A) => Promise<unknown> {
  return (...args) => send(...args).catch((err: unknown) => Promise.reject(storeFault(err)));
}

/**
 * The options a store's own connection gets. No offline queue: while the client reconnects a
 * command fails at once instead of waiting to run whenever Redis returns (minutes later, with the
 * time it was decided at long past); the commandId makes retrying it safe.
 */
export const STORE_CLIENT_OPTIONS = { disableOfflineQueue: true } as const;
