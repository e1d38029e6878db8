/**
 * 差评回访整改 in the records (SQLite or PostgreSQL): the follow-ups that 不满意 and 非常不满意
 * ratings open, every step with who and when, and the late ratings given from the tracker once
 * the hall no longer holds the ticket. The domain decides (domain/follow-up.ts, late-rating.ts);
 * each change here is one plan that reads what the decision needs, asks it and commits what it
 * answered, with its webhook (webhook-outbox.ts) in the same transaction.
 *
 *   records.followUps.useTerms((hallId) => termsOf(halls.get(hallId)!));   // the deadline's terms
 *   yield* records.followUps.openFromEvents(hallId, fresh);                  // a step of the archive's append
 *   await records.followUps.record(hallId, id, { kind: "callback", reached: true, note: "…" }, { by: "boss", now, today });
 *   await records.followUps.rateLate(hallId, ticketId, 1, { now, today, rules: hall.rating });
 *
 * A rating opens one follow-up: the table is unique on (hall, ticket, what was rated: a step or
 * the whole matter), so an event archived again (a repeated batch, a store that rebased) opens
 * nothing twice, and two 差评 of one bundle's steps open one each.
 */
import { randomBytes } from "node:crypto";
import type { FollowUpIndicators, FollowUpState, FollowUpStep, FollowUpStepInput, HallEvent, RatingScope, WebhookTicket } from "../../protocol/index.js";
import { HallCallError, ratedPart } from "../../protocol/index.js";
import type { HallCalendar } from "../domain/calendar.js";
import { closedLate, decideStep, dueDateOf, isOverdue, OPENED, opensFollowUp, workingDaysBetween, type FollowUpFacts, type FollowUpTerms } from "../domain/follow-up.js";
import { decideLateRating } from "../domain/late-rating.js";
import type { HallConfig } from "../domain/config.js";
import { query, serialize, type Plan, type RecordsParts } from "./records-store.js";
import type { FollowUpsTable, FollowUpStepsTable, TicketsTable } from "./schema.js";
import type { WebhookOutbox } from "./webhook-outbox.js";
import { insertRatings, ratingRow } from "./ratings.js";

/** A follow-up as the records keep it; the routes add the names from the config and whether it is overdue. */
export interface FollowUpRecord {
  id: string;
  hallId: string;
  ticketId: string;
  businessDate: string;
  number: string;
  serviceId: string;
  windowId: string | null;
  staffId: string | null;
  rating: number;
  /** What was rated: a service (a bundle's step `step`) or a bundle's whole matter (step null). */
  scope: RatingScope;
  step: number | null;
  source: "pad" | "tracker";
  state: FollowUpState;
  openedAt: number;
  dueDate: string;
  reached: boolean;
  rectified: boolean;
  appealed: boolean;
  closedAt: number | null;
  closedDate: string | null;
  steps: FollowUpStep[];
}

/** Who records a step, when, and the hall's business date then. */
export interface StepContext {
  by: string;
  now: number;
  today: string;
}

export interface LateRatingContext {
  now: number;
  today: string;
  rules: HallConfig["rating"];
}

export interface FollowUpStore {
  /** Where a hall's deadline terms come from (the config in force); a hall it does not know gets DEFAULT_TERMS. */
  useTerms(termsOf: (hallId: string) => FollowUpTerms | undefined): void;
  /** A plan step of the archive's append: the follow-ups the fresh `ticket:rated` events open. */
  openFromEvents(hallId: string, events: readonly HallEvent[]): Plan<number>;
  /** The hall's follow-ups in that state ("open": not closed), oldest first, each with its steps; at most `limit`, the newest. */
  list(hallId: string, state: "open" | "closed" | "all", limit?: number): Promise<FollowUpRecord[]>;
  get(hallId: string, id: string): Promise<FollowUpRecord | null>;
  /** One more step, as decideStep allows it (UNKNOWN_FOLLOW_UP, FOLLOW_UP_CLOSED, ILLEGAL_TRANSITION otherwise). */
  record(hallId: string, id: string, step: FollowUpStepInput, ctx: StepContext): Promise<FollowUpRecord>;
  /**
   * A late rating of a ticket the hall no longer holds, decided on its row (decideLateRating):
   * the row takes the rating, and a 1 or 2 opens a follow-up, in one transaction. UNKNOWN_TICKET
   * when the records have no such ticket.
   */
  rateLate(hallId: string, ticketId: string, rating: number, ctx: LateRatingContext): Promise<{ scope: RatingScope; followUpId: string | null }>;
  /** The report's indicators over the follow-ups of ratings given on business days from..to. */
  indicators(hallId: string, range: { from: string; to: string }, today: string, calendar: HallCalendar, filter?: { staffId?: string }): Promise<FollowUpIndicators>;
}

