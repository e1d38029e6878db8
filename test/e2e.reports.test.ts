/**
 * The reports page (统计报表) in Chromium at 1600×900: a day of tickets issued, called, finished and
 * rated through real sockets, kept in SQLite by the archiver, then read by the manager as a table,
 * charts and downloads.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { Archiver } from "../server/records/archiver.js";
import { openRecords } from "../server/records/open.js";
import type { RecordsStore } from "../server/records/records-store.js";
import { createSqliteStore } from "../server/store/sqlite/sqlite-store.js";
import type { ReportSummary } from "../protocol/index.js";
import { openPage, screenshot, startBrowser } from "./helpers/browser.js";
import { PASSWORD, TOKENS } from "./helpers/hall.js";
import type { TestServer } from "./helpers/server.js";
import { ok, startWebServer, text } from "./helpers/web.js";

const WAIT = { timeout: 10_000 };

let srv: TestServer;
let records: RecordsStore;
let archiver: Archiver;
let browser: Browser;
let page: Page;
/** The CSP's complaints while the reports page ran (Chromium's console lines and the page's violation events). */
const csp: string[] = [];
/**
 * zod (in protocol/, on every page) tries `Function("")` once, when its object schemas are built,
 * to see whether it may compile parsers, and falls back when `script-src 'self'` says no: caught,
 * and the same on every page. Anything else, ECharts (bundled in the page's own chunk) included,
 * is a real violation.
 */
const zodsEvalProbe = (line: string) => /violation: script-src eval at .*\/assets\/(?!manager_reports)[^/]+\.js/.test(line);
const dir = mkdtempSync(path.join(tmpdir(), "hc-reports-"));

/** Issues, calls, finishes and rates: 3 社保 (two served and rated 5 and 2, one no-show) and 1 医保 served and rated 4. */
async function aDayOfTickets(): Promise<void> {
  const kiosk = await srv.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
  for (const serviceId of ["social", "social", "social", "medical"]) await ok(kiosk, "ticket:issue", { serviceId });
  const alice = await srv.counter("alice", "1");
  const bob = await srv.counter("bob", "2");
  const pad1 = await srv.client({ role: "pad", deviceToken: TOKENS.pad1 });
  const pad2 = await srv.client({ role: "pad", deviceToken: TOKENS.pad2 });
  for (const [counter, windowId] of [[alice, "1"], [bob, "2"]] as const) await ok(counter, "window:open", { windowId }).catch(() => undefined);
  const serve = async (counter: typeof alice, pad: typeof pad1, windowId: string, rating: number) => {
    await ok(counter, "window:callNext", { windowId });
    await ok(counter, "ticket:start", { windowId });
    const fin = await ok(counter, "ticket:finish", { windowId });
    await ok(pad, "ticket:rate", { windowId, ticketId: (fin as { ticket: { id: string } }).ticket.id, rating });
  };
  await serve(alice, pad1, "1", 5);
  await serve(alice, pad1, "1", 2);
  await ok(alice, "window:callNext", { windowId: "1" });
  await ok(alice, "ticket:noShow", { windowId: "1" });
  await serve(bob, pad2, "2", 4);
  for (const s of [kiosk, alice, bob, pad1, pad2]) s.disconnect();
}

