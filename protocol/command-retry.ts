/**
 * The retry rule for clients. A mutating command whose answer is not definite — no answer in
 * time, no connection, or STORE_UNAVAILABLE, INTERNAL or RATE_LIMITED — may still take effect, so
 * it is sent again with the SAME commandId until a definite answer arrives: ok, or any other error
 * code. The server answers a repeated commandId with the first result, so however many attempts it
 * takes the command acts once (a kiosk prints one ticket, a finish that did happen is not answered
 * WINDOW_IDLE). A new commandId is a new command: it is never made here for a retry.
 *
 * Pure but for the waiting: the caller passes how to emit (a page's socket, a test's or the load
 * test's plain socket.io-client socket) and, if it likes, how to wait (a page wakes on reconnect,
 * a test uses a virtual clock).
 */
import type { Ack } from "./commands.js";
import { ERROR_CODES, type ErrorCode, type HallError } from "./errors.js";

/** Errors after which the command may or may not have taken effect: retry with the same commandId. */
export const UNCERTAIN_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["STORE_UNAVAILABLE", "INTERNAL", "RATE_LIMITED"]);

/** Errors that settle a command: it did not act, and sending it again would not change that. */
export const DEFINITE_CODES: readonly ErrorCode[] = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => !UNCERTAIN_CODES.has(c));

/** Whether an answer settles the command (ok, or an error in DEFINITE_CODES). */
export const isDefinite = (ack: Ack<unknown>): boolean => ack.ok || !UNCERTAIN_CODES.has(ack.error.code);

/**
 * Sends one attempt and resolves with the server's ack. Rejects when there is no answer: not
 * connected, disconnected while waiting, or no ack within `timeoutMs`.
 */
export type Emit = (name: string, payload: Record<string, unknown>, timeoutMs: number) => Promise<Ack<unknown>>;

/** Why an attempt did not settle the command. */
export type Unsettled = { kind: "noAnswer"; message: string } | { kind: "error"; error: HallError };

export interface RetryOptions {
  /** How long one attempt waits for its ack, ms. The server answers within its store deadline (2 s) when it is reachable. */
  attemptTimeoutMs?: number;
  /** Wait before the first retry, ms; it doubles after each attempt up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** How to wait between attempts (default: a timer). It may resolve early, e.g. when the socket reconnects. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Stops retrying (the page signed out or closed): the promise rejects with CommandAbandoned. */
  signal?: AbortSignal;
  /** Told before each wait: which attempt just failed, why, and how long until the next. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: Unsettled }) => void;
}

export const RETRY_DEFAULTS = {
  attemptTimeoutMs: 5_000,
  firstDelayMs: 500,
  maxDelayMs: 5_000,
} as const;

/** The caller stopped retrying before a definite answer: the command may or may not have acted. */
export class CommandAbandoned extends Error {
  constructor(
    readonly commandId: string,
    readonly last: Unsettled | null,
  ) {
    super(`Stopped retrying command ${commandId} before a definite answer; it may have taken effect.`);
    this.name = "CommandAbandoned";
  }
}

let made = 0;
/** A fresh commandId: time, a counter and random text (8–80 characters, as the protocol asks). */
export const newCommandId = (): string => `${Date.now().toString(36)}-${(++made).toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** How long RATE_LIMITED asks the client to wait, if the error says (`retryAfterSec` or `retryAfterMs`). */
export function retryAfterMs(error: HallError): number | null {
  const e = error as HallError & { retryAfterSec?: unknown; retryAfterMs?: unknown };
  if (typeof e.retryAfterMs === "number" && e.retryAfterMs >= 0) return e.retryAfterMs;
  if (typeof e.retryAfterSec === "number" && e.retryAfterSec >= 0) return e.retryAfterSec * 1000;
  return null;
}

const timerSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

/**
 * Sends a mutating command until its answer is definite, every attempt with the same commandId
 * (the payload's, or one made once here). Resolves with that definite answer; rejects only with
 * CommandAbandoned when `signal` aborts first.
 */
export async function sendCommand<T = unknown>(emit: Emit, name: string, payload: Record<string, unknown>, opts: RetryOptions = {}): Promise<Ack<T>> {
  const body = { ...payload, commandId: typeof payload.commandId === "string" ? payload.commandId : newCommandId() };
  const commandId = body.commandId;
  const attemptTimeoutMs = opts.attemptTimeoutMs ?? RETRY_DEFAULTS.attemptTimeoutMs;
  const maxDelayMs = opts.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs;
  const sleep = opts.sleep ?? timerSleep;
  let delayMs = opts.firstDelayMs ?? RETRY_DEFAULTS.firstDelayMs;
  let last: Unsettled | null = null;
  for (let attempt = 1; ; attempt++) {
    if (opts.signal?.aborted) throw new CommandAbandoned(commandId, last);
    let wait = delayMs;
    try {
      const ack = await emit(name, body, attemptTimeoutMs);
      if (isDefinite(ack)) return ack as Ack<T>;
      if (!ack.ok) {
        last = { kind: "error", error: ack.error };
        const asked = ack.error.code === "RATE_LIMITED" ? retryAfterMs(ack.error) : null;
        if (asked !== null) wait = Math.max(wait, asked);
      }
    } catch (err) {
      last = { kind: "noAnswer", message: err instanceof Error ? err.message : String(err) };
    }
    if (opts.signal?.aborted) throw new CommandAbandoned(commandId, last);
    opts.onRetry?.({ attempt, delayMs: wait, reason: last! });
    await sleep(wait, opts.signal);
    delayMs = Math.min(maxDelayMs, delayMs * 2);
  }
}
