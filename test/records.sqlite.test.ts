import Database from "better-sqlite3";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRecords } from "../server/records/open.js";
import { describeRecordsContract, HallScript } from "./records.contract.js";
import { ManualClock } from "../server/domain/clock.js";
import { MemoryStore } from "../server/store/memory/memory-store.js";
import { T0 } from "./store.contract.js";
import { Kysely, SqliteDialect } from "kysely";
import type { RecordsDatabase } from "../server/records/schema.js";
import { describeRatingsMigration } from "./records-migration.contract.js";

describeRecordsContract("SQLite in memory", () => openRecords({ sqlite: ":memory:" }));

describe("records on SQLite files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "hallcall-records-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("are still there when the file is opened again", async () => {
    const file = join(dir, "reopen.db");
    const hall = await new HallScript(new MemoryStore(), new ManualClock(T0)).load();
    await hall.issue("social");
    const first = await openRecords({ sqlite: file });
    await first.append(hall.hallId, await hall.log());
    await first.close();
    const second = await openRecords({ sqlite: file });
    expect(await second.events(hall.hallId)).toEqual(await hall.log());
    await second.close();
  });

  it("share a connection they were given, and leave it open", async () => {
    const db = new Database(join(dir, "shared.db"));
    db.exec("CREATE TABLE store_owned (id INTEGER PRIMARY KEY)");
    const records = await openRecords({ sqlite: db });
    const hall = await new HallScript(new MemoryStore(), new ManualClock(T0)).load();
    await hall.issue("social");
    await records.append(hall.hallId, await hall.log());
    await records.close();
    expect(db.open).toBe(true);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(["records_bookings", "records_case_steps", "records_cases", "records_cursors", "records_events", "records_follow_up_steps", "records_follow_ups", "records_hours", "records_migration", "records_migration_lock", "records_ratings", "records_secrets", "records_tickets", "records_webhook_outbox", "store_owned"]);
    db.close();
  });
});

describeRatingsMigration("SQLite in memory", async () => {
  const db = new Kysely<RecordsDatabase>({ dialect: new SqliteDialect({ database: new Database(":memory:") }) });
  return { db, drop: () => db.destroy() };
});
