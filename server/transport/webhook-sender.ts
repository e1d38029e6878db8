/**
 * The webhook sender: a worker of its own that posts each hall's outbox (records/webhook-outbox.ts)
 * to its endpoints. Commands never wait for it: deliveries are enqueued by the archive's append,
 * and this worker only reads and settles the outbox, each request cut off after `timeoutMs`, so a
 * slow or dead receiver delays nothing but its own later deliveries.
 *
 * Order: per endpoint one delivery at a time, the oldest pending first; a delivery that fails
 * holds its endpoint's later ones back (retried 5 s, 10 s, … up to every 10 min) until it is
 * delivered or, 24 h after its first attempt, failed. Endpoints do not wait for one another.
 *
 * One node sends each hall: the holder of the hall's webhook lock (`<hall>~webhooks` through the
 * same HallLock as the archiver's `<hall>~archive`, renewed before every delivery). A lock that
 * moves while a request is under way may have that delivery sent twice, with the same id: a
 * receiver drops repeats by X-HallCall-Delivery, as it must for a lost answer anyway.
 *
 *   const sender = new WebhookSender({ outbox: records.webhooks, halls, lock, clock });
 *   sender.start();   …   await sender.stop();
 */
import { createHmac } from "node:crypto";
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, type WebhookBody } from "../../protocol/index.js";
import type { HallLock } from "../balancer/lock.js";
import type { Clock } from "../domain/clock.js";
import type { HallConfig } from "../domain/config.js";
import { retryDelayMs, WEBHOOK_RETRY, type AttemptOutcome, type OutboxHead, type WebhookOutbox } from "../records/webhook-outbox.js";

export const webhookLockOf = (hallId: string): string => `${hallId}~webhooks`;

export const WEBHOOK_SENDER_DEFAULTS = {
  /** How often a hall's outbox is looked at, ms: new deliveries go out within this. */
  intervalMs: 1_000,
  /** One request's limit, ms: a receiver slower than this has failed the attempt. */
  timeoutMs: 5_000,
  /** The webhook lock's lease, ms: a dead node's halls are sent by another after this long. */
  lockTtlMs: 15_000,
  /** Deliveries per hall per round before the round yields to the next (the rest follow at once). */
  perRound: 200,
};

export interface WebhookSenderOptions extends Partial<typeof WEBHOOK_SENDER_DEFAULTS> {
  outbox: WebhookOutbox;
  /** Halls without webhooks are not followed. */
  halls: readonly HallConfig[];
  clock: Clock;
  /** Who sends a hall when several nodes share the records; without it, this process does. */
  lock?: HallLock;
  onError?: (hallId: string, err: unknown) => void;
}

/** The signature header's value for a body: what a receiver recomputes with the shared secret. */
export const signatureOf = (secret: string, body: string): string => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** The abort reason of a request cut off by stop(): it is not an attempt, the delivery stays as it was. */
const STOPPED = Symbol("stopped");

interface HallRounds {
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  again: boolean;
}

export class WebhookSender {
  private readonly o: typeof WEBHOOK_SENDER_DEFAULTS & WebhookSenderOptions;
  private readonly halls = new Map<string, HallRounds>();
  private readonly secrets = new Map<string, Map<string, string>>();
  private started = false;
  private stopping = false;
  /** Requests under way, aborted by stop() so that it does not wait out a hanging receiver. */
  private readonly inFlight = new Set<AbortController>();

  constructor(opts: WebhookSenderOptions) {
    this.o = { ...WEBHOOK_SENDER_DEFAULTS, ...opts };
    for (const h of opts.halls) {
      if (!h.webhooks.length) continue;
      this.halls.set(h.id, { timer: null, running: null, again: false });
      this.secrets.set(h.id, new Map(h.webhooks.map((w) => [w.url, w.secret])));
    }
  }

  /** The halls it follows (those with webhooks). */
  get hallIds(): string[] {
    return [...this.halls.keys()];
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    for (const hallId of this.halls.keys()) this.schedule(hallId, 0);
  }

