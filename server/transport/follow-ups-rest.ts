/**
 * 差评回访整改 over REST, for the hall's managers: the follow-ups with their steps, and each step
 * recorded; and the citizen's late rating from the tracker link, public because the ticket's
 * unguessable id is the credential. Mounted inside the REST router (the same limits, no-store and
 * JSON errors). The rules are the domain's (follow-up.ts, late-rating.ts); these validate and route.
 *
 * A late rating goes where the ticket is: while the hall still holds it (ended today), through
 * the hall's own `ticket:rate` (a bundle's whole matter: `ticket:rateWhole`), so that the pad and
 * the tracker race on one state and the second is refused ALREADY_RATED; the archive then keeps
 * the rating and opens its follow-up. Once the hall has let it go, into the records, decided on
 * the ticket's row.
 */
import { randomBytes } from "node:crypto";
import type { Request, Router } from "express";
import { FollowUpsQuery, FollowUpStepInput, HallCallError, LateRatingInput, type FollowUp, type FollowUpList, type LateRatingResult } from "../../protocol/index.js";
import { businessDate } from "../domain/clock.js";
import type { HallConfig } from "../domain/config.js";
import { isOverdue } from "../domain/follow-up.js";
import { decideLateRating } from "../domain/late-rating.js";
import type { FollowUpRecord } from "../records/follow-ups.js";
import type { RecordsStore } from "../records/records-store.js";
import type { StaffSession } from "./auth.js";
import type { HallContext } from "./context.js";

export interface FollowUpRoutes {
  ctx: HallContext;
  /** Without records, only the late rating of a ticket the hall still holds is taken. */
  records: RecordsStore | null;
  hallOf(req: Request): HallConfig;
  staffOf(req: Request, hall: HallConfig): Promise<StaffSession>;
}

/** A follow-up as the console shows it: the names from the config in force, and whether it is overdue today. */
export function followUpView(hall: HallConfig, r: FollowUpRecord, today: string): FollowUp {
  return {
    id: r.id,
    hallId: r.hallId,
    ticketId: r.ticketId,
    businessDate: r.businessDate,
    number: r.number,
    serviceId: r.serviceId,
    service: hall.services.find((s) => s.id === r.serviceId)?.name ?? null,
    windowId: r.windowId,
    window: hall.windows.find((w) => w.id === r.windowId)?.label ?? null,
    staffId: r.staffId,
    rating: r.rating,
    scope: r.scope,
    step: r.step,
    source: r.source,
    state: r.state,
    openedAt: r.openedAt,
    dueDate: r.dueDate,
    overdue: isOverdue(r, today),
    reached: r.reached,
    rectified: r.rectified,
    appealed: r.appealed,
    closedAt: r.closedAt,
    steps: r.steps,
  };
}

export function mountFollowUps(r: Router, deps: FollowUpRoutes): void {
  const { ctx } = deps;
  const today = (hall: HallConfig) => businessDate(ctx.clock.now(), hall.timezone);

  if (deps.records) {
    const records = deps.records;
    const manager = async (req: Request) => {
      const hall = deps.hallOf(req);
      const session = await deps.staffOf(req, hall);
      if (!session.roles.includes("manager")) throw new HallCallError("FORBIDDEN", "差评 follow-ups are for the hall's managers.");
      return { hall, session };
    };

    r.get("/api/halls/:hallId/follow-ups", async (req, res) => {
      const { hall } = await manager(req);
      const { state } = FollowUpsQuery.parse(req.query);
      const day = today(hall);
      const list: FollowUpList = { today: day, followUps: (await records.followUps.list(hall.id, state)).map((f) => followUpView(hall, f, day)) };
      res.json(list);
    });

    r.get("/api/halls/:hallId/follow-ups/:id", async (req, res) => {
      const { hall } = await manager(req);
      const found = await records.followUps.get(hall.id, String(req.params.id).slice(0, 64));
      if (!found) throw new HallCallError("UNKNOWN_FOLLOW_UP", `No follow-up "${req.params.id}" in this hall.`);
      res.json(followUpView(hall, found, today(hall)));
    });

    /** One step: the callback, the rectification, an appeal, or the close. */
    r.post("/api/halls/:hallId/follow-ups/:id/steps", async (req, res) => {
      const { hall, session } = await manager(req);
      const step = FollowUpStepInput.parse(req.body);
      const day = today(hall);
      const updated = await records.followUps.record(hall.id, String(req.params.id).slice(0, 64), step, { by: session.staffId, now: ctx.clock.now(), today: day });
      res.json(followUpView(hall, updated, day));
    });
  }

  /** Public by design, like the ticket lookup: the ticket's unguessable id is the credential. */
  r.post("/api/halls/:hallId/tickets/:ticketId/rating", async (req, res) => {
    const hall = deps.hallOf(req);
    const { rating } = LateRatingInput.parse(req.body);
    const ticketId = String(req.params.ticketId).slice(0, 64);
    const day = today(hall);
    const held = await ctx.store.ticket(hall.id, ticketId);
    let result: LateRatingResult;
    if (held) {
      const scope = decideLateRating({ state: held.state, businessDate: held.businessDate, rating: held.rating, steps: Math.max(1, held.bundle.length) }, day, hall.rating);
      // A fresh commandId: a second rating is the domain's ALREADY_RATED, never a replay of the first.
      const commandId = `late-rating-${randomBytes(9).toString("base64url")}`;
      await ctx.run(
        hall.id,
        scope === "whole" ? { name: "ticket:rateWhole", payload: { commandId, ticketId, rating } } : { name: "ticket:rate", payload: { commandId, windowId: held.windowId!, ticketId, rating } },
        "citizen",
        null,
      );
      result = { ticketId, rating, scope, followUpId: null };
    } else {
      if (!deps.records) throw new HallCallError("UNKNOWN_TICKET", "No such ticket today.");
      const { scope, followUpId } = await deps.records.followUps.rateLate(hall.id, ticketId, rating, { now: ctx.clock.now(), today: day, rules: hall.rating });
      result = { ticketId, rating, scope, followUpId };
    }
    res.status(201).json(result);
  });
}
