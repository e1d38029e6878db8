/**
 * The webhook outbox: every delivery of a hall's webhooks (protocol/webhooks.ts), kept in the
 * records from the transaction that made it until it is delivered or failed, so that a restart
 * loses none. The sender (transport/webhook-sender.ts) reads each endpoint's oldest pending
 * delivery and settles it here; nothing in a command's path writes or waits for this table.
 *
 * Where deliveries come from:
 * - ticket.called, ticket.finished (the final finish, not a bundle's step), rating.created: the
 *   hall's events as the archive appends them (records-store.ts appendPlan), in the same
 *   transaction. A delivery's id is made from (hall, epoch, seq, endpoint URL), so a batch
 *   appended again enqueues nothing twice.
 * - Anything else a records transaction decides (case.updated, followUp.updated): a step of its
 *   own plan, so the delivery is kept if and only if the change is:
 *
 *     const outbox = records.webhooks;
 *     yield* outbox.enqueueWebhook(hallId, "case.updated", { caseNo, state }, now, `case\n${id}\n${version}`);
 *
 *   `source` names what the delivery reports; the same source enqueues once. Left out, each call
 *   is a delivery of its own (right when the plan's transaction commits at most once anyway).
 *
 * Order: each delivery takes the hall's next `position`; an endpoint gets its deliveries in that
 * order, one after the other (a delivery waits for the earlier ones to be delivered or failed).
 */
import { createHash, randomUUID } from "node:crypto";
import { ratedPart, type HallEvent, type WebhookBody, type WebhookDelivery, type WebhookEventType, type WebhookTicket } from "../../protocol/index.js";
import type { WebhookConfig } from "../domain/config.js";
import { query, serialize, type Plan, type RecordsParts } from "./records-store.js";
import type { WebhookOutboxTable } from "./schema.js";
import { isTicketEvent, type TicketEvent } from "./ticket-row.js";

/** How a delivery is retried: the pause doubles from the first to the most, for 24 hours after the first attempt. */
export const WEBHOOK_RETRY = {
  firstMs: 5_000,
  maxMs: 10 * 60_000,
  forMs: 24 * 3600_000,
};

/** The pause after the `attempts`-th failed attempt. */
export const retryDelayMs = (attempts: number): number => Math.min(WEBHOOK_RETRY.maxMs, WEBHOOK_RETRY.firstMs * 2 ** Math.max(0, attempts - 1));

/** The same delivery always has the same id: a receiver drops a repeat by it. */
export const deliveryId = (hallId: string, source: string, url: string): string =>
  createHash("sha256").update(`${hallId}\n${source}\n${url}`).digest("hex").slice(0, 32);

const ticketData = (e: TicketEvent, extra: Partial<WebhookTicket>): WebhookTicket => ({
  number: e.ticket.number,
  businessDate: e.ticket.businessDate,
  serviceId: e.ticket.serviceId,
  priority: e.ticket.priority,
  channel: e.ticket.channel,
  windowId: e.ticket.windowId,
  staffId: e.ticket.staffId,
  issuedAt: e.ticket.issuedAt,
  calledAt: e.ticket.calledAt,
  endedAt: e.ticket.endedAt,
  waitSec: null,
  serviceSec: null,
  rating: e.ticket.rating,
  scope: null,
  step: null,
  recall: false,
  ...extra,
});

/** The webhook a hall event is, if any. */
export function webhookOfEvent(e: HallEvent): { type: WebhookEventType; data: WebhookTicket } | null {
  if (!isTicketEvent(e)) return null;
  switch (e.type) {
    case "ticket:called":
      return { type: "ticket.called", data: ticketData(e, { windowId: e.window.id, waitSec: e.waitSec, recall: e.recall }) };
    case "ticket:finished":
      // A bundle's step is finished with the ticket already waiting for its next service.
      if (e.ticket.state !== "finished") return null;
      return { type: "ticket.finished", data: ticketData(e, { serviceId: e.serviceId, windowId: e.window.id, serviceSec: e.serviceSec }) };
    case "ticket:rated": {
      // The service event rated (a bundle's step: its service, window and staff), or the whole matter.
      const part = ratedPart(e);
      return { type: "rating.created", data: ticketData(e, { scope: part.scope, step: part.step, rating: part.rating, ...(part.scope === "whole" ? { windowId: null, staffId: null } : { serviceId: part.serviceId!, windowId: part.windowId, staffId: part.staffId }) }) };
    }
    default:
      return null;
  }
}

