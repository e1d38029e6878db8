import { describe, expect, it } from "vitest";
import { openRecords } from "../server/records/open.js";
import { useTestDatabase } from "./helpers/postgres.js";
import { T0 } from "./store.contract.js";
import { describeBookingsContract } from "./bookings.contract.js";

const pgdb = useTestDatabase("bookings");

describeBookingsContract("PostgreSQL", () => openRecords({ databaseUrl: pgdb.url }));

describe("bookings on one PostgreSQL for several nodes", () => {
  it("every node hashes a phone alike, with the key the first one made", async () => {
    const nodes = await Promise.all([openRecords({ databaseUrl: pgdb.url }), openRecords({ databaseUrl: pgdb.url })]);
    const booking = (date: string) => ({ hallId: "nodes", serviceId: "social", date, slot: "09:00", slotStart: T0, name: "张三", phone: "13800138000", now: T0 });
    const [a, b] = await Promise.all([nodes[0]!.bookings.book(booking("2026-03-03"), "2026-01-01", () => {}), nodes[1]!.bookings.book(booking("2026-03-04"), "2026-01-01", () => {})]);
    expect(a.phoneKey).toBe(b.phoneKey);
    expect(await pgdb.query("SELECT name FROM records_secrets")).toEqual([{ name: "phoneKey" }]);
    await Promise.all(nodes.map((n) => n.close()));
  });
});
