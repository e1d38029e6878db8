/**
 * The webhook outbox over REST, for the hall's managers: the deliveries that failed (or are still
 * pending), and resending a failed one. Mounted inside the REST router, so the same limits,
 * no-store header, staff checks and JSON errors apply. The sender (webhook-sender.ts) picks a
 * resent delivery up within its next round.
 */
import type { Request, Router } from "express";
import { DeliveriesQuery, HallCallError, type DeliveriesResponse, type ResendResponse } from "../../protocol/index.js";
import type { Clock } from "../domain/clock.js";
import type { HallConfig } from "../domain/config.js";
import type { WebhookOutbox } from "../records/webhook-outbox.js";
import type { StaffSession } from "./auth.js";

export interface WebhookRoutes {
  outbox: WebhookOutbox;
  clock: Clock;
  hallOf(req: Request): HallConfig;
  /** The request's signed-in staff member of this hall (throws UNAUTHORIZED / SESSION_ENDED). */
  staffOf(req: Request, hall: HallConfig): Promise<StaffSession>;
  /** A delivery was resent: send it soon. */
  resent?: (hallId: string) => void;
}

export function mountWebhooks(r: Router, deps: WebhookRoutes): void {
  const base = "/api/halls/:hallId/webhooks/deliveries";
  const manager = async (req: Request): Promise<HallConfig> => {
    const hall = deps.hallOf(req);
    const session = await deps.staffOf(req, hall);
    if (!session.roles.includes("manager")) throw new HallCallError("FORBIDDEN", "The hall's webhook deliveries are for its managers.");
    return hall;
  };

  r.get(base, async (req, res) => {
    const hall = await manager(req);
    const q = DeliveriesQuery.parse(req.query);
    const answer: DeliveriesResponse = { deliveries: await deps.outbox.list(hall.id, q.state, q.limit) };
    res.json(answer);
  });

  r.post(`${base}/:id/resend`, async (req, res) => {
    const hall = await manager(req);
    const result = await deps.outbox.resend(hall.id, String(req.params.id).slice(0, 64), deps.clock.now());
    if (!result.ok && result.reason === "unknown") throw new HallCallError("UNKNOWN_DELIVERY");
    if (!result.ok) throw new HallCallError("DELIVERY_NOT_FAILED");
    deps.resent?.(hall.id);
    const answer: ResendResponse = { delivery: result.delivery };
    res.json(answer);
  });
}
