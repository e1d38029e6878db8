/**
 * The audit trail contract (server/records/audit.ts): what GET …/audit reads from the records,
 * on every database (SQLite, PostgreSQL). The events are real: commands decided by a memory
 * store for the actor a transport would name (staff, manager, a kiosk by its name, the
 * balancer), archived by the records' own append. Run it with `describeAuditContract(name, open)`.
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuditPage, AuditQuery, type AuditEntry, type CommandInput, type CommandName, type HallEvent, type HoursUpdate } from "../protocol/index.js";
import { ManualClock } from "../server/domain/clock.js";
import type { HallConfig } from "../server/domain/config.js";
import type { CommandContext } from "../server/domain/hall-commands.js";
import { auditTrail } from "../server/records/audit.js";
import type { RecordsStore } from "../server/records/records-store.js";
import { MemoryStore } from "../server/store/memory/memory-store.js";
import { contractHall, MIN, T0, wire } from "./store.contract.js";

const DAY = "2026-03-02";
const NEXT_DAY = "2026-03-03";
const STAFF = { by: "staff", staffId: "alice" } as const;
const MANAGER = { by: "manager", staffId: "boss" } as const;
const KIOSK = { by: "kiosk", staffId: null, device: "kiosk-1" } as const;
const BALANCER = { by: "balancer", staffId: null } as const;
const hours: HoursUpdate = { calendar: { holidays: ["2026-05-01"], workdays: [], makeUpDayAs: "mon" }, services: {} };

export function describeAuditContract(name: string, open: () => Promise<RecordsStore>): void {
  describe(`the audit trail on ${name}`, () => {
    let records: RecordsStore;
    let store: MemoryStore;
    let clock: ManualClock;
    let hall: HallConfig;

    const run = async <N extends CommandName>(name: N, payload: Omit<CommandInput<N>, "commandId">, as: Omit<CommandContext, "now">): Promise<HallEvent> =>
      (await store.execute(hall.id, wire(name, payload), { now: clock.now(), ...as })).event;
    const issue = (serviceId = "social") => run("ticket:issue", { serviceId } as Omit<CommandInput<"ticket:issue">, "commandId">, KIOSK) as Promise<Extract<HallEvent, { type: "ticket:issued" }>>;
    const archive = async () => records.append(hall.id, await store.eventsSince(hall.id, 0, 10_000));
    const trail = async (q: Record<string, string> = {}) => AuditPage.parse(await auditTrail(records, hall, AuditQuery.parse({ from: DAY, to: DAY, ...q })));
    const brief = (e: AuditEntry) => [e.kind, e.actor?.kind ?? null, e.actor?.id ?? null, e.summary.en];

    /** The morning: alice opens window 1, the kiosk issues three, boss changes serving and calls A003 out of turn, the balancer moves window 4. */
    const morning = async () => {
      await run("window:open", { windowId: "w1" }, STAFF);
      clock.advance(MIN);
      await issue();
      await issue();
      const third = await issue();
      clock.advance(MIN);
      await run("window:setServing", { windowId: "w1", serving: ["social", "medical"] }, MANAGER);
      clock.advance(MIN);
      await run("window:callTicket", { windowId: "w1", ticketId: third.ticket.id, reason: "预约已到" }, MANAGER);
      clock.advance(MIN);
      await run("window:open", { windowId: "w4" }, { by: "staff", staffId: "bob" });
      await run("window:setServing", { windowId: "w4", serving: ["medical"] }, BALANCER);
      await archive();
    };

    beforeEach(async () => {
      records = await open();
      clock = new ManualClock(T0);
      store = new MemoryStore();
      hall = contractHall({ id: `audit-${randomBytes(4).toString("hex")}` });
      await store.loadHall(hall, T0);
    });
    afterEach(async () => {
      await records.close();
      await store.close();
    });

    it("lists every event of the day newest first, each by the actor that caused it", async () => {
      await morning();
      const { entries, next } = await trail();
      expect(next).toBeNull();
      expect(entries.map(brief)).toEqual([
        ["window", "balancer", null, "Window 4 now serves medical"],
        ["window", "staff", "bob", "Opened Window 4"],
        ["callTicket", "manager", "boss", "Called A003 out of turn to Window 1 (reason: 预约已到)"],
        ["window", "manager", "boss", "Window 1 now serves social, medical"],
        ["ticket", "kiosk", "kiosk-1", "Issued A003 (social)"],
        ["ticket", "kiosk", "kiosk-1", "Issued A002 (social)"],
        ["ticket", "kiosk", "kiosk-1", "Issued A001 (social)"],
        ["window", "staff", "alice", "Opened Window 1"],
      ]);
      expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort((a, b) => b - a));
      expect(entries.every((e) => e.businessDate === DAY)).toBe(true);
    });

    it("the append keeps each event's actor and whether a call was chosen in columns of their own", async () => {
      await morning();
      const rows = await records.db.selectFrom("records_events").select(["type", "actor_kind", "actor_id", "chosen"]).where("hall_id", "=", hall.id).orderBy("seq").execute();
      expect(rows[0]).toEqual({ type: "window:changed", actor_kind: "staff", actor_id: "alice", chosen: null });
      expect(rows.find((r) => r.type === "ticket:called")).toEqual({ type: "ticket:called", actor_kind: "manager", actor_id: "boss", chosen: 1 });
      expect(rows.filter((r) => r.actor_kind === "kiosk").map((r) => r.actor_id)).toEqual(["kiosk-1", "kiosk-1", "kiosk-1"]);
    });

    it("filters by one actor's id, or by a kind of actor", async () => {
      await morning();
      expect((await trail({ actor: "boss" })).entries.map((e) => e.kind)).toEqual(["callTicket", "window"]);
      expect((await trail({ actor: "kiosk" })).entries.map((e) => e.ticketNumber)).toEqual(["A003", "A002", "A001"]);
      expect((await trail({ actor: "kiosk-1" })).entries).toHaveLength(3);
      expect((await trail({ actor: "balancer" })).entries.map((e) => e.windowId)).toEqual(["w4"]);
      expect((await trail({ actor: "nobody" })).entries).toEqual([]);
    });

    it("filters by kind: 指定叫号 apart from the other ticket steps", async () => {
      await morning();
      await run("ticket:start", { windowId: "w1" }, STAFF);
      await issue("medical");
      await run("window:callNext", { windowId: "w4" }, { by: "staff", staffId: "bob" });
      await archive();
      expect((await trail({ kind: "callTicket" })).entries.map((e) => e.ticketNumber)).toEqual(["A003"]);
      const tickets = (await trail({ kind: "ticket" })).entries;
      expect(tickets.map((e) => e.summary.en)).toEqual(["Called B001 to Window 4", "Issued B001 (medical)", "Started serving A003 (Window 1)", "Issued A003 (social)", "Issued A002 (social)", "Issued A001 (social)"]);
      expect((await trail({ kind: "window", actor: "balancer" })).entries).toHaveLength(1);
      expect((await trail({ kind: "balancer" })).entries).toEqual([]);
    });

    it("merges the changes of the hours in, by the manager who saved them", async () => {
      await morning();
      await records.hours.saveHours(hall.id, hours, "boss", clock.now());
      const { entries } = await trail();
      expect(brief(entries[0]!)).toEqual(["hours", "manager", "boss", "Saved version 1 of the hours (calendar 1 holiday, 0 make-up workdays)"]);
      expect((await trail({ kind: "hours" })).entries.map((e) => e.kind)).toEqual(["hours"]);
      expect((await trail({ actor: "boss" })).entries.map((e) => e.kind)).toEqual(["hours", "callTicket", "window"]);
      expect((await trail({ actor: "kiosk" })).entries.some((e) => e.kind === "hours")).toBe(false);
      expect((await trail({ kind: "window" })).entries.some((e) => e.kind === "hours")).toBe(false);
    });

    it("answers the business days asked for, the next day's new day and hours apart", async () => {
      await morning();
      clock.advance(24 * 60 * MIN);
      await run("window:open", { windowId: "w2" }, STAFF);
      await archive();
      await records.hours.saveHours(hall.id, hours, "boss", clock.now());
      expect((await trail()).entries).toHaveLength(8);
      const next = (await trail({ from: NEXT_DAY, to: NEXT_DAY })).entries;
      expect(next.map(brief)).toEqual([
        ["hours", "manager", "boss", "Saved version 1 of the hours (calendar 1 holiday, 0 make-up workdays)"],
        ["window", "staff", "alice", "Opened Window 2"],
        ["day", "system", null, `A new business day began (${NEXT_DAY})`],
      ]);
      expect((await trail({ to: NEXT_DAY })).entries).toHaveLength(11);
      expect((await trail({ kind: "day", to: NEXT_DAY })).entries.map((e) => e.businessDate)).toEqual([NEXT_DAY]);
    });

    it("pages through the trail with `before`, none repeated or skipped, events of one millisecond and the hours' among them", async () => {
      await morning();
      // Three tickets and a change of the hours at one instant.
      await issue("medical");
      await issue("medical");
      await records.hours.saveHours(hall.id, hours, "boss", clock.now());
      await issue("medical");
      await archive();
      const all = (await trail()).entries;
      expect(all).toHaveLength(12);
      for (const limit of ["1", "2", "5"]) {
        const seen: AuditEntry[] = [];
        let before: string | null = null;
        for (let pages = 0; pages < 20; pages++) {
          const page: AuditPage = await trail({ limit, ...(before ? { before } : {}) });
          seen.push(...page.entries);
          before = page.next;
          if (!before) break;
        }
        expect(seen, `limit ${limit}`).toEqual(all);
      }
    });

    it("lists no other hall's events", async () => {
      await morning();
      const other = contractHall({ id: `${hall.id}-other` });
      await store.loadHall(other, clock.now());
      await store.execute(other.id, wire("window:open", { windowId: "w1" }), { now: clock.now(), ...STAFF });
      await records.append(other.id, await store.eventsSince(other.id, 0, 100));
      expect((await trail({ actor: "alice" })).entries).toHaveLength(1);
    });
  });
}
