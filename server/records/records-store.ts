/**
 * The records: every event of every hall and a row per ticket, kept for good in SQLite or
 * PostgreSQL, with the bookings and the hours edited in the console (kysely-bookings.ts,
 * hours-store.ts). One implementation on Kysely for both: an append, like each booking, is planned
 * once as a sequence of Kysely-compiled queries (a Plan) and run by the database's own runner.
 *
 * On SQLite the whole append runs synchronously in one better-sqlite3 transaction. The file may be
 * the embedded store's, shared through one connection: an async transaction there would hold
 * BEGIN open across awaits, and the store's synchronous commits landing in between would become
 * part of it (and roll back with it). Synchronous, nothing runs in between.
 *
 *   const records = await openRecords({ databaseUrl: "postgres://…" });   // or { sqlite: db }
 *   await records.append("hall-1", events);   // idempotent on (hall, epoch, seq)
 *   await records.cursor("hall-1");           // { epoch, seq } of the last event archived
 *   await records.bookings.book(booking, missesSince, (load) => decideBooking(hall, req, load, now));
 */
import type { Database as SqliteDatabase } from "better-sqlite3";
import { Kysely, sql, type Compilable, type CompiledQuery } from "kysely";
import { eventWithoutPersonal, PERSONAL_JSON_PATTERNS } from "../domain/retention.js";
import type { HallEvent } from "../../protocol/index.js";
import type { EventsTable, RecordsDatabase, TicketsTable } from "./schema.js";
import type { BookingStore, HoursStore } from "./bookings.js";
import { bookingFollows, businessDateOf, foldTicket, isTicketEvent } from "./ticket-row.js";
import { WebhookOutbox } from "./webhook-outbox.js";
import { KyselyFollowUps, type FollowUpStore } from "./follow-ups.js";
import { KyselyCases, type CaseStore } from "./cases.js";
import { keepRatings } from "./ratings.js";

export interface RecordsCursor {
  epoch: string;
  seq: number;
}

export interface RecordsStore {
  readonly kind: "sqlite" | "postgres";
  /**
   * Keep these events of the hall (oldest first) and fold them into their tickets' rows, in one
   * transaction. An event already kept (same hall, epoch and seq) is skipped, so a repeated or
   * overlapping batch changes nothing. Moves the hall's cursor to the batch's last event. A
   * booking's ticket moves the booking on in the same transaction: its issue checks it in, its
   * end (finished, noShow, cancelled) settles it. Each rating kept is a row of its own, tied to the
   * step or whole matter it rated (ratings.ts). The webhooks of the events kept are enqueued in
   * the same transaction (webhook-outbox.ts), and so is the follow-up each 差评 kept opens
   * (follow-ups.ts), once per rating.
   */
  append(hallId: string, events: readonly HallEvent[]): Promise<void>;
  /** The last event archived for the hall, or null before the first. */
  cursor(hallId: string): Promise<RecordsCursor | null>;
  /** The kept events of the hall, in the order they happened (oldest first). */
  events(hallId: string): Promise<HallEvent[]>;
  /** The hall's ticket rows of the business days from..to (YYYY-MM-DD, inclusive), by issue time. */
  tickets(hallId: string, from: string, to: string): Promise<TicketsTable[]>;
  /**
   * The retention rule: the kept events of business days before `before` lose their personal data
   * (domain/retention.ts); their figures stay. Returns how many events were rewritten; a second
   * run finds nothing left to erase.
   */
  erasePersonal(hallId: string, before: string): Promise<number>;
  /** The bookings (预约), in the same database. */
  readonly bookings: BookingStore;
  /** The hall's hours as edited in the console, each version kept. */
  readonly hours: HoursStore;
  /** The outbound webhooks' deliveries, and the plan step that enqueues one (webhook-outbox.ts). */
  readonly webhooks: WebhookOutbox;
  /** 差评 follow-ups and late ratings (follow-ups.ts); the archive's append opens the follow-ups of the ratings it keeps. */
  readonly followUps: FollowUpStore;
  /** Cases (工单) of the 办不成事 window (cases.ts). */
  readonly cases: CaseStore;
  /** The query layer, for the reports. */
  readonly db: Kysely<RecordsDatabase>;
  close(): Promise<void>;
}

/**
 * One transaction's queries, planned as a generator: each yielded query is executed and its rows
 * handed back to the plan, which may decide on them (and throw, which rolls everything back) and
 * returns the transaction's result. Written once, it runs on either database's runner.
 */
export type Plan<T = void> = Generator<CompiledQuery, T, readonly unknown[]>;

/** A query of a plan, its rows typed: `const rows = yield* query(q.selectFrom(…))`. */
export function* query<R>(compilable: Compilable<R>): Plan<R[]> {
  return (yield compilable.compile()) as R[];
}

/**
 * Makes the transactions that name `name` run one after another, each seeing what the one before
 * committed. On PostgreSQL a transaction-level advisory lock (released at commit or rollback); a
 * SQLite transaction holds the whole file already (BEGIN IMMEDIATE), so there is nothing to take.
 */
