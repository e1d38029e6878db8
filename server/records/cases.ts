/**
 * Cases (工单) in the records (SQLite or PostgreSQL): each case of the 办不成事 window and every
 * step of it with who and when. The domain decides (domain/case.ts); each change here is one plan
 * that reads what the decision needs, asks it and commits what it answered, with its `case.updated`
 * webhook (webhook-outbox.ts) in the same transaction.
 *
 *   const opened = await records.cases.open(hallId, { commandId, category, …, dueDate, prefix: "BB" }, { by: "alice", now, today });
 *   await records.cases.step(hallId, opened.case.id, commandId, { kind: "requestDocument", document: "户口本" }, { by, now, today });
 *   await records.cases.close(hallId, id, { commandId, confirmed: true, rating: 5 }, { by, now, today });
 *
 * A repeated command changes nothing and answers the case as it is: the opening's commandId is
 * unique per hall on the case, a step's on the step.
 */
import { randomBytes } from "node:crypto";
import { HallCallError, type CaseState } from "../../protocol/index.js";
import { caseNumber, caseReportRows, decideCaseStep, decideClose, documentsNeeded, type CaseStepInput, type CaseStepKind } from "../domain/case.js";
import type { HallConfig } from "../domain/config.js";
import { query, serialize, type Plan, type RecordsParts } from "./records-store.js";
import type { CasesTable, CaseStepsTable } from "./schema.js";
import type { WebhookOutbox } from "./webhook-outbox.js";

export interface CaseStepRecord {
  n: number;
  kind: CaseStepKind;
  by: string;
  at: number;
  text: string;
}

/** A case as the records keep it; the transport adds the names from the config and whether it is overdue. */
export interface CaseRecord {
  id: string;
  key: string;
  hallId: string;
  number: string;
  /** The opening's business date. */
  businessDate: string;
  state: CaseState;
  category: string;
  summary: string;
  departments: string[];
  /** The full phone (shown masked), or null once the retention rule erased it. */
  phone: string | null;
  ticketId: string;
  ticketNumber: string;
  windowId: string;
  openedAt: number;
  openedBy: string;
  dueDate: string;
  resolution: string | null;
  resolvedAt: number | null;
  resolvedDate: string | null;
  closedAt: number | null;
  closedDate: string | null;
  rating: number | null;
  steps: CaseStepRecord[];
}

/** What an opening records: the counter's form, the ticket it is opened from, and the deadline the domain gave it. */
export interface CaseOpening {
  commandId: string;
  category: string;
  summary: string;
  departments: string[];
  phone: string;
  ticketId: string;
  ticketNumber: string;
  windowId: string;
  dueDate: string;
  /** The readable number's prefix (hall config `cases.prefix`). */
  prefix: string;
}

export interface CaseClosing {
  commandId: string;
  confirmed: boolean;
  rating?: number;
  note?: string;
}

/** Who records a step, when, and the hall's business date then. */
export interface CaseContext {
  by: string;
  now: number;
  today: string;
}

/** A change's answer: the case now, and whether this call changed it (false for a repeated commandId). */
export interface CaseChange {
  case: CaseRecord;
  changed: boolean;
}

export interface CaseStore {
  /** Opens a case numbered the next of its business day in the hall. */
  open(hallId: string, opening: CaseOpening, ctx: CaseContext): Promise<CaseChange>;
  /** One more step, as decideCaseStep allows it (UNKNOWN_CASE, CASE_CLOSED, ILLEGAL_TRANSITION otherwise). */
  step(hallId: string, caseId: string, commandId: string, step: CaseStepInput, ctx: CaseContext): Promise<CaseChange>;
  /** The close, as decideClose allows it. */
  close(hallId: string, caseId: string, closing: CaseClosing, ctx: CaseContext): Promise<CaseChange>;
  get(hallId: string, id: string): Promise<CaseRecord | null>;
  getByKey(hallId: string, key: string): Promise<CaseRecord | null>;
  /** The case a `case:open` with this commandId opened, if any. */
  getByCommand(hallId: string, commandId: string): Promise<CaseRecord | null>;
  /** The hall's cases ("open": not closed), oldest first, each with its steps; at most `limit`, the newest. */
  list(hallId: string, state: "open" | "all", limit?: number): Promise<CaseRecord[]>;
  /** The cases opened on business days from..to (inclusive), for the monthly report. */
  openedBetween(hallId: string, from: string, to: string): Promise<CaseRecord[]>;
  /** The retention rule: the phone of cases closed (or, never closed, opened) before `before` is erased. Returns how many. */
  erasePersonal(hallId: string, before: string): Promise<number>;
}

