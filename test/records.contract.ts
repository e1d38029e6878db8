/**
 * The records contract: what the kept history must hold, on every database (SQLite, PostgreSQL).
 * The events are real: commands decided by the domain on a memory store, read from its log.
 * Run it with `describeRecordsContract(name, openRecords)`.
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CommandInput, CommandName, HallEvent, Ticket } from "../protocol/index.js";
import { ManualClock } from "../server/domain/clock.js";
import type { Actor } from "../server/domain/hall-commands.js";
import type { RecordsStore } from "../server/records/records-store.js";
import { MemoryStore } from "../server/store/memory/memory-store.js";
import type { HallStore } from "../server/store/types.js";
import { contractHall, MIN, T0, wire } from "./store.contract.js";

/** A hall the tests act on through a real store, as its staff and kiosks would. */
export class HallScript {
  readonly hallId: string;
  constructor(
    readonly store: HallStore,
    readonly clock: ManualClock,
    hallId?: string,
  ) {
    this.hallId = hallId ?? `rec-${randomBytes(4).toString("hex")}`;
  }

  async load(): Promise<this> {
    await this.store.loadHall(contractHall({ id: this.hallId }), this.clock.now());
    return this;
  }

  async run<N extends CommandName>(name: N, payload: Omit<CommandInput<N>, "commandId">, by: Actor = "staff", staffId: string | null = "alice"): Promise<HallEvent> {
    const { event } = await this.store.execute(this.hallId, wire(name, payload), { now: this.clock.now(), by, staffId });
    return event;
  }

  /** The new business day, as the day watcher starts it. */
  async startDay(): Promise<HallEvent> {
    const { event } = await this.store.execute(this.hallId, { name: "hall:startDay", payload: {} }, { now: this.clock.now(), by: "system", staffId: null });
    return event;
  }

  async issue(serviceId: string, then: string[] = []): Promise<Ticket> {
    const e = await this.run("ticket:issue", { serviceId, then } as Omit<CommandInput<"ticket:issue">, "commandId">, "kiosk", null);
    return (e as Extract<HallEvent, { type: "ticket:issued" }>).ticket;
  }

  /** Call, start and finish the next ticket at the window, `minutes` of service. */
  async serve(windowId: string, minutes = 5): Promise<void> {
    await this.run("window:callNext", { windowId });
    await this.run("ticket:start", { windowId });
    this.clock.advance(minutes * MIN);
    await this.run("ticket:finish", { windowId });
  }

  log(): Promise<HallEvent[]> {
    return this.store.eventsSince(this.hallId, 0, 10_000);
  }
}