/** A hall whose config the records were not told of: the config's defaults, Monday to Friday. */
export const DEFAULT_TERMS: FollowUpTerms = { workingDays: 5, calendar: { holidays: [], workdays: [], makeUpDayAs: "mon" } };

const newId = () => randomBytes(12).toString("base64url");

const factsOf = (r: FollowUpsTable): FollowUpFacts => ({ state: r.state, reached: r.reached === 1, rectified: r.rectified === 1, appealed: r.appealed === 1 });

const stepOf = (s: FollowUpStepsTable): FollowUpStep => ({ n: Number(s.n), kind: s.kind, by: s.by, at: Number(s.at), reached: s.reached === null ? null : s.reached === 1, note: s.note });

const toRecord = (r: FollowUpsTable, steps: FollowUpStep[]): FollowUpRecord => ({
  id: r.id,
  hallId: r.hall_id,
  ticketId: r.ticket_id,
  businessDate: r.business_date,
  number: r.number,
  serviceId: r.service_id,
  windowId: r.window_id,
  staffId: r.staff_id,
  rating: Number(r.rating),
  scope: r.scope,
  step: r.scope === "whole" ? null : Number(r.step),
  source: r.source === "tracker" ? "tracker" : "pad",
  state: r.state,
  openedAt: Number(r.opened_at),
  dueDate: r.due_date,
  reached: r.reached === 1,
  rectified: r.rectified === 1,
  appealed: r.appealed === 1,
  closedAt: r.closed_at === null ? null : Number(r.closed_at),
  closedDate: r.closed_date,
  steps,
});

/** What the opening needs of the rating: the ticket, and the service event or whole matter rated. */
interface Rated {
  ticketId: string;
  businessDate: string;
  number: string;
  serviceId: string;
  windowId: string | null;
  staffId: string | null;
  rating: number;
  scope: RatingScope;
  step: number | null;
  at: number;
  source: "pad" | "tracker";
}

/** What followUp.updated carries: the follow-up's facts, not the citizen's ticket id (a credential). */
const webhookData = (r: FollowUpsTable, step: { kind: string; by: string; at: number; reached: boolean | null; note: string }) => ({
  id: r.id,
  number: r.number,
  businessDate: r.business_date,
  serviceId: r.service_id,
  windowId: r.window_id,
  staffId: r.staff_id,
  rating: Number(r.rating),
  scope: r.scope,
  bundleStep: r.scope === "whole" ? null : Number(r.step),
  source: r.source,
  state: r.state,
  dueDate: r.due_date,
  reached: r.reached === 1,
  rectified: r.rectified === 1,
  appealed: r.appealed === 1,
  closedAt: r.closed_at,
  step,
});

export class KyselyFollowUps implements FollowUpStore {
  private termsOf: (hallId: string) => FollowUpTerms | undefined = () => undefined;

  constructor(
    private readonly opts: RecordsParts,
    private readonly webhooks: WebhookOutbox,
  ) {}

  useTerms(termsOf: (hallId: string) => FollowUpTerms | undefined): void {
    this.termsOf = termsOf;
  }

  *openFromEvents(hallId: string, events: readonly HallEvent[]): Plan<number> {
    let opened = 0;
    for (const e of events) {
      if (e.type !== "ticket:rated") continue;
      const part = ratedPart(e);
      if (part.rating === null || !opensFollowUp(part.rating)) continue;
      const t = e.ticket;
      // A rating through the hall from the tracker link is by the citizen; the pad's is by the pad.
      const source = e.actor?.kind === "citizen" ? "tracker" : "pad";
      // A whole matter is no one window's: its follow-up names the ticket's service, no window or staff.
      const id = yield* this.open(hallId, { ticketId: t.id, businessDate: t.businessDate, number: t.number, serviceId: part.serviceId ?? t.serviceId, windowId: part.windowId, staffId: part.staffId, rating: part.rating, scope: part.scope, step: part.step, at: e.at, source });
      if (id) opened++;
    }
    return opened;
  }