/** A pending delivery as the sender needs it. */
export interface OutboxHead {
  id: string;
  hallId: string;
  url: string;
  /** Sent exactly as kept: the signature is of these bytes. */
  body: string;
  attempts: number;
  nextAt: number;
  expiresAt: number | null;
}

/** What became of one attempt. */
export type AttemptOutcome = { delivered: true } | { delivered: false; status: number | null; error: string };

export type ResendResult = { ok: true; delivery: WebhookDelivery } | { ok: false; reason: "unknown" | "notFailed" };

const toDelivery = (r: WebhookOutboxTable): WebhookDelivery => ({
  id: r.id,
  hallId: r.hall_id,
  url: r.url,
  type: r.type as WebhookEventType,
  state: r.state,
  attempts: Number(r.attempts),
  createdAt: Number(r.created_at),
  nextAt: Number(r.next_at),
  expiresAt: r.expires_at === null ? null : Number(r.expires_at),
  deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
  lastStatus: r.last_status === null ? null : Number(r.last_status),
  lastError: r.last_error,
  body: JSON.parse(r.body) as WebhookBody,
});

export class WebhookOutbox {
  private readonly endpoints = new Map<string, readonly WebhookConfig[]>();

  constructor(private readonly opts: RecordsParts) {}

  /** The hall's endpoints (its config's `webhooks`): deliveries are enqueued for these from now on. */
  configure(hallId: string, webhooks: readonly WebhookConfig[]): void {
    this.endpoints.set(hallId, webhooks);
  }

  endpointsOf(hallId: string): readonly WebhookConfig[] {
    return this.endpoints.get(hallId) ?? [];
  }

  /**
   * A plan step: one delivery of `type` to each of the hall's endpoints that takes it, kept with
   * the transaction it runs in. Returns how many were enqueued (0 for a source enqueued before).
   */
  *enqueueWebhook(hallId: string, type: WebhookEventType, data: Record<string, unknown>, at: number, source: string = randomUUID()): Plan<number> {
    return yield* this.enqueueMany(hallId, [{ type, data, at, source }]);
  }

  /** A plan step of the archive's append: the webhooks of the events it keeps (fresh ones only). */
  *enqueueEvents(hallId: string, events: readonly HallEvent[]): Plan<number> {
    const items = events.flatMap((e) => {
      const hook = webhookOfEvent(e);
      return hook ? [{ ...hook, data: hook.data as Record<string, unknown>, at: e.at, source: `event\n${e.epoch}\n${e.seq}` }] : [];
    });
    return yield* this.enqueueMany(hallId, items);
  }

  private *enqueueMany(hallId: string, items: readonly { type: WebhookEventType; data: Record<string, unknown>; at: number; source: string }[]): Plan<number> {
    const endpoints = this.endpointsOf(hallId);
    const rows: WebhookOutboxTable[] = [];
    for (const item of items) {
      for (const w of endpoints) {
        if (!w.events.includes(item.type)) continue;
        const id = deliveryId(hallId, item.source, w.url);
        const body: WebhookBody = { id, type: item.type, hallId, at: item.at, data: item.data };
        rows.push({ id, hall_id: hallId, url: w.url, position: 0, type: item.type, body: JSON.stringify(body), state: "pending", attempts: 0, created_at: item.at, next_at: item.at, expires_at: null, delivered_at: null, last_status: null, last_error: null, updated_at: item.at });
      }
    }
    if (!rows.length) return 0;
    const { db: q, kind } = this.opts;
    // Positions are taken one transaction at a time, so two never share one.
    yield* serialize(q, kind, `webhooks\n${hallId}`);
    const [last] = yield* query(q.selectFrom("records_webhook_outbox").select((eb) => eb.fn.max("position").as("position")).where("hall_id", "=", hallId));
    let position = Number(last?.position ?? 0);
    for (const r of rows) r.position = ++position;
    let inserted = 0;
    // Well under both databases' bound parameters per statement (15 columns a row).
    for (let i = 0; i < rows.length; i += 200) {
      const kept = yield* query(
        q
          .insertInto("records_webhook_outbox")
          .values(rows.slice(i, i + 200))
          .onConflict((oc) => oc.column("id").doNothing())
          .returning("id"),
      );
      inserted += kept.length;
    }
    return inserted;
  }