/** The report by category of the cases opened from..to (the month's report, the summary export's sheet). */
export async function caseReport(cases: Pick<CaseStore, "openedBetween">, hall: HallConfig, from: string, to: string, today: string) {
  const rows = await cases.openedBetween(hall.id, from, to);
  return caseReportRows(hall, rows.map((r) => ({ category: r.category, state: r.state, dueDate: r.dueDate, openedDate: r.businessDate, resolvedDate: r.resolvedDate })), today);
}

/** 16 random bytes: the public page's credential. */
const newKey = () => randomBytes(16).toString("base64url");
const newId = () => randomBytes(9).toString("base64url");

const stepOf = (s: CaseStepsTable): CaseStepRecord => ({ n: Number(s.n), kind: s.kind, by: s.by, at: Number(s.at), text: s.text });
const num = (v: number | null) => (v === null ? null : Number(v));

const toRecord = (r: CasesTable, steps: CaseStepRecord[]): CaseRecord => ({
  id: r.id,
  key: r.key,
  hallId: r.hall_id,
  number: r.number,
  businessDate: r.business_date,
  state: r.state,
  category: r.category,
  summary: r.summary,
  departments: JSON.parse(r.departments) as string[],
  phone: r.phone,
  ticketId: r.ticket_id,
  ticketNumber: r.ticket_number,
  windowId: r.window_id,
  openedAt: Number(r.opened_at),
  openedBy: r.opened_by,
  dueDate: r.due_date,
  resolution: r.resolution,
  resolvedAt: num(r.resolved_at),
  resolvedDate: r.resolved_date,
  closedAt: num(r.closed_at),
  closedDate: r.closed_date,
  rating: num(r.rating),
  steps,
});

/** What case.updated carries: the case's facts, never its key (a credential) nor the phone. */
const webhookData = (r: CasesTable, step: Omit<CaseStepRecord, "n">) => ({
  id: r.id,
  number: r.number,
  businessDate: r.business_date,
  category: r.category,
  state: r.state,
  windowId: r.window_id,
  ticketNumber: r.ticket_number,
  dueDate: r.due_date,
  resolution: r.resolution,
  rating: r.rating,
  step,
});

const textOf = (step: CaseStepInput): string => {
  switch (step.kind) {
    case "assign":
      return step.department;
    case "note":
      return step.note;
    case "requestDocument":
    case "documentReceived":
      return step.document;
    case "resolve":
      return step.resolution;
  }
};

export class KyselyCases implements CaseStore {
  constructor(
    private readonly opts: RecordsParts,
    private readonly webhooks: WebhookOutbox,
  ) {}

