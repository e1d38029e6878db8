/**
 * The store contract on the SQLite store, each test on a fresh file in a temp directory, and what
 * only a file gives: a hall closed and opened again is the hall it was.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HallEvent, type Ticket } from "../protocol/index.js";
import { instantOf } from "../server/domain/clock.js";
import type { Actor, CommandContext, StoreCommand } from "../server/domain/hall-commands.js";
import { openHallDatabase } from "../server/store/sqlite/database.js";
import { CHECKPOINT_EVERY, createSqliteStore, SqliteStore } from "../server/store/sqlite/sqlite-store.js";
import { comparable, contractHall, describeStoreContract, HALL, T0, TZ, wire } from "./store.contract.js";

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "hallcall-sqlite-"));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describeStoreContract("sqlite", async () => createSqliteStore(await tempDir()));

describe("a hall kept in its SQLite file", () => {
  const ctx = (now: number, by: Actor = "staff"): CommandContext => ({ now, by, staffId: null });
  const exec = async (store: SqliteStore, cmd: StoreCommand, now: number, by: Actor = "staff") => HallEvent.parse((await store.execute(HALL, cmd, ctx(now, by))).event);
  const ticketOf = (e: HallEvent): Ticket => (e as Extract<HallEvent, { type: "ticket:issued" }>).ticket;

  /** A morning: tickets, windows, a service, a rating, a paused window, the balancer suggesting. */
  async function morning(store: SqliteStore) {
    await exec(store, { name: "window:signIn", payload: { windowId: "w1", staffId: "alice" } }, T0);
    await exec(store, { name: "window:signIn", payload: { windowId: "w4", staffId: "bob" } }, T0);
    const issue = wire("ticket:issue", { serviceId: "social" });
    const first = ticketOf(await exec(store, issue, T0, "kiosk"));
    const second = ticketOf(await exec(store, wire("ticket:issue", { serviceId: "social" }), T0 + 1000, "kiosk"));
    await exec(store, wire("window:callNext", { windowId: "w1" }), T0 + 2000);
    await exec(store, wire("ticket:start", { windowId: "w1" }), T0 + 3000);
    await exec(store, wire("ticket:finish", { windowId: "w1" }), T0 + 60_000);
    await exec(store, wire("ticket:rate", { windowId: "w1", ticketId: first.id, rating: 5 }), T0 + 61_000, "pad");
    await exec(store, wire("window:pause", { windowId: "w4", reason: "break" }), T0 + 62_000);
    await exec(store, wire("balancer:setMode", { mode: "suggest" }), T0 + 63_000, "manager");
    return { issue, first, second };
  }

  it("closed and opened again, the hall has the same snapshot, tickets and log, and numbering goes on", async () => {
    const dir = await tempDir();
    const before = createSqliteStore(dir);
    await before.loadHall(contractHall(), T0);
    const { first, second } = await morning(before);
    const snapshot = await before.snapshot(HALL);
    const log = await before.eventsSince(HALL, 0);
    await before.close();

    const after = createSqliteStore(dir);
    await after.loadHall(contractHall(), T0 + 3_600_000);
    expect(comparable(await after.snapshot(HALL))).toEqual(comparable(snapshot));
    expect(await after.eventsSince(HALL, 0)).toEqual(log);
    expect(await after.ticket(HALL, first.id)).toMatchObject({ state: "finished", rating: 5 });
    expect(await after.ticket(HALL, second.id)).toMatchObject({ state: "waiting", number: "A002" });
    const third = ticketOf(await exec(after, wire("ticket:issue", { serviceId: "social" }), T0 + 3_600_000, "kiosk"));
    expect(third).toMatchObject({ number: "A003" });
    expect((await after.snapshot(HALL)).epoch).toBe(snapshot.epoch);
    await after.close();
  });

  it("a commandId repeated after a reopen answers its first result and commits nothing", async () => {
    const dir = await tempDir();
    const before = createSqliteStore(dir);
    await before.loadHall(contractHall(), T0);
    const { issue, first } = await morning(before);
    await before.close();

    const after = createSqliteStore(dir);
    await after.loadHall(contractHall(), T0);
    const seq = (await after.snapshot(HALL)).seq;
    const again = await after.execute(HALL, issue, ctx(T0 + 5_000, "kiosk"));
    expect(again).toMatchObject({ replayed: true, committed: [] });
    expect(ticketOf(again.event).id).toBe(first.id);
    await expect(after.execute(HALL, { ...issue, payload: { ...issue.payload, serviceId: "medical" } } as StoreCommand, ctx(T0 + 5_000, "kiosk"))).rejects.toMatchObject({ code: "IDEMPOTENCY_CONFLICT" });
    expect((await after.snapshot(HALL)).seq).toBe(seq);
    await after.close();
  });

  it("a ticket that ended before the last checkpoint is still found today after a reopen, and no longer on the next day", async () => {
    const dir = await tempDir();
    const before = createSqliteStore(dir);
    await before.loadHall(contractHall(), T0);
    const { first } = await morning(before);
    // Enough pauses and resumes to write a checkpoint after the ticket ended.
    for (let i = 0; i < CHECKPOINT_EVERY; i++) await exec(before, wire(i % 2 ? "window:resume" : "window:pause", { windowId: "w1", ...(i % 2 ? {} : { reason: "break" }) }), T0 + 70_000 + i);
    await before.close();
    const checkpointSeq = (openHallDatabase(dir).prepare("SELECT seq FROM store_checkpoints").get() as { seq: number }).seq;
    expect(checkpointSeq).toBeGreaterThan(10);

    const after = createSqliteStore(dir);
    await after.loadHall(contractHall(), T0);
    expect(await after.ticket(HALL, first.id)).toMatchObject({ state: "finished", rating: 5 });
    await exec(after, { name: "hall:startDay", payload: {} }, instantOf("2026-03-03", "00:00", TZ), "system");
    expect(await after.ticket(HALL, first.id)).toBeNull();
    await after.close();
  });

  it("ended tickets of past days stay in the file by hall, business date and id", async () => {
    const dir = await tempDir();
    const store = createSqliteStore(dir);
    await store.loadHall(contractHall(), T0);
    const { first } = await morning(store);
    await exec(store, { name: "hall:startDay", payload: {} }, instantOf("2026-03-03", "00:00", TZ), "system");
    const row = store.db.prepare("SELECT ticket FROM store_tickets WHERE hall_id = ? AND business_date = ? AND ticket_id = ?").get(HALL, "2026-03-02", first.id) as { ticket: string };
    expect(JSON.parse(row.ticket)).toMatchObject({ id: first.id, state: "finished", rating: 5 });
    await store.close();
  });

  it("the retention rule erases a citizen's park reason and missing documents from the file's past days, and keeps the rest", async () => {
    const store = createSqliteStore(await tempDir());
    await store.loadHall(contractHall(), T0);
    await exec(store, { name: "window:signIn", payload: { windowId: "w1", staffId: "alice" } }, T0);
    const parked = ticketOf(await exec(store, wire("ticket:issue", { serviceId: "social" }), T0, "kiosk"));
    await exec(store, wire("window:callNext", { windowId: "w1" }), T0 + 1000);
    await exec(store, wire("ticket:park", { windowId: "w1", reason: "张三 缺身份证", missingDocs: ["身份证"] }), T0 + 2000);
    await exec(store, wire("ticket:cancel", { ticketId: parked.id }), T0 + 3000);
    await exec(store, { name: "hall:startDay", payload: {} }, instantOf("2026-03-03", "00:00", TZ), "system");
    const rows = () => JSON.stringify([store.db.prepare("SELECT event FROM store_events").all(), store.db.prepare("SELECT ticket FROM store_tickets").all()]);
    expect(rows()).toContain("张三");

    expect(await store.erasePersonal(HALL, "2026-03-03")).toBeGreaterThan(0);
    expect(rows()).not.toContain("张三");
    expect(rows()).not.toContain("身份证");
    const log = await store.eventsSince(HALL, 0, 100);
    expect(log.filter((e) => "ticket" in e && e.ticket.id === parked.id).map((e) => e.type)).toEqual(["ticket:issued", "ticket:called", "ticket:parked", "ticket:cancelled"]);
    expect(await store.erasePersonal(HALL, "2026-03-03")).toBe(0);
    await store.close();
  });

  it("the retention rule erases a booking's name from the file's past days, and a second run finds nothing left", async () => {
    const store = createSqliteStore(await tempDir());
    await store.loadHall(contractHall(), T0);
    const booking = { id: "bk-1", serviceId: "social", date: "2026-03-02", slot: "10:00", name: "欧**" };
    const booked = ticketOf(await exec(store, { name: "ticket:checkIn", payload: { commandId: "checkin-bk-1", priority: "normal", booking } }, T0, "kiosk"));
    await exec(store, wire("ticket:cancel", { ticketId: booked.id }), T0 + 1000);
    await exec(store, { name: "hall:startDay", payload: {} }, instantOf("2026-03-03", "00:00", TZ), "system");
    const rows = () => JSON.stringify([store.db.prepare("SELECT event FROM store_events").all(), store.db.prepare("SELECT ticket FROM store_tickets").all()]);
    expect(rows()).toContain("欧**");

    expect(await store.erasePersonal(HALL, "2026-03-03")).toBeGreaterThan(0);
    expect(rows()).not.toContain("欧**");
    const issued = (await store.eventsSince(HALL, 0, 100)).find((e) => e.type === "ticket:issued");
    expect(issued && "ticket" in issued && issued.ticket.appointment).toMatchObject({ bookingId: "bk-1", slot: "10:00", name: null });
    expect(await store.erasePersonal(HALL, "2026-03-03")).toBe(0);
    await store.close();
  });

  it("a second store on the same file cannot commit over what the first committed since it opened", async () => {
    const dir = await tempDir();
    const first = createSqliteStore(dir);
    const second = createSqliteStore(dir);
    await first.loadHall(contractHall(), T0);
    await second.loadHall(contractHall(), T0);
    const a1 = ticketOf(await exec(first, wire("ticket:issue", { serviceId: "social" }), T0, "kiosk"));
    await expect(exec(second, wire("ticket:issue", { serviceId: "social" }), T0, "kiosk")).rejects.toThrow(/UNIQUE|PRIMARY KEY/);
    expect((await first.eventsSince(HALL, 0)).map((e) => e.type === "ticket:issued" && e.ticket.id)).toEqual([a1.id]);
    await Promise.all([first.close(), second.close()]);
  });

  it("a store on a handle the caller opened leaves it open, with the store's tables beside the caller's", async () => {
    const db = openHallDatabase(await tempDir());
    db.exec("CREATE TABLE records_example (x INTEGER)");
    const store = new SqliteStore(db);
    await store.loadHall(contractHall(), T0);
    await store.close();
    expect(db.open).toBe(true);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(["records_example", "store_checkpoints", "store_events", "store_results", "store_tickets"]);
    db.close();
  });
});