  /** Each endpoint's oldest pending delivery of the hall: the only one it may be sent now. */
  async heads(hallId: string): Promise<OutboxHead[]> {
    await this.opts.ready();
    const rows = await this.opts.db
      .selectFrom("records_webhook_outbox as o")
      .select(["o.id", "o.hall_id", "o.url", "o.body", "o.attempts", "o.next_at", "o.expires_at"])
      .where("o.hall_id", "=", hallId)
      .where("o.state", "=", "pending")
      .where((eb) =>
        eb(
          "o.position",
          "=",
          eb
            .selectFrom("records_webhook_outbox as e")
            .select((e) => e.fn.min("e.position").as("first"))
            .where("e.hall_id", "=", hallId)
            .where("e.state", "=", "pending")
            .whereRef("e.url", "=", "o.url"),
        ),
      )
      .execute();
    return rows.map((r) => ({ id: r.id, hallId: r.hall_id, url: r.url, body: r.body, attempts: Number(r.attempts), nextAt: Number(r.next_at), expiresAt: r.expires_at === null ? null : Number(r.expires_at) }));
  }

  /**
   * Settles an attempt of a pending delivery: delivered, retried at `retryAt`, or (retryAt null)
   * failed. A delivery no longer pending (resent or settled by another node meanwhile) is left.
   */
  async settle(head: OutboxHead, outcome: AttemptOutcome, now: number, retryAt: number | null, expiresAt: number | null): Promise<void> {
    await this.opts.ready();
    const update = this.opts.db.updateTable("records_webhook_outbox").where("id", "=", head.id).where("state", "=", "pending").where("attempts", "=", head.attempts);
    if (outcome.delivered) {
      await update.set({ state: "delivered", attempts: head.attempts + 1, delivered_at: now, updated_at: now }).execute();
      return;
    }
    const failed = { attempts: head.attempts + 1, last_status: outcome.status, last_error: outcome.error.slice(0, 500), expires_at: expiresAt, updated_at: now };
    await update.set(retryAt === null ? { ...failed, state: "failed" } : { ...failed, next_at: retryAt }).execute();
  }

  /** The hall's deliveries in a state, oldest first. */
  async list(hallId: string, state: WebhookDelivery["state"], limit = 100): Promise<WebhookDelivery[]> {
    await this.opts.ready();
    const rows = await this.opts.db.selectFrom("records_webhook_outbox").selectAll().where("hall_id", "=", hallId).where("state", "=", state).orderBy("position").limit(limit).execute();
    return rows.map(toDelivery);
  }

  async get(hallId: string, id: string): Promise<WebhookDelivery | null> {
    await this.opts.ready();
    const row = await this.opts.db.selectFrom("records_webhook_outbox").selectAll().where("hall_id", "=", hallId).where("id", "=", id).executeTakeFirst();
    return row ? toDelivery(row) : null;
  }

  /**
   * A failed delivery pending again, at once, with 24 hours of retries of its own. It keeps its id
   * (a receiver that did get it drops it) and its place: it goes before its endpoint's later ones.
   */
  async resend(hallId: string, id: string, now: number): Promise<ResendResult> {
    await this.opts.ready();
    const done = await this.opts.db
      .updateTable("records_webhook_outbox")
      .set({ state: "pending", attempts: 0, next_at: now, expires_at: null, updated_at: now })
      .where("hall_id", "=", hallId)
      .where("id", "=", id)
      .where("state", "=", "failed")
      .executeTakeFirst();
    const delivery = await this.get(hallId, id);
    if (!delivery) return { ok: false, reason: "unknown" };
    return Number(done.numUpdatedRows) ? { ok: true, delivery } : { ok: false, reason: "notFailed" };
  }
}
