import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { CaseBoard, CaseReport, PublicCase, type CaseView } from "../protocol/index.js";
import { ManualClock } from "../server/domain/clock.js";
import { openRecords } from "../server/records/open.js";
import { TOKENS } from "./helpers/hall.js";
import { at, caseHall, MON, openCase, ticketAt9 } from "./helpers/cases.js";
import { call, cid, startTestServer } from "./helpers/server.js";

describe("cases (工单) over REST", async () => {
  const records = await openRecords({ sqlite: ":memory:" });
  afterAll(() => records.close());
  const clock = new ManualClock(at(MON, "10:00"));
  const t = await startTestServer({ records, clock, halls: [caseHall()] });
  const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
  const alice = await t.counter("alice", "9");
  const bossToken = await t.login("boss");
  const aliceToken = await t.login("alice");
  const get = (path: string, token?: string) => fetch(`${t.url}/api/halls/t1/cases${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const opened = async (o: Record<string, unknown> = {}): Promise<CaseView> => {
    await ticketAt9(kiosk, alice);
    return openCase(alice, o);
  };

  it("the public page reads its case by key: no staff ids, ticket or phone; a made-up key is UNKNOWN_CASE", async () => {
    const c = await opened();
    await call(alice, "case:update", { commandId: cid(), caseId: c.id, step: { kind: "requestDocument", document: "结婚证" } });
    const res = await get(`/${c.key}`);
    expect(res.status).toBe(200);
    const page = PublicCase.parse(await res.json());
    expect(page).toMatchObject({ number: c.number, state: "waitingForCitizen", documentsNeeded: ["结婚证"], dueDate: "2026-12-11", categoryName: { zh: "政策咨询" } });
    expect(page.steps.map((s) => s.kind)).toEqual(["opened", "requestDocument"]);
    expect(JSON.stringify(page)).not.toMatch(/alice|1381234|138\*|"by"|A0\d\d/);
    const unknown = await get("/made-up-key-0000000000");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: "UNKNOWN_CASE" } });
  });

  it("the board and the report are for managers", async () => {
    expect((await get("")).status).toBe(401);
    expect((await get("", aliceToken)).status).toBe(403);
    expect((await get("/report?month=2026-12", aliceToken)).status).toBe(403);
    expect((await get("", bossToken)).status).toBe(200);
  });

  it("bad queries are 400 VALIDATION", async () => {
    for (const q of ["?state=closed", "/report", "/report?month=2026-13", "/report?month=dec"]) {
      const res = await get(q, bossToken);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
    }
  });

  it("the month's report counts each category's cases and the mean working days to resolve", async () => {
    const a = await opened({ category: "system" });
    await opened({ category: "system" });
    await call(alice, "case:update", { commandId: cid(), caseId: a.id, step: { kind: "resolve", resolution: "重启服务" } });
    const res = await get("/report?month=2026-12", bossToken);
    expect(res.status).toBe(200);
    const report = CaseReport.parse(await res.json());
    expect(report.rows.find((r) => r.category === "system")).toEqual({ category: "system", name: { zh: "系统故障", en: "System fault" }, opened: 2, resolved: 1, closed: 0, overdue: 0, meanWorkingDaysToResolve: 0 });
    const november = CaseReport.parse(await (await get("/report?month=2026-11", bossToken)).json());
    expect(november.rows.every((r) => r.opened === 0)).toBe(true);
  });

  it("the summary export has a sheet of the range's cases by category, counted as the month's report counts them", async () => {
    const res = await fetch(`${t.url}/api/halls/t1/reports/summary.xlsx?from=${MON}&to=${MON}`, { headers: { authorization: `Bearer ${bossToken}` } });
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.getWorksheet("cases 工单")!;
    const rows = sheet.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(rows.find((r) => r[0] === "system")).toEqual(["system", "系统故障", 2, 1, 0, 0, 0]);
  });

  // Last: it moves the clock on to another week.
  it("the board counts the cases due within a working day and, past the due date (the holiday skipped), overdue", async () => {
    // A sign-in lasts 12 hours: each day's board with that day's.
    const board = async () => CaseBoard.parse(await (await get("?state=open", await t.login("boss"))).json());
    const now = await board();
    // 政策咨询 (3 working days) opened Monday is due Friday 11 December, Wednesday being a holiday.
    const policy = now.cases.filter((c) => c.category === "policy" && c.state !== "resolved");
    expect(policy.length).toBeGreaterThan(0);
    expect(policy.every((c) => c.dueDate === "2026-12-11" && !c.overdue)).toBe(true);
    expect(now.overdue).toBe(0);

    clock.set(at("2026-12-10", "10:00"));
    const thursday = await board();
    // Due Friday (政策咨询) or that Thursday (the 系统故障 case not resolved: 2 working days).
    expect(thursday.dueWithinWorkingDay).toBe(policy.length + 1);
    expect(thursday.overdue).toBe(0);

    clock.set(at("2026-12-14", "10:00"));
    const monday = await board();
    expect(monday.today).toBe("2026-12-14");
    expect(monday.overdue).toBe(monday.cases.filter((c) => c.overdue).length);
    expect(monday.cases.filter((c) => c.category === "policy" && c.state !== "resolved").every((c) => c.overdue)).toBe(true);
    expect(monday.cases.find((c) => c.state === "resolved")?.overdue).toBe(false);
    expect(monday.byCategory.policy).toBe(policy.length);
  });
});
