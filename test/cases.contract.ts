/**
 * The cases (工单) contract: what the records must do with cases on every database (SQLite,
 * PostgreSQL): numbers allocated per hall and business day, steps as the domain decides them, a
 * repeated commandId changing nothing, case.updated enqueued with each change, the month's cases,
 * the phone erased by the retention rule. Each test has a hall of its own (a database may be shared).
 * Run it with `describeCasesContract(name, openRecords)`.
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HallCallError } from "../protocol/index.js";
import type { CaseContext, CaseOpening } from "../server/records/cases.js";
import type { RecordsStore } from "../server/records/records-store.js";

const MON = "2026-12-07";
const T0 = Date.parse("2026-12-07T02:00:00Z");

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "accepted",
    (err: unknown) => (err instanceof HallCallError ? err.code : String(err)),
  );

export function describeCasesContract(name: string, open: () => Promise<RecordsStore>): void {
  describe(`cases on ${name}`, () => {
    let records: RecordsStore;
    let hallId: string;
    let n = 0;
    const cmd = () => `cmd-${++n}-${randomBytes(4).toString("hex")}`;
    const ctx = (today = MON, by = "alice"): CaseContext => ({ by, now: T0 + n * 1000, today });
    const opening = (o: Partial<CaseOpening> = {}): CaseOpening => ({
      commandId: cmd(),
      category: "policy",
      summary: "退休金核定有异议",
      departments: ["社保局"],
      phone: "13812341234",
      ticketId: `tk-${n}`,
      ticketNumber: "A001",
      windowId: "9",
      dueDate: "2026-12-10",
      prefix: "BB",
      ...o,
    });

    beforeEach(async () => {
      records = await open();
      hallId = `cases-${randomBytes(4).toString("hex")}`;
      records.webhooks.configure(hallId, [{ url: "http://127.0.0.1:9/hook", events: ["case.updated"], secret: "s".repeat(16) }]);
    });
    afterEach(() => records.close());

    it("numbers each business day's cases of a hall from 001, every hall on its own", async () => {
      const a = await records.cases.open(hallId, opening(), ctx());
      const b = await records.cases.open(hallId, opening(), ctx());
      const c = await records.cases.open(hallId, opening(), ctx("2026-12-08"));
      const other = await records.cases.open(`${hallId}-b`, opening(), ctx());
      expect([a, b, c, other].map((x) => x.case.number)).toEqual(["BB-20261207-001", "BB-20261207-002", "BB-20261208-001", "BB-20261207-001"]);
      expect(a.case).toMatchObject({ state: "open", businessDate: MON, dueDate: "2026-12-10", phone: "13812341234", departments: ["社保局"], openedBy: "alice" });
      expect(a.case.steps).toEqual([{ n: 0, kind: "opened", by: "alice", at: expect.any(Number), text: "退休金核定有异议" }]);
      expect(a.case.key).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(await records.cases.getByKey(hallId, a.case.key)).toEqual(a.case);
    });

    it("a repeated case:open answers the first case and opens nothing more", async () => {
      const o = opening();
      const first = await records.cases.open(hallId, o, ctx());
      const again = await records.cases.open(hallId, o, ctx());
      expect(again).toEqual({ case: first.case, changed: false });
      expect(await records.cases.list(hallId, "all")).toHaveLength(1);
      expect(await codeOf(records.cases.open(hallId, { ...o, ticketId: "another" }, ctx()))).toBe("IDEMPOTENCY_CONFLICT");
    });

    it("steps are recorded with who and when, as the domain decides; a repeated step changes nothing", async () => {
      const { case: c } = await records.cases.open(hallId, opening(), ctx());
      const ask = cmd();
      const waiting = await records.cases.step(hallId, c.id, ask, { kind: "requestDocument", document: "户口本" }, ctx(MON, "bob"));
      expect(waiting.case.state).toBe("waitingForCitizen");
      expect(await records.cases.step(hallId, c.id, ask, { kind: "requestDocument", document: "户口本" }, ctx())).toEqual({ case: waiting.case, changed: false });
      expect(await codeOf(records.cases.step(hallId, c.id, cmd(), { kind: "resolve", resolution: "x" }, ctx()))).toBe("ILLEGAL_TRANSITION");
      await records.cases.step(hallId, c.id, cmd(), { kind: "documentReceived", document: "户口本" }, ctx());
      await records.cases.step(hallId, c.id, cmd(), { kind: "assign", department: "不动产登记中心" }, ctx());
      const resolved = await records.cases.step(hallId, c.id, cmd(), { kind: "resolve", resolution: "已补录" }, ctx("2026-12-09"));
      expect(resolved.case).toMatchObject({ state: "resolved", resolution: "已补录", resolvedDate: "2026-12-09", departments: ["社保局", "不动产登记中心"] });
      const closed = await records.cases.close(hallId, c.id, { commandId: cmd(), confirmed: true, rating: 5 }, ctx("2026-12-10"));
      expect(closed.case).toMatchObject({ state: "closed", rating: 5, closedDate: "2026-12-10" });
      expect(closed.case.steps.map((s) => [s.n, s.kind, s.text])).toEqual([
        [0, "opened", "退休金核定有异议"],
        [1, "requestDocument", "户口本"],
        [2, "documentReceived", "户口本"],
        [3, "assign", "不动产登记中心"],
        [4, "resolve", "已补录"],
        [5, "close", ""],
      ]);
      expect(closed.case.steps[1]!.by).toBe("bob");
      expect(await codeOf(records.cases.step(hallId, c.id, cmd(), { kind: "note", note: "x" }, ctx()))).toBe("CASE_CLOSED");
      expect(await codeOf(records.cases.step(hallId, "nope", cmd(), { kind: "note", note: "x" }, ctx()))).toBe("UNKNOWN_CASE");
    });

    it("every change enqueues one case.updated, without the key or the phone; a refused step enqueues none", async () => {
      const { case: c } = await records.cases.open(hallId, opening(), ctx());
      const note = cmd();
      await records.cases.step(hallId, c.id, note, { kind: "note", note: "已联系" }, ctx());
      await records.cases.step(hallId, c.id, note, { kind: "note", note: "已联系" }, ctx());
      await codeOf(records.cases.close(hallId, c.id, { commandId: cmd(), confirmed: true }, ctx()));
      const deliveries = await records.webhooks.list(hallId, "pending");
      expect(deliveries.map((d) => [d.type, (d.body.data as { state: string; step: { kind: string } }).step.kind])).toEqual([
        ["case.updated", "opened"],
        ["case.updated", "note"],
      ]);
      const body = JSON.stringify(deliveries.map((d) => d.body));
      expect(body).not.toContain(c.key);
      expect(body).not.toContain("13812341234");
    });

    it("lists the cases not closed, or all; and the ones opened in a range", async () => {
      const a = await records.cases.open(hallId, opening({ category: "system" }), ctx("2026-11-30"));
      const b = await records.cases.open(hallId, opening(), ctx());
      await records.cases.step(hallId, a.case.id, cmd(), { kind: "resolve", resolution: "修复" }, ctx());
      await records.cases.close(hallId, a.case.id, { commandId: cmd(), confirmed: true }, ctx());
      expect((await records.cases.list(hallId, "open")).map((c) => c.id)).toEqual([b.case.id]);
      expect((await records.cases.list(hallId, "all")).map((c) => c.id)).toEqual([a.case.id, b.case.id]);
      expect((await records.cases.openedBetween(hallId, "2026-12-01", "2026-12-31")).map((c) => c.id)).toEqual([b.case.id]);
    });

    it("the retention rule erases the phone of cases closed, or opened and never closed, before the cutoff", async () => {
      const old = await records.cases.open(hallId, opening(), ctx("2026-06-01"));
      const closedLate = await records.cases.open(hallId, opening(), ctx("2026-06-01"));
      await records.cases.step(hallId, closedLate.case.id, cmd(), { kind: "resolve", resolution: "x" }, ctx("2026-12-01"));
      await records.cases.close(hallId, closedLate.case.id, { commandId: cmd(), confirmed: true }, ctx("2026-12-01"));
      const fresh = await records.cases.open(hallId, opening(), ctx());
      expect(await records.cases.erasePersonal(hallId, "2026-09-01")).toBe(1);
      expect(await records.cases.erasePersonal(hallId, "2026-09-01")).toBe(0);
      expect((await records.cases.get(hallId, old.case.id))!.phone).toBeNull();
      expect((await records.cases.get(hallId, closedLate.case.id))!.phone).toBe("13812341234");
      expect((await records.cases.get(hallId, fresh.case.id))!.phone).toBe("13812341234");
    });

    it("openings sent at once get numbers of their own", async () => {
      const opened = await Promise.all(Array.from({ length: 6 }, () => records.cases.open(hallId, opening(), ctx())));
      expect(opened.map((o) => o.case.number).sort()).toEqual([1, 2, 3, 4, 5, 6].map((i) => `BB-20261207-00${i}`));
    });
  });
}