  /** Opens the rating's follow-up unless it has one; returns the new id, or null. */
  private *open(hallId: string, r: Rated): Plan<string | null> {
    const q = this.opts.db;
    const row: FollowUpsTable = {
      hall_id: hallId,
      id: newId(),
      ticket_id: r.ticketId,
      business_date: r.businessDate,
      number: r.number,
      service_id: r.serviceId,
      window_id: r.windowId,
      staff_id: r.staffId,
      rating: r.rating,
      scope: r.scope,
      step: r.step ?? 0,
      source: r.source,
      state: OPENED.state,
      reached: 0,
      rectified: 0,
      appealed: 0,
      opened_at: r.at,
      due_date: dueDateOf(r.businessDate, this.termsOf(hallId) ?? DEFAULT_TERMS),
      closed_at: null,
      closed_date: null,
      steps: 1,
      updated_at: r.at,
    };
    const inserted = yield* query(
      q
        .insertInto("records_follow_ups")
        .values(row)
        .onConflict((oc) => oc.columns(["hall_id", "ticket_id", "scope", "step"]).doNothing())
        .returning("id"),
    );
    if (!inserted.length) return null;
    const step = { kind: "opened" as const, by: "system", at: r.at, reached: null, note: "" };
    yield q.insertInto("records_follow_up_steps").values({ hall_id: hallId, follow_up_id: row.id, n: 0, ...step }).compile();
    yield* this.webhooks.enqueueWebhook(hallId, "followUp.updated", webhookData(row, step), r.at, `followUp\n${row.id}\n0`);
    return row.id;
  }

  async list(hallId: string, state: "open" | "closed" | "all", limit = 500): Promise<FollowUpRecord[]> {
    await this.opts.ready();
    const { db } = this.opts;
    let q = db.selectFrom("records_follow_ups").selectAll().where("hall_id", "=", hallId);
    if (state === "open") q = q.where("state", "!=", "closed");
    if (state === "closed") q = q.where("state", "=", "closed");
    const rows = (await q.orderBy("opened_at", "desc").orderBy("id").limit(limit).execute()).reverse();
    return this.withSteps(hallId, rows);
  }

  async get(hallId: string, id: string): Promise<FollowUpRecord | null> {
    await this.opts.ready();
    const row = await this.opts.db.selectFrom("records_follow_ups").selectAll().where("hall_id", "=", hallId).where("id", "=", id).executeTakeFirst();
    return row ? ((await this.withSteps(hallId, [row]))[0] ?? null) : null;
  }

  private async withSteps(hallId: string, rows: FollowUpsTable[]): Promise<FollowUpRecord[]> {
    const steps = new Map<string, FollowUpStep[]>(rows.map((r) => [r.id, []]));
    for (let i = 0; i < rows.length; i += 400) {
      const ids = rows.slice(i, i + 400).map((r) => r.id);
      const found = await this.opts.db.selectFrom("records_follow_up_steps").selectAll().where("hall_id", "=", hallId).where("follow_up_id", "in", ids).orderBy("follow_up_id").orderBy("n").execute();
      for (const s of found) steps.get(s.follow_up_id)!.push(stepOf(s));
    }
    return rows.map((r) => toRecord(r, steps.get(r.id)!));
  }

  async record(hallId: string, id: string, input: FollowUpStepInput, ctx: StepContext): Promise<FollowUpRecord> {
    await this.opts.ready();
    const { db: q, kind } = this.opts;
    const webhooks = this.webhooks;
    await this.opts.run(
      (function* (): Plan {
        // Two managers recording at once: one step after the other, each decided on the one before.
        yield* serialize(q, kind, `followUp\n${hallId}\n${id}`);
        const [row] = yield* query(q.selectFrom("records_follow_ups").selectAll().where("hall_id", "=", hallId).where("id", "=", id));
        if (!row) throw new HallCallError("UNKNOWN_FOLLOW_UP", `No follow-up "${id}" in this hall.`);
        const next = decideStep(factsOf(row), input);
        const n = Number(row.steps);
        const closing = next.state === "closed";
        const updated: FollowUpsTable = {
          ...row,
          state: next.state,
          reached: next.reached ? 1 : 0,
          rectified: next.rectified ? 1 : 0,
          appealed: next.appealed ? 1 : 0,
          closed_at: closing ? ctx.now : row.closed_at,
          closed_date: closing ? ctx.today : row.closed_date,
          steps: n + 1,
          updated_at: ctx.now,
        };
        yield q
          .updateTable("records_follow_ups")
          .set({ state: updated.state, reached: updated.reached, rectified: updated.rectified, appealed: updated.appealed, closed_at: updated.closed_at, closed_date: updated.closed_date, steps: updated.steps, updated_at: updated.updated_at })
          .where("hall_id", "=", hallId)
          .where("id", "=", id)
          .compile();
        const step = { kind: input.kind, by: ctx.by, at: ctx.now, reached: input.kind === "callback" ? input.reached : null, note: input.note };
        yield q
          .insertInto("records_follow_up_steps")
          .values({ hall_id: hallId, follow_up_id: id, n, ...step, reached: step.reached === null ? null : step.reached ? 1 : 0 })
          .compile();
        yield* webhooks.enqueueWebhook(hallId, "followUp.updated", webhookData(updated, step), ctx.now, `followUp\n${id}\n${n}`);
      })(),
    );
    return (await this.get(hallId, id))!;
  }