  async open(hallId: string, o: CaseOpening, ctx: CaseContext): Promise<CaseChange> {
    await this.opts.ready();
    const { db: q, kind } = this.opts;
    const webhooks = this.webhooks;
    const done = await this.opts.run(
      (function* (): Plan<{ id: string; changed: boolean }> {
        // One opening after the other in the hall: each numbers after the one before, and a
        // repeated commandId finds the first.
        yield* serialize(q, kind, `caseOpen\n${hallId}`);
        const [before] = yield* query(q.selectFrom("records_cases").select(["id", "ticket_id"]).where("hall_id", "=", hallId).where("command_id", "=", o.commandId));
        if (before) {
          if (before.ticket_id !== o.ticketId) throw new HallCallError("IDEMPOTENCY_CONFLICT", "This commandId opened a case for another ticket.");
          return { id: before.id, changed: false };
        }
        const [last] = yield* query(q.selectFrom("records_cases").select((eb) => eb.fn.max("day_seq").as("n")).where("hall_id", "=", hallId).where("business_date", "=", ctx.today));
        const daySeq = Number(last?.n ?? 0) + 1;
        const row: CasesTable = {
          hall_id: hallId,
          id: newId(),
          key: newKey(),
          number: caseNumber(o.prefix, ctx.today, daySeq),
          business_date: ctx.today,
          day_seq: daySeq,
          state: "open",
          category: o.category,
          summary: o.summary,
          departments: JSON.stringify(o.departments),
          phone: o.phone,
          ticket_id: o.ticketId,
          ticket_number: o.ticketNumber,
          window_id: o.windowId,
          opened_at: ctx.now,
          opened_by: ctx.by,
          due_date: o.dueDate,
          resolution: null,
          resolved_at: null,
          resolved_date: null,
          closed_at: null,
          closed_date: null,
          rating: null,
          steps: 1,
          command_id: o.commandId,
          updated_at: ctx.now,
        };
        yield q.insertInto("records_cases").values(row).compile();
        const step = { kind: "opened" as const, by: ctx.by, at: ctx.now, text: o.summary };
        yield q.insertInto("records_case_steps").values({ hall_id: hallId, case_id: row.id, n: 0, ...step, command_id: null }).compile();
        yield* webhooks.enqueueWebhook(hallId, "case.updated", webhookData(row, step), ctx.now, `case\n${row.id}\n0`);
        return { id: row.id, changed: true };
      })(),
    );
    return { case: (await this.get(hallId, done.id))!, changed: done.changed };
  }

  step(hallId: string, caseId: string, commandId: string, input: CaseStepInput, ctx: CaseContext): Promise<CaseChange> {
    return this.change(hallId, caseId, commandId, ctx, (row, steps) => {
      const state = decideCaseStep({ state: row.state, documentsNeeded: documentsNeeded(steps) }, input);
      const resolving = input.kind === "resolve";
      const departments = JSON.parse(row.departments) as string[];
      const row2: CasesTable = {
        ...row,
        state,
        departments: input.kind === "assign" && !departments.includes(input.department) ? JSON.stringify([...departments, input.department]) : row.departments,
        resolution: resolving ? input.resolution : row.resolution,
        resolved_at: resolving ? ctx.now : row.resolved_at,
        resolved_date: resolving ? ctx.today : row.resolved_date,
      };
      return { row: row2, kind: input.kind, text: textOf(input) };
    });
  }

  close(hallId: string, caseId: string, closing: CaseClosing, ctx: CaseContext): Promise<CaseChange> {
    return this.change(hallId, caseId, closing.commandId, ctx, (row, steps) => {
      const state = decideClose({ state: row.state, documentsNeeded: documentsNeeded(steps) }, closing);
      return { row: { ...row, state, closed_at: ctx.now, closed_date: ctx.today, rating: closing.rating ?? null }, kind: "close", text: closing.note ?? "" };
    });
  }

  /** One step of a case: read it, let `decide` answer the row after it, commit both with the webhook. */
  private async change(
    hallId: string,
    caseId: string,
    commandId: string,
    ctx: CaseContext,
    decide: (row: CasesTable, steps: CaseStepRecord[]) => { row: CasesTable; kind: CaseStepKind; text: string },
  ): Promise<CaseChange> {
    await this.opts.ready();
    const { db: q, kind } = this.opts;
    const webhooks = this.webhooks;
    const changed = await this.opts.run(
      (function* (): Plan<boolean> {
        // Two staff recording at once: one step after the other, each decided on the one before.
        yield* serialize(q, kind, `case\n${hallId}\n${caseId}`);
        const [row] = yield* query(q.selectFrom("records_cases").selectAll().where("hall_id", "=", hallId).where("id", "=", caseId));
        if (!row) throw new HallCallError("UNKNOWN_CASE", `No case "${caseId}" in this hall.`);
        const [repeat] = yield* query(q.selectFrom("records_case_steps").select("case_id").where("hall_id", "=", hallId).where("command_id", "=", commandId));
        if (repeat) {
          if (repeat.case_id !== caseId) throw new HallCallError("IDEMPOTENCY_CONFLICT", "This commandId recorded a step of another case.");
          return false;
        }
        const steps = (yield* query(q.selectFrom("records_case_steps").selectAll().where("hall_id", "=", hallId).where("case_id", "=", caseId).orderBy("n"))).map(stepOf);
        const next = decide(row, steps);
        const n = Number(row.steps);
        const updated: CasesTable = { ...next.row, steps: n + 1, updated_at: ctx.now };
        yield q
          .updateTable("records_cases")
          .set({
            state: updated.state,
            departments: updated.departments,
            resolution: updated.resolution,
            resolved_at: updated.resolved_at,
            resolved_date: updated.resolved_date,
            closed_at: updated.closed_at,
            closed_date: updated.closed_date,
            rating: updated.rating,
            steps: updated.steps,
            updated_at: updated.updated_at,
          })
          .where("hall_id", "=", hallId)
          .where("id", "=", caseId)
          .compile();
        const step = { kind: next.kind, by: ctx.by, at: ctx.now, text: next.text };
        yield q.insertInto("records_case_steps").values({ hall_id: hallId, case_id: caseId, n, ...step, command_id: commandId }).compile();
        yield* webhooks.enqueueWebhook(hallId, "case.updated", webhookData(updated, step), ctx.now, `case\n${caseId}\n${n}`);
        return true;
      })(),
    );
    return { case: (await this.get(hallId, caseId))!, changed };
  }

