/**
 * The records' migrations, in code so that the server and tests need no migration folder. One
 * Kysely Migrator runs them at startup (openRecords) on SQLite or PostgreSQL; its own bookkeeping
 * tables are prefixed `records_` too, so they do not meet the embedded store's in a shared file.
 * A migration, once released, is never edited: a change is a new one.
 */
import { sql, type Kysely } from "kysely";
import { Migrator, type Migration } from "kysely/migration";

const migrations: Record<string, Migration> = {
  "0001-events-tickets-cursors": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("records_events")
        .addColumn("hall_id", "text", (c) => c.notNull())
        .addColumn("epoch", "text", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("business_date", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addColumn("event", "text", (c) => c.notNull())
        // The issue asks for (hall, business date, seq). The epoch starts with the business date and
        // changes again when a store rebases after a restore, when seqs start over below ones
        // already logged that day: (hall, epoch, seq) keeps those events too, and is still one key
        // per logged event, so a repeat is ignored.
        .addPrimaryKeyConstraint("records_events_pk", ["hall_id", "epoch", "seq"])
        .execute();
      await db.schema.createIndex("records_events_by_day").on("records_events").columns(["hall_id", "business_date", "at"]).execute();

      await db.schema
        .createTable("records_tickets")
        .addColumn("hall_id", "text", (c) => c.notNull())
        .addColumn("business_date", "text", (c) => c.notNull())
        .addColumn("ticket_id", "text", (c) => c.notNull())
        .addColumn("number", "text", (c) => c.notNull())
        .addColumn("service_id", "text", (c) => c.notNull())
        .addColumn("priority", "text", (c) => c.notNull())
        .addColumn("channel", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("outcome", "text")
        .addColumn("issued_at", "bigint", (c) => c.notNull())
        .addColumn("called_at", "bigint")
        .addColumn("serving_at", "bigint")
        .addColumn("ended_at", "bigint")
        .addColumn("wait_sec", "double precision")
        .addColumn("service_sec", "double precision")
        .addColumn("window_id", "text")
        .addColumn("staff_id", "text")
        .addColumn("rating", "integer")
        .addColumn("transferred", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("bundle_step", "integer", (c) => c.notNull())
        .addColumn("bundle_steps", "integer", (c) => c.notNull())
        .addColumn("last_epoch", "text", (c) => c.notNull())
        .addColumn("last_seq", "integer", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("records_tickets_pk", ["hall_id", "business_date", "ticket_id"])
        .execute();
      // Folding a batch looks its tickets up by id alone (an event does not say which day a row is under).
      await db.schema.createIndex("records_tickets_by_id").on("records_tickets").columns(["hall_id", "ticket_id"]).execute();

      await db.schema
        .createTable("records_cursors")
        .addColumn("hall_id", "text", (c) => c.primaryKey())
        .addColumn("epoch", "text", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("at", "bigint", (c) => c.notNull())
        .execute();
    },
  },
  "0002-bookings-hours-secrets": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("records_bookings")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("code", "text", (c) => c.notNull().unique())
        .addColumn("hall_id", "text", (c) => c.notNull())
        .addColumn("service_id", "text", (c) => c.notNull())
        .addColumn("date", "text", (c) => c.notNull())
        .addColumn("slot", "text", (c) => c.notNull())
        .addColumn("slot_start", "bigint", (c) => c.notNull())
        .addColumn("name", "text")
        .addColumn("phone", "text")
        .addColumn("phone_key", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("ticket_id", "text")
        .addColumn("ticket_number", "text")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      // A slot's load and a day's list; a phone's bookings (DUPLICATE_BOOKING, the credit rule).
      await db.schema.createIndex("records_bookings_by_slot").on("records_bookings").columns(["hall_id", "service_id", "date", "slot"]).execute();
      await db.schema.createIndex("records_bookings_by_phone").on("records_bookings").columns(["hall_id", "phone_key"]).execute();
      await db.schema.createIndex("records_bookings_by_date").on("records_bookings").columns(["hall_id", "date"]).execute();

      await db.schema
        .createTable("records_hours")
        .addColumn("hall_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("hours", "text", (c) => c.notNull())
        .addColumn("by", "text", (c) => c.notNull())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("records_hours_pk", ["hall_id", "version"])
        .execute();

      await db.schema
        .createTable("records_secrets")
        .addColumn("name", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();
    },
  },
  "0003-webhook-outbox": {
    async up(db: Kysely<unknown>) {
      // Each delivery to each endpoint, from its enqueueing (in the transaction that made it) to
      // delivered or failed: server/records/webhook-outbox.ts.
      await db.schema
        .createTable("records_webhook_outbox")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("hall_id", "text", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("position", "bigint", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addColumn("next_at", "bigint", (c) => c.notNull())
        // Null until the first attempt fails: the 24 hours of retries count from the first attempt.
        .addColumn("expires_at", "bigint")
        .addColumn("delivered_at", "bigint")
        .addColumn("last_status", "integer")
        .addColumn("last_error", "text")
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addUniqueConstraint("records_webhook_outbox_order", ["hall_id", "position"])
        .execute();
      // The sender's question: each endpoint's oldest pending delivery; the console's: a state's list.
      await db.schema.createIndex("records_webhook_outbox_by_state").on("records_webhook_outbox").columns(["hall_id", "state", "url", "position"]).execute();
    },
  },
  "0004-follow-ups": {
    async up(db: Kysely<unknown>) {
      // 差评回访整改: one row per follow-up a 不满意 or 非常不满意 rating opened (server/records/follow-ups.ts).
      await db.schema
        .createTable("records_follow_ups")
        .addColumn("hall_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("ticket_id", "text", (c) => c.notNull())
        .addColumn("business_date", "text", (c) => c.notNull())
        .addColumn("number", "text", (c) => c.notNull())
        .addColumn("service_id", "text", (c) => c.notNull())
        .addColumn("window_id", "text")
        .addColumn("staff_id", "text")
        .addColumn("rating", "integer", (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("reached", "integer", (c) => c.notNull())
        .addColumn("rectified", "integer", (c) => c.notNull())
        .addColumn("appealed", "integer", (c) => c.notNull())
        .addColumn("opened_at", "bigint", (c) => c.notNull())
        .addColumn("due_date", "text", (c) => c.notNull())
        .addColumn("closed_at", "bigint")
        .addColumn("closed_date", "text")
        .addColumn("steps", "integer", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("records_follow_ups_pk", ["hall_id", "id"])
        // A rating opens one follow-up however often its event is archived (a batch again, a rebase).
        .addUniqueConstraint("records_follow_ups_per_rating", ["hall_id", "ticket_id", "rating"])
        .execute();
      await db.schema.createIndex("records_follow_ups_by_state").on("records_follow_ups").columns(["hall_id", "state", "due_date"]).execute();
      await db.schema.createIndex("records_follow_ups_by_day").on("records_follow_ups").columns(["hall_id", "business_date"]).execute();

      await db.schema
        .createTable("records_follow_up_steps")
        .addColumn("hall_id", "text", (c) => c.notNull())
        .addColumn("follow_up_id", "text", (c) => c.notNull())
        .addColumn("n", "integer", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("by", "text", (c) => c.notNull())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addColumn("reached", "integer")
        .addColumn("note", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("records_follow_up_steps_pk", ["hall_id", "follow_up_id", "n"])
        .execute();
    },
  },
  "0005-event-actors": {
    async up(db: Kysely<unknown>) {
      // Who caused each event and whether a call was 指定叫号, as columns: the audit trail
      // (server/records/audit.ts) filters on them in SQL. Null on rows archived before; actors
      // ship with this migration, and a call's `chosen` is read from its JSON once here.
      await db.schema.alterTable("records_events").addColumn("actor_kind", "text").execute();
      await db.schema.alterTable("records_events").addColumn("actor_id", "text").execute();
      await db.schema.alterTable("records_events").addColumn("chosen", "integer").execute();
      await sql`update records_events set chosen = case when event like ${'%"chosen":{%'} then 1 else 0 end where type = 'ticket:called'`.execute(db);
      await db.schema.createIndex("records_events_by_actor").on("records_events").columns(["hall_id", "actor_id", "at"]).execute();
    },
  },
  "0006-cases": {
    async up(db: Kysely<unknown>) {
      // Cases (工单) of the 办不成事 window (server/records/cases.ts), and every step of each.
      await db.schema
        .createTable("records_cases")
        .addColumn("hall_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("number", "text", (c) => c.notNull())
        .addColumn("business_date", "text", (c) => c.notNull())
        .addColumn("day_seq", "integer", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("category", "text", (c) => c.notNull())
        .addColumn("summary", "text", (c) => c.notNull())
        .addColumn("departments", "text", (c) => c.notNull())
        .addColumn("phone", "text")
        .addColumn("ticket_id", "text", (c) => c.notNull())
        .addColumn("ticket_number", "text", (c) => c.notNull())
        .addColumn("window_id", "text", (c) => c.notNull())
        .addColumn("opened_at", "bigint", (c) => c.notNull())
        .addColumn("opened_by", "text", (c) => c.notNull())
        .addColumn("due_date", "text", (c) => c.notNull())
        .addColumn("resolution", "text")
        .addColumn("resolved_at", "bigint")
        .addColumn("resolved_date", "text")
        .addColumn("closed_at", "bigint")
        .addColumn("closed_date", "text")
        .addColumn("rating", "integer")
        .addColumn("steps", "integer", (c) => c.notNull())
        .addColumn("command_id", "text", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("records_cases_pk", ["hall_id", "id"])
        .addUniqueConstraint("records_cases_by_key", ["hall_id", "key"])
        // Two openings never share a number, nor a repeated case:open a second case.
        .addUniqueConstraint("records_cases_by_number", ["hall_id", "business_date", "day_seq"])
        .addUniqueConstraint("records_cases_by_command", ["hall_id", "command_id"])
        .execute();
      await db.schema.createIndex("records_cases_by_state").on("records_cases").columns(["hall_id", "state", "due_date"]).execute();

      await db.schema
        .createTable("records_case_steps")
        .addColumn("hall_id", "text", (c) => c.notNull())
        .addColumn("case_id", "text", (c) => c.notNull())
        .addColumn("n", "integer", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("by", "text", (c) => c.notNull())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("command_id", "text")
        .addPrimaryKeyConstraint("records_case_steps_pk", ["hall_id", "case_id", "n"])
        // A repeated case:update or case:close records nothing twice (NULLs, the openings, are distinct).
        .addUniqueConstraint("records_case_steps_by_command", ["hall_id", "command_id"])
        .execute();
    },
  },
  "0007-ratings-per-step": {
    async up(db: Kysely<unknown>) {
      // Every rating, tied to what it rated (server/records/ratings.ts): a service event (a ticket of
      // one service, or a 一件事 bundle's step, with its service, window and staff), or a bundle's
      // whole matter (整件事), which is no window's. The reports count the first by window and staff,
      // the second apart. `step` is 0 for the whole matter (a key column cannot be null).
      await db.schema
        .createTable("records_ratings")
        .addColumn("hall_id", "text", (c) => c.notNull())
        .addColumn("business_date", "text", (c) => c.notNull())
        .addColumn("ticket_id", "text", (c) => c.notNull())
        .addColumn("scope", "text", (c) => c.notNull())
        .addColumn("step", "integer", (c) => c.notNull())
        .addColumn("service_id", "text")
        .addColumn("window_id", "text")
        .addColumn("staff_id", "text")
        .addColumn("issued_at", "bigint", (c) => c.notNull())
        .addColumn("rating", "integer", (c) => c.notNull())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("records_ratings_pk", ["hall_id", "ticket_id", "scope", "step"])
        .execute();
      await db.schema.createIndex("records_ratings_by_day").on("records_ratings").columns(["hall_id", "business_date"]).execute();
      // Until now a ticket had one rating, of the service (or last step) its row names.
      await sql`insert into records_ratings (hall_id, business_date, ticket_id, scope, step, service_id, window_id, staff_id, issued_at, rating, at)
        select hall_id, business_date, ticket_id, 'service', bundle_step, service_id, window_id, staff_id, issued_at, rating, updated_at
        from records_tickets where rating is not null`.execute(db);

      // A follow-up is of one rating: unique on what was rated, no longer on the ticket and level
      // (two steps of a bundle may both be 不满意). Neither database drops a unique constraint
      // the same way (SQLite cannot at all), so the table is made again with its rows.
      await sql`create table records_follow_ups_0006 as select * from records_follow_ups`.execute(db);
      await db.schema.dropTable("records_follow_ups").execute();
      await db.schema
        .createTable("records_follow_ups")
        .addColumn("hall_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("ticket_id", "text", (c) => c.notNull())
        .addColumn("business_date", "text", (c) => c.notNull())
        .addColumn("number", "text", (c) => c.notNull())
        .addColumn("service_id", "text", (c) => c.notNull())
        .addColumn("window_id", "text")
        .addColumn("staff_id", "text")
        .addColumn("rating", "integer", (c) => c.notNull())
        .addColumn("scope", "text", (c) => c.notNull())
        .addColumn("step", "integer", (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("reached", "integer", (c) => c.notNull())
        .addColumn("rectified", "integer", (c) => c.notNull())
        .addColumn("appealed", "integer", (c) => c.notNull())
        .addColumn("opened_at", "bigint", (c) => c.notNull())
        .addColumn("due_date", "text", (c) => c.notNull())
        .addColumn("closed_at", "bigint")
        .addColumn("closed_date", "text")
        .addColumn("steps", "integer", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("records_follow_ups_pk", ["hall_id", "id"])
        // A rating opens one follow-up however often its event is archived (a batch again, a rebase).
        .addUniqueConstraint("records_follow_ups_per_rating", ["hall_id", "ticket_id", "scope", "step"])
        .execute();
      await sql`insert into records_follow_ups (hall_id, id, ticket_id, business_date, number, service_id, window_id, staff_id, rating, scope, step, source, state, reached, rectified, appealed, opened_at, due_date, closed_at, closed_date, steps, updated_at)
        select f.hall_id, f.id, f.ticket_id, f.business_date, f.number, f.service_id, f.window_id, f.staff_id, f.rating, 'service',
          coalesce((select t.bundle_step from records_tickets t where t.hall_id = f.hall_id and t.business_date = f.business_date and t.ticket_id = f.ticket_id), 0),
          f.source, f.state, f.reached, f.rectified, f.appealed, f.opened_at, f.due_date, f.closed_at, f.closed_date, f.steps, f.updated_at
        from records_follow_ups_0006 f`.execute(db);
      await db.schema.dropTable("records_follow_ups_0006").execute();
      await db.schema.createIndex("records_follow_ups_by_state").on("records_follow_ups").columns(["hall_id", "state", "due_date"]).execute();
      await db.schema.createIndex("records_follow_ups_by_day").on("records_follow_ups").columns(["hall_id", "business_date"]).execute();
    },
  },
};

/**
 * Brings the records' tables to the latest version, or up to the named migration (a test of a
 * later one on the tables it finds); throws what the Migrator reports.
 */
export async function migrateRecords(db: Kysely<unknown>, upTo?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "records_migration",
    migrationLockTableName: "records_migration_lock",
  });
  const { error } = await (upTo === undefined ? migrator.migrateToLatest() : migrator.migrateTo(upTo));
  if (error) throw error instanceof Error ? error : new Error(`records migration failed: ${String(error)}`);
}