export function* serialize(q: Kysely<RecordsDatabase>, kind: RecordsStore["kind"], name: string): Plan {
  // The two-key form keeps the records' locks apart from any other advisory lock of the database.
  if (kind === "postgres") yield sql`select pg_advisory_xact_lock(hashtext('records'), hashtext(${name}))`.compile(q);
}

const TICKET_COLUMNS = [
  "number",
  "service_id",
  "priority",
  "channel",
  "state",
  "outcome",
  "issued_at",
  "called_at",
  "serving_at",
  "ended_at",
  "wait_sec",
  "service_sec",
  "window_id",
  "staff_id",
  "rating",
  "transferred",
  "bundle_step",
  "bundle_steps",
  "last_epoch",
  "last_seq",
  "updated_at",
] as const satisfies readonly (keyof TicketsTable)[];

// Well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement.
const ROWS_PER_STATEMENT = 400;

const keyOf = (epoch: string, seq: number) => `${epoch}\n${seq}`;

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** The columns the audit trail filters on (records/audit.ts). */
const actorColumns = (e: HallEvent): Pick<EventsTable, "actor_kind" | "actor_id" | "chosen"> => ({
  actor_kind: e.actor?.kind ?? null,
  actor_id: e.actor?.id ?? null,
  chosen: e.type === "ticket:called" ? (e.chosen ? 1 : 0) : null,
});

/** The queries of one append, in order; see RecordsStore.append. */
export function* appendPlan(q: Kysely<RecordsDatabase>, hallId: string, batch: readonly HallEvent[], webhooks?: WebhookOutbox, followUps?: FollowUpStore): Plan {
  const seen = new Set<string>();
  const events = batch.filter((e) => {
    if (e.hallId !== hallId) throw new Error(`event of hall ${e.hallId} appended to ${hallId}`);
    const k = keyOf(e.epoch, e.seq);
    return seen.has(k) ? false : (seen.add(k), true);
  });
  const last = events.at(-1);
  if (!last) return;

  // Only the events not kept before are folded into tickets: that is what makes a repeat harmless.
  const fresh: HallEvent[] = [];
  for (const chunk of chunks(events, ROWS_PER_STATEMENT)) {
    const inserted = (yield q
      .insertInto("records_events")
      .values(chunk.map((e) => ({ hall_id: hallId, epoch: e.epoch, seq: e.seq, business_date: businessDateOf(e), type: e.type, at: e.at, event: JSON.stringify(e), ...actorColumns(e) })))
      .onConflict((oc) => oc.columns(["hall_id", "epoch", "seq"]).doNothing())
      .returning(["epoch", "seq"])
      .compile()) as { epoch: string; seq: number | string }[];
    const kept = new Set(inserted.map((r) => keyOf(r.epoch, Number(r.seq))));
    fresh.push(...chunk.filter((e) => kept.has(keyOf(e.epoch, e.seq))));
  }

  const ticketEvents = fresh.filter(isTicketEvent);
  if (ticketEvents.length) {
    const ids = [...new Set(ticketEvents.map((e) => e.ticket.id))];
    const rows = new Map<string, TicketsTable>();
    for (const chunk of chunks(ids, ROWS_PER_STATEMENT)) {
      const found = (yield q.selectFrom("records_tickets").selectAll().where("hall_id", "=", hallId).where("ticket_id", "in", chunk).compile()) as TicketsTable[];
      for (const r of found) rows.set(r.ticket_id, r);
    }
    for (const e of ticketEvents) rows.set(e.ticket.id, foldTicket(rows.get(e.ticket.id), e));
    for (const chunk of chunks(ids, ROWS_PER_STATEMENT)) {
      yield q
        .insertInto("records_tickets")
        .values(chunk.map((id) => rows.get(id)!))
        .onConflict((oc) =>
          oc.columns(["hall_id", "business_date", "ticket_id"]).doUpdateSet((eb) => Object.fromEntries(TICKET_COLUMNS.map((c) => [c, eb.ref(`excluded.${c}`)]))),
        )
        .compile();
    }
    yield* keepRatings(q, hallId, ticketEvents);
    // A booking follows its ticket in the same transaction: checked in at issue, settled at its end.
    for (const e of ticketEvents) {
      const change = bookingFollows(q, e);
      if (change) yield change.compile();
    }
  }

  if (webhooks) yield* webhooks.enqueueEvents(hallId, fresh);
  // A 差评 opens its follow-up in the same transaction that keeps the rating.
  if (followUps) yield* followUps.openFromEvents(hallId, fresh);

  yield q
    .insertInto("records_cursors")
    .values({ hall_id: hallId, epoch: last.epoch, seq: last.seq, at: last.at })
    .onConflict((oc) => oc.column("hall_id").doUpdateSet({ epoch: last.epoch, seq: last.seq, at: last.at }))
    .compile();
}

export type Runner = <T>(plan: Plan<T>) => Promise<T>;