  async get(hallId: string, id: string): Promise<CaseRecord | null> {
    await this.opts.ready();
    const row = await this.opts.db.selectFrom("records_cases").selectAll().where("hall_id", "=", hallId).where("id", "=", id).executeTakeFirst();
    return row ? ((await this.withSteps(hallId, [row]))[0] ?? null) : null;
  }

  async getByKey(hallId: string, key: string): Promise<CaseRecord | null> {
    await this.opts.ready();
    const row = await this.opts.db.selectFrom("records_cases").selectAll().where("hall_id", "=", hallId).where("key", "=", key).executeTakeFirst();
    return row ? ((await this.withSteps(hallId, [row]))[0] ?? null) : null;
  }

  async getByCommand(hallId: string, commandId: string): Promise<CaseRecord | null> {
    await this.opts.ready();
    const row = await this.opts.db.selectFrom("records_cases").selectAll().where("hall_id", "=", hallId).where("command_id", "=", commandId).executeTakeFirst();
    return row ? ((await this.withSteps(hallId, [row]))[0] ?? null) : null;
  }

  async list(hallId: string, state: "open" | "all", limit = 500): Promise<CaseRecord[]> {
    await this.opts.ready();
    let q = this.opts.db.selectFrom("records_cases").selectAll().where("hall_id", "=", hallId);
    if (state === "open") q = q.where("state", "!=", "closed");
    const rows = (await q.orderBy("opened_at", "desc").orderBy("id").limit(limit).execute()).reverse();
    return this.withSteps(hallId, rows);
  }

  async openedBetween(hallId: string, from: string, to: string): Promise<CaseRecord[]> {
    await this.opts.ready();
    const rows = await this.opts.db.selectFrom("records_cases").selectAll().where("hall_id", "=", hallId).where("business_date", ">=", from).where("business_date", "<=", to).orderBy("opened_at").execute();
    return rows.map((r) => toRecord(r, []));
  }

  async erasePersonal(hallId: string, before: string): Promise<number> {
    await this.opts.ready();
    const res = await this.opts.db
      .updateTable("records_cases")
      .set({ phone: null })
      .where("hall_id", "=", hallId)
      .where("phone", "is not", null)
      .where((eb) => eb.or([eb("closed_date", "<", before), eb.and([eb("closed_date", "is", null), eb("business_date", "<", before)])]))
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  private async withSteps(hallId: string, rows: CasesTable[]): Promise<CaseRecord[]> {
    const steps = new Map<string, CaseStepRecord[]>(rows.map((r) => [r.id, []]));
    for (let i = 0; i < rows.length; i += 400) {
      const ids = rows.slice(i, i + 400).map((r) => r.id);
      const found = await this.opts.db.selectFrom("records_case_steps").selectAll().where("hall_id", "=", hallId).where("case_id", "in", ids).orderBy("case_id").orderBy("n").execute();
      for (const s of found) steps.get(s.case_id)!.push(stepOf(s));
    }
    return rows.map((r) => toRecord(r, steps.get(r.id)!));
  }
}
