/**
 * The reports contract: the summary's figures from records of real commands (a memory store's
 * log, appended to the records), on every database. Two business days of the contract hall
 * (Asia/Shanghai; social's target 20 min, medical's 10):
 *
 *   Mon 2026-03-02 10:00  A001 (social); 10:01 A002 (social)
 *            10:04  A001 called at w1 by alice (waited 4 min), served 5 min, rated 5
 *            10:09  A002 called at w1 (waited 8 min): a no-show
 *            10:09  B001 (medical) issued and cancelled; A003 (social) issued
 *            10:34  A003 called at w1 (waited 25 min), transferred to medical, served at w2 by bob 2 min, rated 1
 *   Tue 2026-03-03 14:00  A001 (social); called at w1 after 1 min, served 5 min, rated 3
 *
 * Run it with `describeReportsContract(name, openRecords)`.
 */
import { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HallEvent } from "../protocol/index.js";
import { ReportSummary, type ReportGrouping } from "../protocol/reports.js";
import { ManualClock } from "../server/domain/clock.js";
import type { HallConfig } from "../server/domain/config.js";
import type { RecordsStore } from "../server/records/records-store.js";
import { ticketsCsv, ticketsXlsx } from "../server/records/exports.js";
import { summarize } from "../server/records/reports.js";
import { MemoryStore } from "../server/store/memory/memory-store.js";
import { HallScript } from "./records.contract.js";
import { contractHall, MIN, T0, wire } from "./store.contract.js";

/** Two days of the contract hall in the records (see the file's comment). */
export async function twoDays(records: RecordsStore): Promise<{ hall: HallConfig; script: HallScript }> {
  const clock = new ManualClock(T0);
  const script = await new HallScript(new MemoryStore(), clock).load();
  await script.run("window:open", { windowId: "w1" }, "staff", "alice");
  await script.run("window:open", { windowId: "w2" }, "staff", "bob");
  const a1 = await script.issue("social");
  clock.advance(MIN);
  await script.issue("social");
  clock.advance(3 * MIN);
  await script.serve("w1", 5);
  await script.run("ticket:rate", { windowId: "w1", ticketId: a1.id, rating: 5 }, "pad", null);
  await script.run("window:callNext", { windowId: "w1" });
  await script.run("ticket:noShow", { windowId: "w1" });
  const b1 = await script.issue("medical");
  await script.run("ticket:cancel", { ticketId: b1.id }, "manager", "boss");
  const a3 = await script.issue("social");
  clock.advance(25 * MIN);
  await script.run("window:callNext", { windowId: "w1" });
  await script.run("ticket:transfer", { windowId: "w1", toServiceId: "medical" });
  await script.run("window:callNext", { windowId: "w2" }, "staff", "bob");
  await script.run("ticket:start", { windowId: "w2" }, "staff", "bob");
  clock.advance(2 * MIN);
  await script.run("ticket:finish", { windowId: "w2" }, "staff", "bob");
  await script.run("ticket:rate", { windowId: "w2", ticketId: a3.id, rating: 1 }, "pad", null);

  clock.advance(T0 + 28 * 60 * MIN - clock.now());
  await script.startDay();
  const next = await script.issue("social");
  clock.advance(MIN);
  await script.serve("w1", 5);
  await script.run("ticket:rate", { windowId: "w1", ticketId: next.id, rating: 3 }, "pad", null);

  await records.append(script.hallId, await script.log());
  return { hall: contractHall({ id: script.hallId }), script };
}

/** Everything written to it, as one buffer. */
function collector(): { out: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}