/** Runs a plan in one synchronous better-sqlite3 transaction (BEGIN IMMEDIATE: it will write). */
export function sqliteRunner(database: SqliteDatabase): Runner {
  const run = database.transaction((plan: Plan<unknown>) => {
    let rows: readonly unknown[] = [];
    for (let step = plan.next(rows); ; step = plan.next(rows)) {
      if (step.done) return step.value;
      const stmt = database.prepare(step.value.sql);
      const params = step.value.parameters as unknown[];
      rows = stmt.reader ? stmt.all(...params) : (stmt.run(...params), []);
    }
  }).immediate;
  return async <T>(plan: Plan<T>) => run(plan) as T;
}

/** Runs a plan in one Kysely transaction (PostgreSQL). */
export function kyselyRunner(db: Kysely<RecordsDatabase>): Runner {
  return <T>(plan: Plan<T>) =>
    db.transaction().execute(async (trx) => {
      let rows: readonly unknown[] = [];
      for (let step = plan.next(rows); ; step = plan.next(rows)) {
        if (step.done) return step.value;
        rows = (await trx.executeQuery(step.value)).rows;
      }
    });
}

export interface KyselyRecordsOptions {
  kind: RecordsStore["kind"];
  db: Kysely<RecordsDatabase>;
  run: Runner;
  /** Resolves once the tables are migrated; asked again before each operation until it has. */
  ready: () => Promise<void>;
  bookings: BookingStore;
  hours: HoursStore;
  /**
   * The webhook outbox, when a part of the records (cases, follow-ups) enqueues deliveries in its
   * own plans and so needs the same one; else the records make their own.
   */
  webhooks?: WebhookOutbox;
  /** Releases what the records opened (not a database they were given). */
  close: () => Promise<void>;
}

/** What the records' parts (bookings, hours) share with the records. */
export type RecordsParts = Pick<KyselyRecordsOptions, "kind" | "db" | "run" | "ready">;

export class KyselyRecords implements RecordsStore {
  readonly kind: RecordsStore["kind"];
  readonly db: Kysely<RecordsDatabase>;
  readonly bookings: BookingStore;
  readonly hours: HoursStore;
  readonly webhooks: WebhookOutbox;
  readonly followUps: FollowUpStore;
  readonly cases: CaseStore;
  private closed = false;

  constructor(private readonly opts: KyselyRecordsOptions) {
    this.kind = opts.kind;
    this.db = opts.db;
    this.bookings = opts.bookings;
    this.hours = opts.hours;
    this.webhooks = opts.webhooks ?? new WebhookOutbox(opts);
    this.followUps = new KyselyFollowUps(opts, this.webhooks);
    this.cases = new KyselyCases(opts, this.webhooks);
  }

  async append(hallId: string, events: readonly HallEvent[]): Promise<void> {
    if (!events.length) return;
    await this.opts.ready();
    await this.opts.run(appendPlan(this.db, hallId, events, this.webhooks, this.followUps));
  }

  async cursor(hallId: string): Promise<RecordsCursor | null> {
    await this.opts.ready();
    const row = await this.db.selectFrom("records_cursors").select(["epoch", "seq"]).where("hall_id", "=", hallId).executeTakeFirst();
    return row ? { epoch: row.epoch, seq: Number(row.seq) } : null;
  }

  async events(hallId: string): Promise<HallEvent[]> {
    await this.opts.ready();
    const rows = await this.db.selectFrom("records_events").select("event").where("hall_id", "=", hallId).orderBy("at").orderBy("seq").execute();
    return rows.map((r) => JSON.parse(r.event) as HallEvent);
  }

  async tickets(hallId: string, from: string, to: string): Promise<TicketsTable[]> {
    await this.opts.ready();
    return this.db
      .selectFrom("records_tickets")
      .selectAll()
      .where("hall_id", "=", hallId)
      .where("business_date", ">=", from)
      .where("business_date", "<=", to)
      .orderBy("issued_at")
      .orderBy("ticket_id")
      .execute();
  }

  async erasePersonal(hallId: string, before: string): Promise<number> {
    await this.opts.ready();
    let erased = 0;
    for (;;) {
      // Only events whose ticket still carries free text: the JSON has the field with a value.
      const rows = await this.db
        .selectFrom("records_events")
        .select(["epoch", "seq", "event"])
        .where("hall_id", "=", hallId)
        .where("business_date", "<", before)
        .where((eb) => eb.or(PERSONAL_JSON_PATTERNS.map((p) => eb("event", "like", p))))
        .limit(500)
        .execute();
      if (!rows.length) return erased;
      for (const row of rows) {
        const event = eventWithoutPersonal(JSON.parse(row.event) as HallEvent);
        await this.db.updateTable("records_events").set({ event: JSON.stringify(event) }).where("hall_id", "=", hallId).where("epoch", "=", row.epoch).where("seq", "=", row.seq).execute();
      }
      erased += rows.length;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.opts.close();
  }
}
