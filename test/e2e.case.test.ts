/**
 * A 办不成事 case followed to its end, in Chromium, as issue 14 tells it: the citizen's ticket is
 * called at the escalation window; the counter opens a case in its dialog; a step recorded in
 * the console shows in the counter's list as the server sends it; the citizen's phone
 * shows the progress page from the case's link; the counter asks for a document and the phone
 * shows it without a reload; the case is resolved, then closed with the citizen's confirmation,
 * and the phone says 已办结; the console's case board lists it, and shows a case opened while it
 * is open without waiting for its next read. The hall and its records share
 * one SQLite file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openRecords } from "../server/records/open.js";
import { createSqliteStore } from "../server/store/sqlite/sqlite-store.js";
import { DEVICES, screenshot, startBrowser } from "./helpers/browser.js";
import { PASSWORD, testHall } from "./helpers/hall.js";
import { cid, call } from "./helpers/server.js";
import { issue, startWebServer, text } from "./helpers/web.js";

const WAIT = { timeout: 10_000 };

describe("a case from the escalation window to its close, followed on the citizen's phone", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hc-case-"));
  const store = createSqliteStore(dir);
  const records = await openRecords({ sqlite: store.db });
  const base = testHall();
  const hall = testHall({ windows: base.windows.map((w) => (w.id === "4" ? { ...w, label: { zh: "办不成事窗口", en: "Escalation window" }, escalation: true } : w)) });
  const t = await startWebServer({ store, records, halls: [hall] });
  const browser = await startBrowser();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const open = async (device: keyof typeof DEVICES, url: string): Promise<Page> => {
    const page = await (await browser.newContext(DEVICES[device])).newPage();
    page.on("pageerror", (err) => console.error(`[${device}] page error:`, err.message));
    // The page's timers on a clock the test may stop (time runs as usual until then).
    await page.clock.install();
    await page.goto(`${t.url}${url}`);
    return page;
  };
  let counter: Page;
  let phone: Page;
  let board: Page;
  let number = "";

  it("the counter at the escalation window opens a case for the ticket at it", async () => {
    const ticket = await issue(t, "social");
    counter = await open("counter", `/counter-client/?hall=${hall.id}`);
    await counter.getByTestId("staff-id").fill("alice");
    await counter.getByTestId("password").fill(PASSWORD);
    await counter.getByTestId("sign-in-submit").click();
    await counter.getByTestId("pick-window-4").click();
    await counter.getByTestId("idle").waitFor(WAIT);
    // No ticket at the window: nothing to open a case for.
    expect(await counter.getByTestId("case-open").count()).toBe(0);
    await counter.getByTestId("action-callNext").click();
    await expect.poll(() => counter.getByTestId("current-number").textContent(), WAIT).toBe(ticket.number);
    await counter.getByTestId("case-open").click();
    await counter.getByTestId("case-category").selectOption("coordination");
    await counter.getByTestId("case-summary").fill("户籍迁移后社保关系无法转入");
    await counter.getByTestId("case-departments").fill("社保中心、公安户籍科");
    await counter.getByTestId("case-phone").fill("13812345678");
    await screenshot(counter, "case-counter-dialog");
    await counter.getByTestId("case-open-submit").click();
    await counter.getByTestId("case-dialog").waitFor({ state: "detached", ...WAIT });
    await counter.getByTestId("case-qr").waitFor(WAIT);
    number = (await counter.getByTestId("case-detail").getAttribute("data-number"))!;
    expect(number).toMatch(/^BB-\d{8}-\d{3}$/);
    // The phone is shown masked even to staff.
    expect(await text(counter, "case-detail")).not.toContain("13812345678");
    await screenshot(counter, "case-counter-panel");
  });

  it("a step recorded in the console shows in the counter's open case at once, not at its next read", async () => {
    // The counter's timers stop: no read every 30 s, no resync; only what the server sends.
    await counter.clock.pauseAt(await counter.evaluate(() => Date.now()));
    const manager = await t.manager();
    const listed = await call<{ id: string; number: string }[]>(manager, "case:list", { state: "open" });
    const c = (listed.ok ? listed.data : []).find((x) => x.number === number)!;
    await call(manager, "case:update", { commandId: cid(), caseId: c.id, step: { kind: "note", note: "已联系社保中心核实转入记录" } });
    manager.disconnect();
    await counter.locator('[data-testid="case-steps"]', { hasText: "已联系社保中心核实转入记录" }).waitFor(WAIT);
    expect(await text(counter, "case-steps")).toContain("boss");
    await screenshot(counter, "case-counter-live-step");
    await counter.clock.resume();
  });

  it("the citizen's phone shows the case from its link, and a document asked for appears without a reload", async () => {
    const link = (await counter.getByTestId("case-link").getAttribute("href"))!;
    phone = await open("phone", new URL(link).pathname + new URL(link).search);
    await expect.poll(() => text(phone, "case-number"), WAIT).toContain(number);
    expect(await text(phone, "case-state")).toBe("办理中");
    expect(await phone.getByTestId("case-stage-opened").getAttribute("data-mark")).toBe("done");
    expect(await phone.getByTestId("case-stage-resolve").getAttribute("data-mark")).toBe("todo");
    const body = await text(phone, "case-bar");
    expect(body).toContain("受理");
    expect(await phone.locator("body").innerText()).not.toContain("13812345678");
    expect(await phone.locator("body").innerText()).not.toContain("alice");
    await phone.evaluate(() => ((window as unknown as { sameLoad: boolean }).sameLoad = true));

    await counter.getByTestId("case-step-kind").selectOption("assign");
    await counter.getByTestId("case-step-text").fill("社保中心");
    await counter.getByTestId("case-step-submit").click();
    await expect.poll(() => text(phone, "case-department"), WAIT).toBe("社保中心");

    await counter.getByTestId("case-step-kind").selectOption("requestDocument");
    await counter.getByTestId("case-step-text").fill("户口迁移证明原件");
    await counter.getByTestId("case-step-submit").click();
    await expect.poll(() => text(phone, "case-documents"), WAIT).toContain("户口迁移证明原件");
    expect(await text(phone, "case-state")).toBe("待补正材料");
    expect(await phone.evaluate(() => (window as unknown as { sameLoad?: boolean }).sameLoad)).toBe(true);
    await screenshot(phone, "case-phone-documents");
  });

  it("resolved and closed with the citizen's confirmation, the phone says 已办结", async () => {
    await counter.getByTestId("case-step-kind").selectOption("documentReceived");
    await counter.getByTestId("case-step-submit").click();
    await expect.poll(() => phone.getByTestId("case-documents").count(), WAIT).toBe(0);

    await counter.getByTestId("case-step-kind").selectOption("resolve");
    await counter.getByTestId("case-step-text").fill("已协调社保中心完成关系转入");
    await counter.getByTestId("case-step-submit").click();
    await expect.poll(() => text(phone, "case-resolution"), WAIT).toContain("已协调社保中心完成关系转入");

    await counter.getByTestId("case-confirmed").selectOption("yes");
    await counter.getByTestId("case-rating").selectOption("5");
    await counter.getByTestId("case-close-submit").click();
    await expect.poll(() => text(phone, "case-state"), WAIT).toBe("已办结");
    expect(await phone.getByTestId("case-stage-close").getAttribute("data-mark")).toBe("done");
    expect(await phone.evaluate(() => (window as unknown as { sameLoad?: boolean }).sameLoad)).toBe(true);
    // Closed, it leaves the counter's list of open cases.
    await expect.poll(() => counter.getByTestId(`case-${number}`).count(), WAIT).toBe(0);
    await screenshot(phone, "case-phone-closed");
  });

  it("the console's case board lists it among all cases, with its steps", async () => {
    board = await open("manager", `/manager/?hall=${hall.id}`);
    await board.getByTestId("staff-id").fill("boss");
    await board.getByTestId("password").fill(PASSWORD);
    await board.getByTestId("sign-in-submit").click();
    await board.getByTestId("window-1").waitFor(WAIT);
    await board.getByTestId("tab-cases").click();
    await board.getByTestId("cases-open").waitFor(WAIT);
    expect(await board.getByTestId(`board-case-${number}`).count()).toBe(0);
    await board.getByTestId("cases-filter").selectOption("all");
    await board.getByTestId(`board-case-${number}`).click();
    expect(await text(board, `board-case-${number}-state`)).toBe("已办结");
    expect(await text(board, `board-case-${number}-steps`)).toContain("户口迁移证明原件");
    await expect.poll(() => text(board, "cases-report"), WAIT).toContain("跨部门协调");
    await screenshot(board, "case-console-board");
  });

  it("a case opened at the counter's window shows on the console's board at once, not at its next read", async () => {
    await board.clock.pauseAt(await board.evaluate(() => Date.now()));
    const manager = await t.manager();
    const opened = await call<{ number: string }>(manager, "case:open", { commandId: cid(), windowId: "4", category: "coordination", summary: "社保卡补办后无法激活", departments: ["社保中心"], phone: "13812345678" });
    manager.disconnect();
    expect(opened.ok).toBe(true);
    const again = opened.ok ? opened.data.number : "";
    await board.getByTestId(`board-case-${again}`).waitFor(WAIT);
    expect(await text(board, `board-case-${again}-state`)).toBe("办理中");
    await board.clock.resume();
  });
});