export function describeReportsContract(name: string, open: () => Promise<RecordsStore>): void {
  describe(`reports on ${name}`, () => {
    let records: RecordsStore;
    let hall: HallConfig;
    let script: HallScript;
    beforeAll(async () => {
      records = await open();
      ({ hall, script } = await twoDays(records));
    });
    afterAll(async () => {
      await records?.close();
      await script?.store.close();
    });

    const report = async (by: ReportGrouping, from = "2026-03-02", to = "2026-03-03") => ReportSummary.parse(await summarize(records, hall, { from, to, by }));
    const row = async (by: ReportGrouping, key: string) => (await report(by)).rows.find((r) => r.key === key);

    it("by day: each business day's tickets, outcomes, waits against target, service time and ratings", async () => {
      const { rows } = await report("day");
      expect(rows.map((r) => r.key)).toEqual(["2026-03-02", "2026-03-03"]);
      expect(rows[0]).toEqual({
        key: "2026-03-02",
        label: null,
        issued: 4,
        served: 2,
        noShows: 1,
        cancelled: 1,
        transferred: 1,
        waitMeanSec: (240 + 480 + 1500) / 3,
        waitP50Sec: 480,
        waitP90Sec: 480 + 0.8 * (1500 - 480),
        // The transferred ticket counts against its new service's 10 minutes.
        withinTargetShare: 2 / 3,
        targetWaitSec: null,
        serviceMeanSec: (300 + 120) / 2,
        ratings: [1, 0, 0, 0, 1],
        satisfaction: 0.5,
        bad: 1,
      });
      expect(rows[1]).toMatchObject({ issued: 1, served: 1, noShows: 0, waitMeanSec: 60, waitP50Sec: 60, waitP90Sec: 60, withinTargetShare: 1, serviceMeanSec: 300, ratings: [0, 0, 1, 0, 0], satisfaction: 1, bad: 0 });
    });

    it("the total is the whole range as one group", async () => {
      const { total } = await report("window");
      expect(total).toMatchObject({ key: "total", label: null, issued: 5, served: 3, noShows: 1, cancelled: 1, transferred: 1, waitP50Sec: (240 + 480) / 2, withinTargetShare: 3 / 4, ratings: [1, 0, 1, 0, 1], satisfaction: 2 / 3, bad: 1 });
      expect(total.waitMeanSec).toBeCloseTo((240 + 480 + 1500 + 60) / 4);
      expect((await report("day")).total).toEqual(total);
    });

    it("by service: under the service each ticket ended in, with its name and target", async () => {
      const { rows } = await report("service");
      expect(rows.map((r) => [r.key, r.label?.zh, r.issued, r.targetWaitSec])).toEqual([
        ["social", "social", 3, 1200],
        ["medical", "medical", 2, 600],
      ]);
      expect(rows[1]).toMatchObject({ served: 1, cancelled: 1, transferred: 1, waitMeanSec: 1500, withinTargetShare: 0, serviceMeanSec: 120, ratings: [1, 0, 0, 0, 0], satisfaction: 0, bad: 1 });
    });

    it("by window and by staff: the window and staff member who last held each ticket; a never-called ticket is in the total only", async () => {
      expect((await report("window")).rows.map((r) => [r.key, r.label?.zh, r.issued, r.served])).toEqual([
        ["w1", "1号窗口", 3, 2],
        ["w2", "2号窗口", 1, 1],
      ]);
      expect((await report("staff")).rows.map((r) => [r.key, r.issued, r.served, r.ratings])).toEqual([
        ["alice", 3, 2, [0, 0, 1, 0, 1]],
        ["bob", 1, 1, [1, 0, 0, 0, 0]],
      ]);
    });

    it("by hour: the hall-local hour of issue", async () => {
      expect((await report("hour")).rows.map((r) => [r.key, r.issued])).toEqual([
        ["10", 4],
        ["14", 1],
      ]);
      expect(await row("hour", "14")).toMatchObject({ served: 1, waitP50Sec: 60 });
    });

    it("arrivals: tickets by hall-local weekday and hour, Monday first", async () => {
      const { arrivals } = await report("day");
      expect(arrivals[0]![10]).toBe(4);
      expect(arrivals[1]![14]).toBe(1);
      expect(arrivals.flat().reduce((a, b) => a + b, 0)).toBe(5);
    });

    it("keeps to the range: one day's report holds that day only", async () => {
      const one = await report("service", "2026-03-03", "2026-03-03");
      expect(one.total.issued).toBe(1);
      expect(one.rows.map((r) => r.key)).toEqual(["social"]);
    });

    it("a range without tickets has no rows and an empty total", async () => {
      const none = await report("day", "2025-01-01", "2025-01-31");
      expect(none.rows).toEqual([]);
      expect(none.total).toMatchObject({ issued: 0, waitMeanSec: null, waitP50Sec: null, withinTargetShare: null, serviceMeanSec: null, satisfaction: null, ratings: [0, 0, 0, 0, 0] });
    });

    it("a staff member's own figures: only the tickets they last held, by day", async () => {
      const mine = await summarize(records, hall, { from: "2026-03-02", to: "2026-03-03", by: "day" }, { staffId: "alice" });
      expect(mine.rows.map((r) => [r.key, r.issued, r.served, r.noShows])).toEqual([
        ["2026-03-02", 2, 1, 1],
        ["2026-03-03", 1, 1, 0],
      ]);
      expect(mine.total.issued).toBe(3);
    });
  });

  describe(`a 一件事 bundle's ratings in the reports on ${name}`, () => {
    let records: RecordsStore;
    let hall: HallConfig;
    let script: HallScript;
    /** Mon 10:00: A001 social → medical; served at w1 by alice, rated 5; at w2 by bob, rated 2; the whole matter rated 4 from the tracker. */
    beforeAll(async () => {
      records = await open();
      const clock = new ManualClock(T0);
      script = await new HallScript(new MemoryStore(), clock).load();
      hall = contractHall({ id: script.hallId });
      await script.run("window:open", { windowId: "w1" }, "staff", "alice");
      await script.run("window:open", { windowId: "w2" }, "staff", "bob");
      const t = await script.issue("social", ["medical"]);
      await script.serve("w1", 5);
      await script.run("ticket:rate", { windowId: "w1", ticketId: t.id, rating: 5 }, "pad", null);
      await script.run("window:callNext", { windowId: "w2" }, "staff", "bob");
      clock.advance(3 * MIN);
      await script.run("ticket:finish", { windowId: "w2" }, "staff", "bob");
      await script.run("ticket:rate", { windowId: "w2", ticketId: t.id, rating: 2 }, "pad", null);
      await script.store.execute(script.hallId, { name: "ticket:rateWhole", payload: { commandId: `whole-${t.id}`, ticketId: t.id, rating: 4 } }, { now: clock.now(), by: "citizen", staffId: null });
      await records.append(script.hallId, await script.log());
    });
    afterAll(async () => {
      await records?.close();
      await script?.store.close();
    });
    const report = async (by: ReportGrouping) => ReportSummary.parse(await summarize(records, hall, { from: "2026-03-02", to: "2026-03-02", by }));

    it("each step's rating counts for the window and staff that served it, though the ticket is last held at w2", async () => {
      expect((await report("window")).rows.map((r) => [r.key, r.issued, r.ratings])).toEqual([
        ["w1", 0, [0, 0, 0, 0, 1]],
        ["w2", 1, [0, 1, 0, 0, 0]],
      ]);
      expect((await report("staff")).rows.map((r) => [r.key, r.ratings])).toEqual([
        ["alice", [0, 0, 0, 0, 1]],
        ["bob", [0, 1, 0, 0, 0]],
      ]);
      expect((await report("service")).rows.map((r) => [r.key, r.ratings])).toEqual([
        ["social", [0, 0, 0, 0, 1]],
        ["medical", [0, 1, 0, 0, 0]],
      ]);
    });

    it("the whole matter is no window's: counted in bundles, not in the rows or the total", async () => {
      const r = await report("day");
      expect(r.total).toMatchObject({ issued: 1, ratings: [0, 1, 0, 0, 1], satisfaction: 0.5, bad: 1 });
      expect(r.bundles).toEqual({ ratings: [0, 0, 0, 1, 0], satisfaction: 1, bad: 0 });
      expect((await report("window")).total).toEqual(r.total);
    });
  });

  describe(`the tickets export names the cases opened from each ticket, on ${name}`, () => {
    let records: RecordsStore;
    let hall: HallConfig;
    let script: HallScript;
    const numbers: string[] = [];
    /**
     * Mon 2026-03-02: A001, A002, A003 served at w1. A001's case is resolved; A002 has a case
     * waiting for a document, opened Monday, and a second one opened from it on Tuesday; A003 none.
     */
    beforeAll(async () => {
      records = await open();
      const clock = new ManualClock(T0);
      script = await new HallScript(new MemoryStore(), clock).load();
      hall = contractHall({ id: script.hallId });
      await script.run("window:open", { windowId: "w1" }, "staff", "alice");
      const tickets = [];
      for (let i = 0; i < 3; i++) {
        tickets.push(await script.issue("social"));
        await script.serve("w1", 2);
      }
      await records.append(script.hallId, await script.log());
      let n = 0;
      const ctx = (today: string) => ({ by: "alice", now: clock.now() + ++n * 1000, today });
      const opening = (t: { id: string; number: string }) => ({ commandId: `open-${++n}`, category: "policy", summary: "社保关系无法转入", departments: [], phone: "13812341234", ticketId: t.id, ticketNumber: t.number, windowId: "w1", dueDate: "2026-03-09", prefix: "BB" });
      const first = await records.cases.open(hall.id, opening(tickets[0]!), ctx("2026-03-02"));
      await records.cases.step(hall.id, first.case.id, `step-${++n}`, { kind: "resolve", resolution: "已转入" }, ctx("2026-03-02"));
      const second = await records.cases.open(hall.id, opening(tickets[1]!), ctx("2026-03-02"));
      await records.cases.step(hall.id, second.case.id, `step-${++n}`, { kind: "requestDocument", document: "户口本" }, ctx("2026-03-02"));
      const third = await records.cases.open(hall.id, opening(tickets[1]!), ctx("2026-03-03"));
      numbers.push(first.case.number, second.case.number, third.case.number);
    });
    afterAll(async () => {
      await records?.close();
      await script?.store.close();
    });
    const range = { from: "2026-03-02", to: "2026-03-03" };
    /** The CSV's rows as cells (no cell of these tickets holds a comma or a quote). */
    const csv = async (pageRows?: number) => {
      const c = collector();
      await ticketsCsv(records, hall, range, c.out, pageRows);
      return c.bytes().toString("utf8").slice(1).trim().split("\r\n").map((line) => line.split(","));
    };
    const caseCells = (rows: string[][]) => {
      const [head, ...body] = rows;
      const number = head!.indexOf("工单 case");
      const state = head!.indexOf("工单状态 case state");
      return body.map((r) => [r[0], r[number], r[state]]);
    };

    it("the CSV gives a ticket's case number and state, each case of a ticket with two, and nothing for a ticket without", async () => {
      expect(numbers).toEqual(["BB-20260302-001", "BB-20260302-002", "BB-20260303-001"]);
      expect(caseCells(await csv())).toEqual([
        ["A001", "BB-20260302-001", "已解决 resolved"],
        ["A002", "BB-20260302-002、BB-20260303-001", "待补正材料 waitingForCitizen、办理中 open"],
        ["A003", "", ""],
      ]);
    });

    it("each page of tickets finds its own cases: read one ticket at a time, the rows are the same", async () => {
      expect(await csv(1)).toEqual(await csv());
    });

    it("the XLSX has the same two columns", async () => {
      const c = collector();
      await ticketsXlsx(records, hall, range, c.out, 2);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(c.bytes() as unknown as ArrayBuffer);
      const sheet = book.worksheets[0]!;
      const head = (sheet.getRow(1).values as unknown[]).slice(1);
      const number = head.indexOf("工单 case") + 1;
      const state = head.indexOf("工单状态 case state") + 1;
      expect([2, 3, 4].map((r) => [sheet.getRow(r).getCell(1).value, sheet.getRow(r).getCell(number).value, sheet.getRow(r).getCell(state).value])).toEqual([
        ["A001", "BB-20260302-001", "已解决 resolved"],
        ["A002", "BB-20260302-002、BB-20260303-001", "待补正材料 waitingForCitizen、办理中 open"],
        ["A003", null, null],
      ]);
    });
  });

  describe(`a ticket's row in the export names its own cases only, on ${name}`, () => {
    let records: RecordsStore;
    let hall: HallConfig;
    let script: HallScript;
    /**
     * Mon: A001 (its id "shared-id") served; A002 left waiting. Tue: A002, carried over, served;
     * a new A001 with the same id (the simulator's ids repeat day after day; each day is kept on
     * its own) served. Both cases are opened on Tuesday: one from A002, one from Tuesday's A001.
     */
    beforeAll(async () => {
      records = await open();
      const clock = new ManualClock(T0);
      script = await new HallScript(new MemoryStore(), clock).load();
      hall = contractHall({ id: script.hallId });
      const issueAs = async (newTicketId: string) =>
        (await script.store.execute(script.hallId, wire("ticket:issue", { serviceId: "social", then: [] }), { now: clock.now(), by: "kiosk", staffId: null, newTicketId })).event as Extract<HallEvent, { type: "ticket:issued" }>;
      await script.run("window:open", { windowId: "w1" }, "staff", "alice");
      await issueAs("shared-id");
      await script.serve("w1", 2);
      const waiting = await script.issue("social");
      await records.append(script.hallId, await script.log());
      clock.advance(T0 + 24 * 60 * MIN - clock.now());
      await script.startDay();
      await script.serve("w1", 2);
      const again = (await issueAs("shared-id")).ticket;
      await script.serve("w1", 2);
      await records.append(script.hallId, await script.log());
      let n = 0;
      const tue = { by: "alice", now: clock.now(), today: "2026-03-03" };
      const opening = (t: { id: string; number: string }) => ({ commandId: `open-${++n}`, category: "policy", summary: "跨日的事项", departments: [], phone: "13812341234", ticketId: t.id, ticketNumber: t.number, windowId: "w1", dueDate: "2026-03-09", prefix: "BB" });
      await records.cases.open(hall.id, opening(waiting), tue);
      await records.cases.open(hall.id, opening(again), tue);
    });
    afterAll(async () => {
      await records?.close();
      await script?.store.close();
    });

    it("a case opened the day after its ticket (carried over) is on that ticket's row; one of a new ticket sharing an earlier one's id is not on the earlier row", async () => {
      const c = collector();
      await ticketsCsv(records, hall, { from: "2026-03-02", to: "2026-03-03" }, c.out);
      const [head, ...rows] = c.bytes().toString("utf8").slice(1).trim().split("\r\n").map((line) => line.split(","));
      const at = (heading: string) => head!.indexOf(heading);
      expect(rows.map((r) => [r[at("号码 number")], r[at("取号 issued")]!.slice(0, 10), r[at("工单 case")], r[at("工单状态 case state")]])).toEqual([
        ["A001", "2026-03-02", "", ""],
        ["A002", "2026-03-02", "BB-20260303-001", "办理中 open"],
        ["A001", "2026-03-03", "BB-20260303-002", "办理中 open"],
      ]);
    });
  });
}
