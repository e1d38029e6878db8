/**
 * Records kept before ratings were per step (migration 0007) keep their meaning after it, on
 * every database: each ticket's one rating becomes a rating of its service (the window and staff
 * its row names), each follow-up the follow-up of that rating, and two steps of one bundle may
 * then both open a follow-up. Run it with `describeRatingsMigration(name, openDb)`.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sql, type Kysely } from "kysely";
import { migrateRecords } from "../server/records/migrations.js";
import type { RecordsDatabase } from "../server/records/schema.js";

const HALL = "h-before";
const DAY = "2026-03-02";
const AT = 1_772_416_800_000;

/** A ticket's row as migration 0001 made it: `rating` its one rating, at the window and staff that last held it. */
const ticketRow = (ticketId: string, rating: number | null, bundle: { step: number; steps: number } = { step: 0, steps: 1 }) => ({
  hall_id: HALL,
  business_date: DAY,
  ticket_id: ticketId,
  number: ticketId.toUpperCase(),
  service_id: bundle.steps > 1 ? "medical" : "social",
  priority: "normal",
  channel: "kiosk",
  state: "finished" as const,
  outcome: "finished" as const,
  issued_at: AT,
  called_at: AT + 60_000,
  serving_at: AT + 60_000,
  ended_at: AT + 360_000,
  wait_sec: 60,
  service_sec: 300,
  window_id: bundle.steps > 1 ? "w2" : "w1",
  staff_id: bundle.steps > 1 ? "bob" : "alice",
  rating,
  transferred: 0,
  bundle_step: bundle.step,
  bundle_steps: bundle.steps,
  last_epoch: `${DAY}.0`,
  last_seq: 1,
  updated_at: AT + 400_000,
});

/** An empty database of its own, and how to be rid of it. */
export interface EmptyDatabase {
  db: Kysely<RecordsDatabase>;
  drop(): Promise<void>;
}

export function describeRatingsMigration(name: string, openDb: () => Promise<EmptyDatabase>): void {
  describe(`the per-step ratings migration on ${name}`, () => {
    let db: Kysely<RecordsDatabase>;
    let empty: EmptyDatabase;
    beforeEach(async () => {
      empty = await openDb();
      db = empty.db;
      await migrateRecords(db as Kysely<unknown>, "0006-cases");
      await db.insertInto("records_tickets").values([ticketRow("single", 2), ticketRow("bundle", 4, { step: 1, steps: 2 }), ticketRow("unrated", null)]).execute();
      await sql`insert into records_follow_ups (hall_id, id, ticket_id, business_date, number, service_id, window_id, staff_id, rating, source, state, reached, rectified, appealed, opened_at, due_date, closed_at, closed_date, steps, updated_at)
        values (${HALL}, ${"f1"}, ${"single"}, ${DAY}, ${"SINGLE"}, ${"social"}, ${"w1"}, ${"alice"}, ${2}, ${"pad"}, ${"calledBack"}, ${1}, ${0}, ${0}, ${AT + 400_000}, ${"2026-03-09"}, ${null}, ${null}, ${2}, ${AT + 500_000})`.execute(db);
      await migrateRecords(db as Kysely<unknown>);
    });
    afterEach(async () => {
      await empty.drop();
    });

    it("each ticket's rating becomes the rating of the service its row names", async () => {
      const rows = await db.selectFrom("records_ratings").selectAll().orderBy("ticket_id").execute();
      expect(rows.map((r) => [r.ticket_id, r.scope, Number(r.step), r.service_id, r.window_id, r.staff_id, Number(r.rating), Number(r.issued_at), Number(r.at)])).toEqual([
        ["bundle", "service", 1, "medical", "w2", "bob", 4, AT, AT + 400_000],
        ["single", "service", 0, "social", "w1", "alice", 2, AT, AT + 400_000],
      ]);
    });

    it("a follow-up keeps its state and steps, as the follow-up of its ticket's service", async () => {
      const rows = await db.selectFrom("records_follow_ups").selectAll().execute();
      expect(rows.map((r) => [r.id, r.ticket_id, r.scope, Number(r.step), Number(r.rating), r.state, Number(r.reached), Number(r.steps), r.due_date])).toEqual([["f1", "single", "service", 0, 2, "calledBack", 1, 2, "2026-03-09"]]);
    });

    it("then two steps of one ticket may each have a follow-up of the same level, and one step only one", async () => {
      const followUp = (id: string, step: number) => ({ ...{ hall_id: HALL, ticket_id: "bundle", business_date: DAY, number: "BUNDLE", service_id: "medical", window_id: "w2", staff_id: "bob", rating: 2 }, id, scope: "service" as const, step, source: "pad", state: "open" as const, reached: 0, rectified: 0, appealed: 0, opened_at: AT, due_date: "2026-03-09", closed_at: null, closed_date: null, steps: 1, updated_at: AT });
      await db.insertInto("records_follow_ups").values([followUp("f2", 0), followUp("f3", 1)]).execute();
      await expect(db.insertInto("records_follow_ups").values(followUp("f4", 1)).execute()).rejects.toThrow();
      expect((await db.selectFrom("records_follow_ups").select("id").where("ticket_id", "=", "bundle").orderBy("id").execute()).map((r) => r.id)).toEqual(["f2", "f3"]);
    });
  });
}
