/**
 * The 差评 follow-ups contract: what the records must do with follow-ups and late ratings, on
 * every database (SQLite, PostgreSQL). The ratings are real events of a memory store, archived
 * as the archiver does; the decisions are the domain's own.
 * Run it with `describeFollowUpsContract(name, openRecords)`.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HallCallError, ReportSummary, type FollowUpStepInput, type Ticket } from "../protocol/index.js";
import { ManualClock } from "../server/domain/clock.js";
import type { HallConfig } from "../server/domain/config.js";
import { termsOf } from "../server/domain/follow-up.js";
import type { RecordsStore } from "../server/records/records-store.js";
import { summarize } from "../server/records/reports.js";
import { MemoryStore } from "../server/store/memory/memory-store.js";
import { HallScript } from "./records.contract.js";
import { contractHall, T0 } from "./store.contract.js";

/** T0 is Monday 2026-03-02 10:00 in the hall's zone. */
const MON = "2026-03-02";
const DAY = 86_400_000;
const rules = { lateDays: 7 };

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "accepted",
    (err: unknown) => (err instanceof HallCallError ? err.code : String(err)),
  );

export function describeFollowUpsContract(name: string, open: () => Promise<RecordsStore>): void {
  describe(`差评 follow-ups on ${name}`, () => {
    let records: RecordsStore;
    let hall: HallScript;
    let config: HallConfig;
    let clock: ManualClock;

    beforeEach(async () => {
      records = await open();
      clock = new ManualClock(T0);
      hall = new HallScript(new MemoryStore(), clock);
      // 2 working days, with Wednesday a holiday: a Monday's follow-up is due on Thursday.
      config = contractHall({ id: hall.hallId, followUp: { workingDays: 2 }, calendar: { holidays: ["2026-03-04"], workdays: [], makeUpDayAs: "mon" } });
      await hall.store.loadHall(config, T0);
      records.followUps.useTerms((id) => (id === config.id ? termsOf(config) : undefined));
      await hall.run("window:open", { windowId: "w1" });
    });
    afterEach(async () => {
      await records.close();
      await hall.store.close();
    });

    /** A ticket served at w1 and, if given, rated at its pad; then the log archived. */
    const served = async (rating?: number): Promise<Ticket> => {
      const t = await hall.issue("social");
      await hall.serve("w1");
      if (rating !== undefined) await hall.run("ticket:rate", { windowId: "w1", ticketId: t.id, rating }, "pad", null);
      await records.append(hall.hallId, await hall.log());
      return t;
    };
    const step = (id: string, s: FollowUpStepInput, by = "boss") => records.followUps.record(hall.hallId, id, s, { by, now: clock.now(), today: MON });
    const only = async () => {
      const [f, ...more] = await records.followUps.list(hall.hallId, "all");
      expect(more).toEqual([]);
      return f!;
    };

    it("a 非常不满意 at the pad opens a follow-up for the managers, due by the hall's working days", async () => {
      const t = await served(1);
      const f = await only();
      expect(f).toMatchObject({ ticketId: t.id, number: t.number, serviceId: "social", windowId: "w1", staffId: "alice", rating: 1, source: "pad", state: "open", businessDate: MON, dueDate: "2026-03-05" });
      expect(f.steps).toEqual([{ n: 0, kind: "opened", by: "system", at: clock.now(), reached: null, note: "" }]);
    });

    it("基本满意 and better open none", async () => {
      await served(3);
      await served(5);
      expect(await records.followUps.list(hall.hallId, "all")).toEqual([]);
    });

    it("archiving the same batch again opens nothing twice", async () => {
      await served(2);
      await records.append(hall.hallId, await hall.log());
      // As after a rebase: the same rating logged again under another epoch and seq.
      const rated = (await hall.log()).find((e) => e.type === "ticket:rated")!;
      await records.append(hall.hallId, [{ ...rated, epoch: `${rated.epoch}-rebased`, seq: 1 }]);
      expect((await records.followUps.list(hall.hallId, "all")).map((f) => f.rating)).toEqual([2]);
    });

    it("records each step with who and when, through to the close", async () => {
      await served(2);
      const { id } = await only();
      clock.advance(60_000);
      await step(id, { kind: "callback", reached: false, note: "无人接听" });
      clock.advance(60_000);
      await step(id, { kind: "callback", reached: true, note: "群众反映等候太久" }, "boss2");
      await step(id, { kind: "rectification", note: "高峰时段增开窗口" });
      const closed = await step(id, { kind: "close", note: "" });
      expect(closed).toMatchObject({ state: "closed", reached: true, rectified: true, appealed: false, closedAt: clock.now(), closedDate: MON });
      expect(closed.steps.map((s) => [s.n, s.kind, s.by, s.reached, s.note])).toEqual([
        [0, "opened", "system", null, ""],
        [1, "callback", "boss", false, "无人接听"],
        [2, "callback", "boss2", true, "群众反映等候太久"],
        [3, "rectification", "boss", null, "高峰时段增开窗口"],
        [4, "close", "boss", null, ""],
      ]);
      expect(closed.steps[1]!.at).toBe(T0 + 5 * 60_000 + 60_000);
    });

    it("refuses what the domain refuses and keeps nothing of it", async () => {
      await served(1);
      const { id } = await only();
      expect(await codeOf(step(id, { kind: "close", note: "" }))).toBe("ILLEGAL_TRANSITION");
      await step(id, { kind: "appeal", note: "误触评价器" });
      await step(id, { kind: "close", note: "复核属实" });
      expect(await codeOf(step(id, { kind: "callback", reached: true, note: "" }))).toBe("FOLLOW_UP_CLOSED");
      expect(await codeOf(step("no-such-id", { kind: "callback", reached: true, note: "" }))).toBe("UNKNOWN_FOLLOW_UP");
      expect((await only()).steps.map((s) => s.kind)).toEqual(["opened", "appeal", "close"]);
    });

    it("two managers recording at once get both steps, one after the other", async () => {
      await served(2);
      const { id } = await only();
      await Promise.all([step(id, { kind: "callback", reached: false, note: "a" }, "boss"), step(id, { kind: "callback", reached: true, note: "b" }, "boss2")]);
      const f = await only();
      expect(f.steps.map((s) => s.n)).toEqual([0, 1, 2]);
      expect(f.reached).toBe(true);
    });

    it("lists the open ones, the closed ones, or all", async () => {
      await served(1);
      await served(2);
      const [a, b] = await records.followUps.list(hall.hallId, "all");
      await step(a!.id, { kind: "callback", reached: true, note: "" });
      await step(a!.id, { kind: "close", note: "" });
      expect((await records.followUps.list(hall.hallId, "open")).map((f) => f.id)).toEqual([b!.id]);
      expect((await records.followUps.list(hall.hallId, "closed")).map((f) => f.id)).toEqual([a!.id]);
    });

    describe("a 一件事 bundle", () => {
      /** A bundle served at w1 (alice, social) then w2 (bob, medical), each step rated at its pad as given. */
      const bundle = async (steps: [number | null, number | null]): Promise<Ticket> => {
        await hall.run("window:open", { windowId: "w2" }, "staff", "bob");
        const t = await hall.issue("social", ["medical"]);
        await hall.serve("w1");
        if (steps[0] !== null) await hall.run("ticket:rate", { windowId: "w1", ticketId: t.id, rating: steps[0] }, "pad", null);
        await hall.run("window:callNext", { windowId: "w2" }, "staff", "bob");
        clock.advance(3 * 60_000);
        await hall.run("ticket:finish", { windowId: "w2" }, "staff", "bob");
        if (steps[1] !== null) await hall.run("ticket:rate", { windowId: "w2", ticketId: t.id, rating: steps[1] }, "pad", null);
        return t;
      };
      const rateWhole = (t: Ticket, rating: number) => hall.store.execute(hall.hallId, { name: "ticket:rateWhole", payload: { commandId: `whole-${t.id}`, ticketId: t.id, rating } }, { now: clock.now(), by: "citizen", staffId: null });

      it("a 差评 of each step opens a follow-up of its own, at the window and staff that served it", async () => {
        const t = await bundle([2, 1]);
        await records.append(hall.hallId, await hall.log());
        const list = await records.followUps.list(hall.hallId, "all");
        expect(list.map((f) => [f.ticketId, f.scope, f.step, f.serviceId, f.windowId, f.staffId, f.rating, f.source])).toEqual([
          [t.id, "service", 0, "social", "w1", "alice", 2, "pad"],
          [t.id, "service", 1, "medical", "w2", "bob", 1, "pad"],
        ]);
      });

      it("a 差评 of the whole matter opens one follow-up, of no window, from the tracker", async () => {
        const t = await bundle([null, 4]);
        await rateWhole(t, 1);
        await records.append(hall.hallId, await hall.log());
        expect(await only()).toMatchObject({ ticketId: t.id, scope: "whole", step: null, windowId: null, staffId: null, rating: 1, source: "tracker" });
      });

      it("late, the tracker rates the whole matter on the ticket's row, once, and its 差评 opens a follow-up", async () => {
        const t = await bundle([5, null]);
        await records.append(hall.hallId, await hall.log());
        const answers = await Promise.all([codeOf(records.followUps.rateLate(hall.hallId, t.id, 2, { now: clock.now(), today: "2026-03-03", rules })), codeOf(records.followUps.rateLate(hall.hallId, t.id, 5, { now: clock.now(), today: "2026-03-03", rules }))]);
        expect([...answers].sort()).toEqual(["ALREADY_RATED", "accepted"]);
        const given = answers[0] === "accepted" ? 2 : 5;
        expect((await records.tickets(hall.hallId, MON, MON)).map((r) => r.rating)).toEqual([given]);
        const followUps = await records.followUps.list(hall.hallId, "all");
        expect(followUps.map((f) => [f.scope, f.step, f.windowId, f.source])).toEqual(given === 2 ? [["whole", null, null, "tracker"]] : []);
      });
    });

    describe("a late rating of a ticket the hall no longer holds", () => {
      const late = (t: Ticket, rating: number, today: string) => records.followUps.rateLate(hall.hallId, t.id, rating, { now: clock.now(), today, rules });

      it("is kept on the ticket's row, and a 1 or 2 opens a follow-up from the tracker", async () => {
        const t = await served();
        clock.advance(3 * DAY);
        const { followUpId } = await late(t, 2, "2026-03-05");
        const [row] = await records.tickets(hall.hallId, MON, MON);
        expect(row!.rating).toBe(2);
        expect(await only()).toMatchObject({ id: followUpId, ticketId: t.id, rating: 2, source: "tracker", businessDate: MON, dueDate: "2026-03-05", openedAt: clock.now() });
      });

      it("a good one opens nothing", async () => {
        const t = await served();
        expect(await late(t, 5, "2026-03-03")).toEqual({ scope: "service", followUpId: null });
        expect(await records.followUps.list(hall.hallId, "all")).toEqual([]);
      });

      it("is taken once, never twice, and not for a ticket rated at the pad", async () => {
        const unrated = await served();
        const padRated = await served(4);
        const answers = await Promise.all([codeOf(late(unrated, 1, "2026-03-03")), codeOf(late(unrated, 5, "2026-03-03"))]);
        expect([...answers].sort()).toEqual(["ALREADY_RATED", "accepted"]);
        expect(await codeOf(late(padRated, 1, "2026-03-03"))).toBe("ALREADY_RATED");
        expect((await records.tickets(hall.hallId, MON, MON)).map((r) => r.rating)).toEqual([answers[0] === "accepted" ? 1 : 5, 4]);
      });

      it("is refused after lateDays, for a ticket not served, and for one the records do not have", async () => {
        const t = await served();
        expect(await codeOf(late(t, 1, "2026-03-10"))).toBe("RATING_EXPIRED");
        const gone = await hall.issue("social");
        await hall.run("ticket:cancel", { ticketId: gone.id });
        await records.append(hall.hallId, await hall.log());
        expect(await codeOf(late(gone, 1, "2026-03-03"))).toBe("NOT_RATEABLE");
        expect(await codeOf(records.followUps.rateLate(hall.hallId, "no-such-ticket", 1, { now: clock.now(), today: MON, rules }))).toBe("UNKNOWN_TICKET");
        expect((await records.tickets(hall.hallId, MON, MON)).map((r) => r.rating)).toEqual([null, null]);
      });
    });

    it("the report's indicators: callback and rectification rates, overdue, appealed ratings told apart, working days to close", async () => {
      await served(1);
      await served(2);
      await served(2);
      await served(5);
      const [a, b] = await records.followUps.list(hall.hallId, "all");
      await step(a!.id, { kind: "callback", reached: true, note: "" });
      await step(a!.id, { kind: "rectification", note: "整改" });
      clock.advance(DAY);
      await records.followUps.record(hall.hallId, a!.id, { kind: "close", note: "" }, { by: "boss", now: clock.now(), today: "2026-03-03" });
      await step(b!.id, { kind: "appeal", note: "误评" });
      await records.followUps.record(hall.hallId, b!.id, { kind: "close", note: "" }, { by: "boss", now: clock.now(), today: "2026-03-06" });
      // Friday: the third, still open, was due on Thursday.
      const report = ReportSummary.parse(await summarize(records, config, { from: MON, to: MON, by: "day" }, {}, T0 + 4 * DAY));
      expect(report.total.bad).toBe(3);
      expect(report.total.ratings).toEqual([1, 2, 0, 0, 1]);
      expect(report.followUps).toEqual({
        opened: 3,
        calledBack: 1,
        callbackRate: 1 / 3,
        rectified: 1,
        rectificationRate: 1 / 3,
        appealed: 1,
        closed: 2,
        overdue: 1,
        closedLate: 1,
        // Monday to Tuesday is 1; to Friday, with Wednesday off, 3.
        meanWorkingDaysToClose: 2,
      });
    });

    it("a report of days without 差评 has empty indicators", async () => {
      const report = await summarize(records, config, { from: MON, to: MON, by: "day" });
      expect(report.followUps).toMatchObject({ opened: 0, callbackRate: null, rectificationRate: null, meanWorkingDaysToClose: null });
    });

    it("each change of a follow-up and each late rating goes out as a webhook, in the same transaction", async () => {
      records.webhooks.configure(hall.hallId, [{ url: "http://127.0.0.1:9/hook", events: ["followUp.updated", "rating.created"], secret: "a-secret-of-sixteen-chars" }]);
      await served(2);
      const t = await served();
      const { id } = await only();
      await step(id, { kind: "callback", reached: true, note: "已联系" });
      await records.followUps.rateLate(hall.hallId, t.id, 1, { now: clock.now(), today: MON, rules });
      const rows = await records.db.selectFrom("records_webhook_outbox").select(["type", "body"]).where("hall_id", "=", hall.hallId).orderBy("position").execute();
      const bodies = rows.map((r) => JSON.parse(r.body) as { type: string; data: { state?: string; step?: { kind: string }; rating?: number } });
      expect(bodies.map((b) => [b.type, b.data.step?.kind ?? b.data.rating])).toEqual([
        ["rating.created", 2],
        ["followUp.updated", "opened"],
        ["followUp.updated", "callback"],
        ["rating.created", 1],
        ["followUp.updated", "opened"],
      ]);
      expect(JSON.stringify(bodies)).not.toContain(t.id);
    });
  });
}
