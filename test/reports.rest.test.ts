import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { ReportSummary } from "../protocol/index.js";
import { businessDate } from "../server/domain/clock.js";
import { openRecords } from "../server/records/open.js";
import { TOKENS } from "./helpers/hall.js";
import { call, cid, startTestServer } from "./helpers/server.js";

describe("the reports routes", async () => {
  const records = await openRecords({ sqlite: ":memory:" });
  const t = await startTestServer({ records });
  const today = businessDate(Date.now(), t.hall.timezone);
  const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
  const counter = await t.counter("alice", "1");
  for (let i = 0; i < 3; i++) await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
  for (let i = 0; i < 2; i++) {
    await call(counter, "window:callNext", { commandId: cid(), windowId: "1" });
    await call(counter, "ticket:finish", { commandId: cid(), windowId: "1" });
  }
  await records.append(t.hall.id, await t.server.ctx.store.eventsSince(t.hall.id, 0, 10_000));
  const managerToken = await t.login("boss");
  const counterToken = await t.login("bob");
  const get = (path: string, token?: string) => fetch(`${t.url}/api/halls/${t.hall.id}/reports/${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const range = `from=${today}&to=${today}`;

  it("a summary needs a manager: none is 401, a counter 403", async () => {
    expect((await get(`summary?${range}`)).status).toBe(401);
    const res = await get(`summary?${range}`, counterToken);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("a range that is not one is refused with VALIDATION", async () => {
    for (const q of ["from=2026-13-01&to=2026-12-01", `from=${today}&to=2020-01-01`, "from=2025-01-01&to=2026-06-01", "by=week"]) {
      const res = await get(`summary?${q}`, managerToken);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
    }
  });

  it("the summary answers the day's figures in the protocol's shape", async () => {
    const res = await get(`summary?${range}&by=service`, managerToken);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const summary = ReportSummary.parse(await res.json());
    expect(summary.total).toMatchObject({ issued: 3, served: 2 });
    expect(summary.rows.find((r) => r.key === "social")).toMatchObject({ issued: 3, served: 2, label: { zh: "社保", en: "Social" } });
  });

  it("the tickets CSV has a BOM, a header and one row per ticket, with Chinese names intact", async () => {
    const res = await get(`tickets.csv?${range}`, managerToken);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toContain(`hallcall-${t.hall.id}-tickets-${today}-${today}.csv`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trim().split("\r\n");
    expect(lines[0]).toContain("号码 number");
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => l.includes("社保"))).toHaveLength(3);
    expect(lines.filter((l) => l.includes("办结 finished"))).toHaveLength(2);
  });

  it("the tickets XLSX opens with one row per ticket", async () => {
    const res = await get(`tickets.xlsx?${range}`, managerToken);
    expect(res.headers.get("content-type")).toContain("spreadsheetml");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(2).getCell(2).value).toBe("社保");
  });

  it("the summary XLSX has one sheet per grouping", async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await (await get(`summary.xlsx?${range}`, managerToken)).arrayBuffer());
    expect(book.worksheets.map((s) => s.name)).toEqual(["按日 by day", "按事项 by service", "按窗口 by window", "按人员 by staff", "按时段 by hour", "cases 工单"]);
    const byDay = book.worksheets[0]!;
    expect(byDay.getRow(2).getCell(1).value).toBe(today);
    expect(byDay.getRow(2).getCell(3).value).toBe(3);
  });

  it("a counter sees its own figures across days, not a colleague's", async () => {
    const alice = await (await get(`me?${range}`, await t.login("alice"))).json();
    expect(alice).toMatchObject({ staffId: "alice", total: { served: 2 } });
    const bob = await (await get(`me?${range}`, counterToken)).json();
    expect(bob).toMatchObject({ staffId: "bob", total: { served: 0 } });
  });
});