beforeAll(async () => {
  const store = createSqliteStore(dir);
  records = await openRecords({ sqlite: store.db });
  srv = await startWebServer({ store, records });
  archiver = new Archiver({ store, records, halls: [srv.hall.id], intervalMs: 50 });
  srv.server.ctx.onEvent(archiver.notify);
  archiver.start();
  await aDayOfTickets();
  // Everything is in the records once the archiver's cursor reaches the hall's last event.
  const last = (await srv.server.ctx.store.snapshot(srv.hall.id)).seq;
  const end = Date.now() + 10_000;
  while (((await records.cursor(srv.hall.id))?.seq ?? 0) < last) {
    if (Date.now() > end) throw new Error("the archiver did not catch up");
    await new Promise((r) => setTimeout(r, 50));
  }
  browser = await startBrowser();
  ({ page } = await openPage(browser, "manager", "about:blank"));
  // Chromium logs a blocked script, style or image to the console, and fires the event too.
  await page.addInitScript(() => document.addEventListener("securitypolicyviolation", (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`)));
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text()) && !zodsEvalProbe(m.text())) csp.push(m.text());
  });
  await page.goto(`${srv.url}/manager/reports.html?hall=${srv.hall.id}`);
  await page.getByTestId("staff-id").fill("boss");
  await page.getByTestId("password").fill(PASSWORD);
  await page.getByTestId("sign-in-submit").click();
}, 60_000);

afterAll(async () => {
  await archiver?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The whole page (table and the four charts) in one picture. */
async function fullScreenshot(name: string): Promise<void> {
  await page.setViewportSize({ width: 1600, height: 1050 });
  await page.waitForTimeout(300);
  await screenshot(page, name);
  await page.setViewportSize({ width: 1600, height: 900 });
}

/** What a download saved, as bytes. */
async function downloaded(testId: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
  const saved = await file.path();
  return readFileSync(saved);
}

describe("reports page", () => {
  it("shows today's tickets by day: 4 issued, 3 served, 1 no-show, and the ratings", async () => {
    await page.getByTestId("row-total").waitFor(WAIT);
    expect(await text(page, "issued-total")).toBe("4");
    expect(await text(page, "served-total")).toBe("3");
    expect(await text(page, "noshows-total")).toBe("1");
    expect(await text(page, "rating-5-total")).toBe("1");
    expect(await text(page, "rating-4-total")).toBe("1");
    expect(await text(page, "rating-2-total")).toBe("1");
    expect(await text(page, "bad-total")).toBe("1");
    expect(await text(page, "satisfaction-total")).toBe("66.7%");
  });

  it("shows what the server sent, nothing computed on the page", async () => {
    const token = await srv.login("boss");
    const today = await page.getByTestId("to").inputValue();
    const from = await page.getByTestId("from").inputValue();
    const res = await fetch(`${srv.url}/api/halls/${srv.hall.id}/reports/summary?from=${from}&to=${today}&by=day`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as ReportSummary;
    const day = body.rows.find((r) => r.issued > 0)!;
    expect(await text(page, `issued-${day.key}`)).toBe(String(day.issued));
    expect(await text(page, `served-${day.key}`)).toBe(String(day.served));
  });

  it("draws the charts on canvas", async () => {
    for (const id of ["chart-tickets", "chart-ratings", "chart-arrivals"]) {
      const drawn = await page.locator(`[data-testid="${id}"] canvas`).first().evaluate((c: HTMLCanvasElement) => {
        const px = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) painted++;
        return { width: c.width, painted };
      });
      expect(drawn.width, id).toBeGreaterThan(100);
      expect(drawn.painted, id).toBeGreaterThan(500);
    }
    await fullScreenshot("reports");
  });

  it("by service: 社保 3 issued, 2 served, and its waits against the target are drawn", async () => {
    await page.getByTestId("by-service").click();
    await expect.poll(() => text(page, "group-social"), WAIT).toBe("社保");
    expect(await text(page, "issued-social")).toBe("3");
    expect(await text(page, "served-social")).toBe("2");
    expect(await text(page, "issued-medical")).toBe("1");
    await page.locator('[data-testid="chart-waits"] canvas').first().waitFor(WAIT);
  });

  it("by staff: Alice served 2 with one 差评, Bob 1", async () => {
    await page.getByTestId("by-staff").click();
    await expect.poll(() => text(page, "group-alice"), WAIT).toBe("Alice");
    expect(await text(page, "served-alice")).toBe("2");
    expect(await text(page, "bad-alice")).toBe("1");
    expect(await text(page, "served-bob")).toBe("1");
  });

  it("downloads the tickets as CSV with a BOM and the Chinese service name, and as XLSX", async () => {
    const csv = await downloaded("download-csv");
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString("utf8")).toContain("社保");
    const xlsx = await downloaded("download-xlsx");
    expect(xlsx.subarray(0, 2).toString("latin1")).toBe("PK");
    const summary = await downloaded("download-summary");
    expect(summary.subarray(0, 2).toString("latin1")).toBe("PK");
  });

  it("reads in English, and nothing on the page broke the CSP (ECharts draws on canvas)", async () => {
    await page.getByTestId("lang-switch").click();
    await page.getByTestId("by-service").click();
    await expect.poll(() => text(page, "group-social"), WAIT).toBe("Social");
    await page.getByTestId("by-day").click();
    await expect.poll(() => text(page, "group-total"), WAIT).toBe("Total");
    await fullScreenshot("reports-en");
    expect(csp).toEqual([]);
  });

  it("a counter sees its own days under 我的统计: Alice served 2", async () => {
    const { page: counter, context } = await openPage(browser, "counter", `${srv.url}/counter-client/?hall=${srv.hall.id}`);
    await counter.getByTestId("staff-id").fill("alice");
    await counter.getByTestId("password").fill(PASSWORD);
    await counter.getByTestId("sign-in-submit").click();
    await counter.getByTestId("pick-window-1").click();
    await expect.poll(() => text(counter, "my-days-served"), WAIT).toBe("2");
    await screenshot(counter, "counter-my-days");
    await context.close();
  });

  it("an expired session sends the manager back to sign-in", async () => {
    await page.evaluate(() => {
      for (const k of Object.keys(sessionStorage)) if (k.startsWith("hallcall.session.manager.")) {
        const s = JSON.parse(sessionStorage.getItem(k)!);
        sessionStorage.setItem(k, JSON.stringify({ ...s, token: "not-a-token" }));
      }
    });
    await page.reload();
    await page.getByTestId("sign-in").waitFor(WAIT);
    expect(await text(page, "error")).not.toBe("");
  });
});
