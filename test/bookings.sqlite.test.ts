import Database from "better-sqlite3";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { phoneKeyOf } from "../server/records/kysely-bookings.js";
import { openRecords } from "../server/records/open.js";
import { ManualClock } from "../server/domain/clock.js";
import { createSqliteStore, SqliteStore } from "../server/store/sqlite/sqlite-store.js";
import { HallScript } from "./records.contract.js";
import { contractHall, T0 } from "./store.contract.js";
import { describeBookingsContract } from "./bookings.contract.js";

describeBookingsContract("SQLite in memory", () => openRecords({ sqlite: ":memory:" }));

describe("the phone key on SQLite", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "hallcall-bookings-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const newBooking = { hallId: "h1", serviceId: "social", date: "2026-03-03", slot: "09:00", slotStart: T0, name: "张三", phone: "13800138000", now: T0 };

  it("a configured key is the one phones are hashed with", async () => {
    const key = "a-key-of-the-deployment-0123456789";
    const records = await openRecords({ sqlite: ":memory:", phoneKey: key });
    const b = await records.bookings.book(newBooking, "2026-01-01", () => {});
    expect(b.phoneKey).toBe(phoneKeyOf("13800138000", key));
    await records.close();
  });

  it("without one, the key made for the file is the same when it is opened again", async () => {
    const file = join(dir, "key.db");
    const first = await openRecords({ sqlite: file });
    const before = await first.bookings.book(newBooking, "2026-01-01", () => {});
    await first.close();
    const second = await openRecords({ sqlite: new Database(file) });
    const after = await second.bookings.book({ ...newBooking, date: "2026-03-04" }, "2026-01-01", () => {});
    expect(after.phoneKey).toBe(before.phoneKey);
    await second.close();
  });

  it("on the embedded store's own connection, refused bookings roll back nothing the store committed meanwhile", async () => {
    const sub = join(dir, "shared");
    const store = createSqliteStore(sub);
    const records = await openRecords({ sqlite: store.db });
    const hall = new HallScript(store, new ManualClock(T0), "shared");
    await store.loadHall(contractHall({ id: hall.hallId }), T0);
    let seats = 2;
    const full = () => {
      if (seats-- <= 0) throw Object.assign(new Error("full"), { code: "SLOT_FULL" });
    };
    const bookings = Array.from({ length: 6 }, (_, i) => records.bookings.book({ ...newBooking, phone: `1380013800${i}` }, "2026-01-01", full));
    const tickets = Array.from({ length: 6 }, () => hall.issue("social"));
    const results = await Promise.allSettled([...bookings, ...tickets]);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(4);
    expect((await store.snapshot(hall.hallId)).tickets).toHaveLength(6);
    await records.close();
    await store.close();
    const reopened = new SqliteStore(new Database(join(sub, "hallcall.db")), true);
    await reopened.loadHall(contractHall({ id: hall.hallId }), T0);
    expect((await reopened.snapshot(hall.hallId)).tickets).toHaveLength(6);
    await reopened.close();
  });

  it("a short key is refused at start", async () => {
    await expect(openRecords({ sqlite: ":memory:", phoneKey: "short" })).rejects.toThrow(/16 characters/);
  });
});
