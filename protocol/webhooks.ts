/**
 * Outbound webhooks: what a hall's receivers get (the delivery body and its headers) and the
 * console's REST shapes for the outbox (deliveries failed or still pending, resend). One file both
 * sides import, so that the server, the console and a receiver written in TypeScript agree.
 *
 * A delivery is `POST <url>` with the JSON body below, exactly as signed:
 *   X-HallCall-Signature: sha256=<hex of HMAC-SHA256(secret, raw body)>
 *   X-HallCall-Delivery:  <the body's id>   (a repeat carries the same id: drop it)
 *   X-HallCall-Event:     <the body's type>
 */
import { z } from "zod";

export const WEBHOOK_EVENTS = ["ticket.called", "ticket.finished", "rating.created", "case.updated", "followUp.updated"] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENTS);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

export const SIGNATURE_HEADER = "X-HallCall-Signature";
export const DELIVERY_HEADER = "X-HallCall-Delivery";
export const EVENT_HEADER = "X-HallCall-Event";

/**
 * What a ticket's webhook carries: the figures, never a name or a phone, and not the ticket's id
 * either (it is the tracker's credential).
 */
export const WebhookTicket = z.object({
  number: z.string(),
  businessDate: z.string(),
  serviceId: z.string(),
  priority: z.string(),
  channel: z.string(),
  windowId: z.string().nullable(),
  staffId: z.string().nullable(),
  issuedAt: z.number(),
  calledAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  /** ticket.called: the wait of this call, seconds; a recall repeats the first call's. */
  waitSec: z.number().nullable(),
  /** ticket.finished: the service of the step just finished, seconds. */
  serviceSec: z.number().nullable(),
  /**
   * 1 (非常不满意) to 5 (非常满意); null until rated. rating.created: the rating given, of what
   * `scope` says; other types: the ticket's own (of its one service, or a bundle's whole matter).
   */
  rating: z.number().int().nullable(),
  /**
   * rating.created: "service", a service event rated (serviceId, windowId and staffId are its; a
   * bundle's step `step`), or "whole", a 一件事 bundle's whole matter (整件事: windowId and
   * staffId null, serviceId its last step's). Null for the other types.
   */
  scope: z.enum(["service", "whole"]).nullable(),
  /** rating.created of a service: the bundle step rated, from 0 (0 for a ticket of one service); null for the whole matter and the other types. */
  step: z.number().int().nullable(),
  /** ticket.called: a recall of the same ticket (叫号 again), not a new call. */
  recall: z.boolean(),
});
export type WebhookTicket = z.infer<typeof WebhookTicket>;

/** The body of every delivery. `data` is a WebhookTicket for the ticket events; case.updated and followUp.updated carry their own. */
export const WebhookBody = z.object({
  /** The delivery id: the same on every retry and resend of this delivery, different for each endpoint. */
  id: z.string(),
  type: WebhookEventType,
  hallId: z.string(),
  /** When it happened (not when it was sent), epoch ms. */
  at: z.number(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookBody = z.infer<typeof WebhookBody>;

export const DeliveryState = z.enum(["pending", "delivered", "failed"]);
export type DeliveryState = z.infer<typeof DeliveryState>;

/** One delivery in the outbox, as the console lists it. */
export const WebhookDelivery = z.object({
  id: z.string(),
  hallId: z.string(),
  url: z.string(),
  type: WebhookEventType,
  state: DeliveryState,
  /** Attempts since it was enqueued or last resent. */
  attempts: z.number().int(),
  createdAt: z.number(),
  /** The next attempt (pending). */
  nextAt: z.number(),
  /** Retried until then, then failed: 24 h after the first attempt; null before it. */
  expiresAt: z.number().nullable(),
  deliveredAt: z.number().nullable(),
  /** The last failed attempt: the receiver's HTTP status, or null when it did not answer. */
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  body: WebhookBody,
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

/** GET /api/halls/:hallId/webhooks/deliveries?state=failed|pending&limit= (manager). */
export const DeliveriesQuery = z.strictObject({
  state: z.enum(["failed", "pending"]).default("failed"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type DeliveriesQuery = z.infer<typeof DeliveriesQuery>;

export interface DeliveriesResponse {
  /** Oldest first. */
  deliveries: WebhookDelivery[];
}

/** POST /api/halls/:hallId/webhooks/deliveries/:id/resend (manager): the delivery, pending again. */
export interface ResendResponse {
  delivery: WebhookDelivery;
}