  /** Stops the rounds; requests under way are cut off and stay pending, to be sent again. */
  async stop(): Promise<void> {
    this.started = false;
    this.stopping = true;
    for (const s of this.halls.values()) {
      if (s.timer) clearTimeout(s.timer);
      s.timer = null;
    }
    for (const c of this.inFlight) c.abort(STOPPED);
    await Promise.all([...this.halls.values()].map((s) => s.running));
  }

  /** Something was enqueued for the hall: look at its outbox now rather than at the next round. */
  notify(hallId: string): void {
    const s = this.halls.get(hallId);
    if (!s || !this.started) return;
    if (s.running) s.again = true;
    else this.schedule(hallId, 0);
  }

  /** One round for the hall now: every delivery due, each endpoint's in order. */
  round(hallId: string): Promise<void> {
    const s = this.halls.get(hallId);
    if (!s) return Promise.resolve();
    if (s.running) {
      s.again = true;
      return s.running;
    }
    const run = this.send(hallId).catch((err: unknown) => this.o.onError?.(hallId, err));
    s.running = run.finally(() => {
      s.running = null;
      if (!this.started) return;
      this.schedule(hallId, s.again ? 0 : this.o.intervalMs);
      s.again = false;
    });
    return s.running;
  }

  private schedule(hallId: string, ms: number): void {
    const s = this.halls.get(hallId)!;
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = null;
      void this.round(hallId);
    }, ms);
    s.timer.unref?.();
  }

  private async send(hallId: string): Promise<void> {
    let sent = 0;
    while (sent < this.o.perRound) {
      if (this.o.lock && !(await this.o.lock.tryAcquire(webhookLockOf(hallId), this.o.lockTtlMs))) return;
      const now = this.o.clock.now();
      const due = (await this.o.outbox.heads(hallId)).filter((h) => h.nextAt <= now);
      if (!due.length) return;
      // Each endpoint's head at once: a slow receiver holds back only its own deliveries.
      await Promise.all(due.map((h) => this.attempt(h)));
      sent += due.length;
      if (this.stopping) return;
    }
    this.halls.get(hallId)!.again = true;
  }

  private async attempt(head: OutboxHead): Promise<void> {
    const secret = this.secrets.get(head.hallId)?.get(head.url);
    const outcome = secret === undefined ? ({ delivered: false, status: null, error: "the endpoint is no longer in the hall's config" } as const) : await this.post(head, secret);
    if (outcome === STOPPED) return;
    const now = this.o.clock.now();
    const expiresAt = head.expiresAt ?? now + WEBHOOK_RETRY.forMs;
    const retryAt = outcome.delivered || secret === undefined || now >= expiresAt ? null : Math.min(now + retryDelayMs(head.attempts + 1), expiresAt);
    await this.o.outbox.settle(head, outcome, now, retryAt, expiresAt);
  }

  private async post(head: OutboxHead, secret: string): Promise<AttemptOutcome | typeof STOPPED> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${this.o.timeoutMs} ms`)), this.o.timeoutMs);
    try {
      const type = (JSON.parse(head.body) as WebhookBody).type;
      const res = await fetch(head.url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "HallCall-Webhook/1", [SIGNATURE_HEADER]: signatureOf(secret, head.body), [DELIVERY_HEADER]: head.id, [EVENT_HEADER]: type },
        body: head.body,
        redirect: "manual",
        signal: controller.signal,
      });
      // The answer's body is not read: drop it so the connection is freed.
      await res.body?.cancel().catch(() => undefined);
      return res.ok ? { delivered: true } : { delivered: false, status: res.status, error: `HTTP ${res.status}` };
    } catch (err) {
      if (controller.signal.reason === STOPPED) return STOPPED;
      return { delivered: false, status: null, error: describe(controller.signal.aborted ? controller.signal.reason : err) };
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
}