export function describeRecordsContract(name: string, open: () => Promise<RecordsStore>): void {
  describe(`records on ${name}`, () => {
    let records: RecordsStore;
    let hall: HallScript;
    let clock: ManualClock;

    beforeEach(async () => {
      records = await open();
      clock = new ManualClock(T0);
      hall = await new HallScript(new MemoryStore(), clock).load();
      await hall.run("window:open", { windowId: "w1" });
    });
    afterEach(async () => {
      await records.close();
      await hall.store.close();
    });

    const archive = async () => records.append(hall.hallId, await hall.log());
    const day = "2026-03-02";
    const ticketRow = async (ticketId: string) => (await records.tickets(hall.hallId, day, day)).find((r) => r.ticket_id === ticketId);

    it("keeps every event of the hall once, in the order they happened", async () => {
      await hall.issue("social");
      clock.advance(MIN);
      await hall.issue("social");
      await hall.serve("w1");
      await archive();
      expect(await records.events(hall.hallId)).toEqual(await hall.log());
      const last = (await hall.log()).at(-1)!;
      expect(await records.cursor(hall.hallId)).toEqual({ epoch: last.epoch, seq: last.seq });
    });

    it("has no cursor for a hall it has archived nothing of", async () => {
      expect(await records.cursor(hall.hallId)).toBeNull();
    });

    it("a batch sent again, or overlapping the last one, changes nothing", async () => {
      const t = await hall.issue("social");
      await hall.serve("w1", 7);
      await hall.run("ticket:rate", { windowId: "w1", ticketId: t.id, rating: 5 }, "pad", null);
      const log = await hall.log();
      await records.append(hall.hallId, log.slice(0, 4));
      await records.append(hall.hallId, log);
      const events = await records.events(hall.hallId);
      const row = await ticketRow(t.id);
      await records.append(hall.hallId, log);
      await records.append(hall.hallId, log.slice(2, 5));
      expect(await records.events(hall.hallId)).toEqual(events);
      expect(await ticketRow(t.id)).toEqual(row);
      expect(row?.service_sec).toBe(7 * 60);
    });

    it("a ticket's row follows it from issue through call and service to its rating", async () => {
      const t = await hall.issue("social");
      await archive();
      expect(await ticketRow(t.id)).toMatchObject({ number: "A001", service_id: "social", priority: "normal", channel: "kiosk", state: "waiting", outcome: null, issued_at: T0, called_at: null, wait_sec: null });

      clock.advance(4 * MIN);
      await hall.run("window:callNext", { windowId: "w1" });
      await archive();
      expect(await ticketRow(t.id)).toMatchObject({ state: "called", called_at: T0 + 4 * MIN, wait_sec: 240, window_id: "w1", staff_id: "alice", outcome: null });

      clock.advance(MIN);
      await hall.run("ticket:start", { windowId: "w1" });
      clock.advance(6 * MIN);
      await hall.run("ticket:finish", { windowId: "w1" });
      await archive();
      expect(await ticketRow(t.id)).toMatchObject({ state: "finished", outcome: "finished", serving_at: T0 + 5 * MIN, ended_at: T0 + 11 * MIN, service_sec: 360, rating: null });

      await hall.run("ticket:rate", { windowId: "w1", ticketId: t.id, rating: 4 }, "pad", null);
      await archive();
      expect(await ticketRow(t.id)).toMatchObject({ outcome: "finished", rating: 4, wait_sec: 240, window_id: "w1", staff_id: "alice", transferred: 0 });
    });

    it("a citizen who does not come when called is a no-show, with the wait until the call", async () => {
      const t = await hall.issue("social");
      clock.advance(2 * MIN);
      await hall.run("window:callNext", { windowId: "w1" });
      clock.advance(3 * MIN);
      await hall.run("window:recall", { windowId: "w1" });
      clock.advance(MIN);
      await hall.run("ticket:noShow", { windowId: "w1" });
      await archive();
      expect(await ticketRow(t.id)).toMatchObject({ state: "noShow", outcome: "noShow", wait_sec: 120, called_at: T0 + 2 * MIN, ended_at: T0 + 6 * MIN, service_sec: null });
    });

    it("a cancelled ticket is kept as cancelled, never called", async () => {
      const t = await hall.issue("medical");
      clock.advance(MIN);
      await hall.run("ticket:cancel", { ticketId: t.id }, "manager", "boss");
      await archive();
      expect(await ticketRow(t.id)).toMatchObject({ state: "cancelled", outcome: "cancelled", called_at: null, wait_sec: null, ended_at: T0 + MIN });
    });

    it("a transferred ticket is marked so, under its new service, with its first wait and both steps' window", async () => {
      await hall.run("window:open", { windowId: "w2" }, "staff", "bob");
      const t = await hall.issue("social");
      clock.advance(3 * MIN);
      await hall.run("window:callNext", { windowId: "w1" });
      await hall.run("ticket:transfer", { windowId: "w1", toServiceId: "medical" });
      await archive();
      expect(await ticketRow(t.id)).toMatchObject({ state: "waiting", service_id: "medical", transferred: 1, outcome: null, wait_sec: 180, window_id: "w1" });
      clock.advance(MIN);
      await hall.serve("w2", 2);
      await archive();
      expect(await ticketRow(t.id)).toMatchObject({ outcome: "finished", service_id: "medical", transferred: 1, wait_sec: 180, window_id: "w2", staff_id: "bob", service_sec: 120 });
    });

    it("a bundle's row follows its steps and ends when the last step is served", async () => {
      await hall.run("window:open", { windowId: "w2" }, "staff", "bob");
      const t = await hall.issue("social", ["medical"]);
      await hall.serve("w1", 3);
      await archive();
      expect(await ticketRow(t.id)).toMatchObject({ state: "waiting", service_id: "medical", bundle_step: 1, bundle_steps: 2, outcome: null, service_sec: 180 });
      await hall.serve("w2", 4);
      await archive();
      expect(await ticketRow(t.id)).toMatchObject({ state: "finished", outcome: "finished", bundle_step: 1, bundle_steps: 2, service_sec: 420, window_id: "w2", staff_id: "bob" });
    });

    it("keeps each business day apart: the next day's A001 is another ticket", async () => {
      const first = await hall.issue("social");
      await hall.serve("w1");
      clock.advance(24 * 60 * MIN);
      await hall.startDay();
      const second = await hall.issue("social");
      await archive();
      expect(second.number).toBe(first.number);
      expect((await records.tickets(hall.hallId, "2026-03-02", "2026-03-02")).map((r) => r.ticket_id)).toEqual([first.id]);
      expect((await records.tickets(hall.hallId, "2026-03-03", "2026-03-03")).map((r) => r.ticket_id)).toEqual([second.id]);
      expect((await records.tickets(hall.hallId, "2026-03-02", "2026-03-03")).length).toBe(2);
      const kept = await records.events(hall.hallId);
      expect(kept.filter((e) => e.type === "hall:dayStarted").map((e) => e.epoch.slice(0, 10))).toEqual(["2026-03-03"]);
    });

    it("the retention rule erases what staff wrote about a citizen on days before the cutoff, and keeps the figures", async () => {
      const parkedFirst = await hall.issue("social");
      await hall.run("window:callNext", { windowId: "w1" });
      await hall.run("ticket:park", { windowId: "w1", reason: "张三 缺身份证", missingDocs: ["身份证"] });
      await hall.run("ticket:cancel", { ticketId: parkedFirst.id });
      clock.advance(24 * 60 * MIN);
      await hall.startDay();
      const parkedLater = await hall.issue("social");
      await hall.run("window:callNext", { windowId: "w1" });
      await hall.run("ticket:park", { windowId: "w1", reason: "李四 缺户口本", missingDocs: ["户口本"] });
      await archive();
      const rowsBefore = await records.tickets(hall.hallId, "2026-03-02", "2026-03-03");

      expect(await records.erasePersonal(hall.hallId, "2026-03-03")).toBeGreaterThan(0);
      const kept = await records.events(hall.hallId);
      const text = (id: string) => kept.filter((e) => "ticket" in e && e.ticket.id === id).map((e) => "ticket" in e && [e.ticket.parkReason, e.ticket.missingDocs]);
      expect(text(parkedFirst.id).every((t) => t && t[0] === null && (t[1] as string[]).length === 0)).toBe(true);
      expect(text(parkedLater.id)).toContainEqual(["李四 缺户口本", ["户口本"]]);
      expect(JSON.stringify(kept)).not.toContain("张三");
      expect(await records.tickets(hall.hallId, "2026-03-02", "2026-03-03")).toEqual(rowsBefore);
      expect(await records.erasePersonal(hall.hallId, "2026-03-03")).toBe(0);
    });

    it("the retention rule erases a booking's name from kept events, and a second run finds nothing left", async () => {
      const booking = { id: "bk-erase", serviceId: "social", date: "2026-03-02", slot: "10:00", name: "欧**" };
      await hall.store.execute(hall.hallId, { name: "ticket:checkIn", payload: { commandId: "checkin-bk-erase", priority: "normal", booking } }, { now: clock.now(), by: "kiosk", staffId: null });
      await hall.serve("w1");
      await archive();
      expect(JSON.stringify(await records.events(hall.hallId))).toContain("欧**");

      expect(await records.erasePersonal(hall.hallId, "2026-03-03")).toBeGreaterThan(0);
      const kept = await records.events(hall.hallId);
      expect(JSON.stringify(kept)).not.toContain("欧**");
      expect(kept.filter((e) => "ticket" in e && e.ticket.appointment).every((e) => "ticket" in e && e.ticket.appointment?.bookingId === "bk-erase" && e.ticket.appointment.name === null)).toBe(true);
      expect(await records.erasePersonal(hall.hallId, "2026-03-03")).toBe(0);
    });

    it("a log that started over in a new epoch, with seqs already kept, is kept too", async () => {
      await hall.issue("social");
      await archive();
      const before = await records.events(hall.hallId);
      // A store that lost its data (a Redis restarted empty) logs the hall again from seq 1, in a new epoch.
      clock.advance(10 * MIN);
      const again = await new HallScript(new MemoryStore(), clock, hall.hallId).load();
      await again.run("window:open", { windowId: "w1" });
      await again.issue("social");
      const log = await again.log();
      expect(log[0]!.seq).toBeLessThanOrEqual(before.at(-1)!.seq);
      await records.append(hall.hallId, log);
      expect(await records.events(hall.hallId)).toEqual([...before, ...log]);
      expect(await records.cursor(hall.hallId)).toEqual({ epoch: log.at(-1)!.epoch, seq: log.at(-1)!.seq });
      await again.store.close();
    });
  });
}