  async rateLate(hallId: string, ticketId: string, rating: number, ctx: LateRatingContext): Promise<{ scope: RatingScope; followUpId: string | null }> {
    await this.opts.ready();
    const { db: q, kind } = this.opts;
    const self = this;
    return this.opts.run(
      (function* (): Plan<{ scope: RatingScope; followUpId: string | null }> {
        // Two ratings sent at once for one ticket: the second reads the first's and is refused.
        yield* serialize(q, kind, `rating\n${hallId}\n${ticketId}`);
        const [row] = yield* query(q.selectFrom("records_tickets").selectAll().where("hall_id", "=", hallId).where("ticket_id", "=", ticketId).orderBy("business_date", "desc").limit(1));
        if (!row) throw new HallCallError("UNKNOWN_TICKET", "No such ticket in this hall.");
        const scope = decideLateRating({ state: row.state, businessDate: row.business_date, rating: row.rating === null ? null : Number(row.rating), steps: Number(row.bundle_steps) }, ctx.today, ctx.rules);
        // The tracker rates a ticket's one service (its row's), or a bundle's whole matter, which is no window's.
        const part =
          scope === "whole"
            ? { scope, step: null, serviceId: null, windowId: null, staffId: null }
            : { scope, step: Number(row.bundle_step), serviceId: row.service_id, windowId: row.window_id, staffId: row.staff_id };
        yield q
          .updateTable("records_tickets")
          .set({ rating, updated_at: ctx.now })
          .where("hall_id", "=", hallId)
          .where("business_date", "=", row.business_date)
          .where("ticket_id", "=", ticketId)
          .compile();
        yield insertRatings(q, [ratingRow({ hall_id: hallId, business_date: row.business_date, ticket_id: ticketId, scope, step: part.step, service_id: part.serviceId, window_id: part.windowId, staff_id: part.staffId, issued_at: Number(row.issued_at), rating, at: ctx.now })]).compile();
        yield* self.webhooks.enqueueWebhook(hallId, "rating.created", ratingData(row, rating, part) as unknown as Record<string, unknown>, ctx.now, `lateRating\n${ticketId}`);
        if (!opensFollowUp(rating)) return { scope, followUpId: null };
        const followUpId = yield* self.open(hallId, {
          ticketId,
          businessDate: row.business_date,
          number: row.number,
          serviceId: row.service_id,
          windowId: part.windowId,
          staffId: part.staffId,
          rating,
          scope,
          step: part.step,
          at: ctx.now,
          source: "tracker",
        });
        return { scope, followUpId };
      })(),
    );
  }

  async indicators(hallId: string, range: { from: string; to: string }, today: string, calendar: HallCalendar, filter: { staffId?: string } = {}): Promise<FollowUpIndicators> {
    await this.opts.ready();
    let q = this.opts.db
      .selectFrom("records_follow_ups")
      .select(["state", "reached", "rectified", "appealed", "business_date", "due_date", "closed_date"])
      .where("hall_id", "=", hallId)
      .where("business_date", ">=", range.from)
      .where("business_date", "<=", range.to);
    if (filter.staffId !== undefined) q = q.where("staff_id", "=", filter.staffId);
    const rows = await q.execute();
    const closed = rows.filter((r) => r.state === "closed");
    const rate = (n: number) => (rows.length ? n / rows.length : null);
    const calledBack = rows.filter((r) => r.reached === 1).length;
    const rectified = rows.filter((r) => r.rectified === 1).length;
    const days = closed.map((r) => workingDaysBetween(r.business_date, r.closed_date!, calendar));
    return {
      opened: rows.length,
      calledBack,
      callbackRate: rate(calledBack),
      rectified,
      rectificationRate: rate(rectified),
      appealed: rows.filter((r) => r.appealed === 1).length,
      closed: closed.length,
      overdue: rows.filter((r) => isOverdue({ state: r.state, dueDate: r.due_date }, today)).length,
      closedLate: closed.filter((r) => closedLate({ dueDate: r.due_date, closedDate: r.closed_date })).length,
      meanWorkingDaysToClose: days.length ? days.reduce((a, b) => a + b, 0) / days.length : null,
    };
  }
}

/** rating.created for a late rating, in the shape the archive's ticket webhooks have. */
function ratingData(row: TicketsTable, rating: number, part: { scope: RatingScope; step: number | null; windowId: string | null; staffId: string | null }): WebhookTicket {
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    number: row.number,
    businessDate: row.business_date,
    serviceId: row.service_id,
    priority: row.priority,
    channel: row.channel,
    windowId: part.windowId,
    staffId: part.staffId,
    issuedAt: Number(row.issued_at),
    calledAt: num(row.called_at),
    endedAt: num(row.ended_at),
    waitSec: num(row.wait_sec),
    serviceSec: num(row.service_sec),
    rating,
    scope: part.scope,
    step: part.step,
    recall: false,
  };
}
