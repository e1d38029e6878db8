/**
 * The audit trail in the console, in Chromium: a counter opens its window, the manager calls a
 * ticket out of turn with a reason and changes what a window serves; the 操作日志 tab lists who
 * did each, and its filters narrow the list. The hall and its records share one SQLite file,
 * archived as in main.ts.
 */
import { afterAll, describe, expect, it } from "vitest";
import { DEVICES, screenshot, startBrowser } from "./helpers/browser.js";
import { PASSWORD, testHall } from "./helpers/hall.js";
import { issue, ok, startRecordedWebServer } from "./helpers/web.js";

const WAIT = { timeout: 10_000 };

describe("the console's audit trail", async () => {
  const hall = testHall();
  const t = await startRecordedWebServer(hall);
  const browser = await startBrowser();
  afterAll(() => t.close());

  it("lists who opened a window, who called a ticket out of turn and why, and who changed a window's services; filters narrow it", async () => {
    await t.counter("alice", "1");
    await issue(t, "social");
    const later = await issue(t, "social");
    const manager = await t.manager();
    await ok(manager, "window:callTicket", { windowId: "1", ticketId: later.id, reason: "预约群众已到场" });
    await ok(manager, "window:setServing", { windowId: "2", serving: ["medical", "social"] });

    const page = await (await browser.newContext(DEVICES.manager)).newPage();
    await page.goto(`${t.url}/manager/?hall=${hall.id}`);
    await page.getByTestId("staff-id").fill("boss");
    await page.getByTestId("password").fill(PASSWORD);
    await page.getByTestId("sign-in-submit").click();
    await page.getByTestId("window-1").waitFor(WAIT);
    await page.getByTestId("tab-audit").click();
    const entries = page.getByTestId("audit-entry");
    // Archived in the background: read again until the last change is there.
    await expect
      .poll(async () => {
        const text = (await page.getByTestId("audit-table").count()) ? await page.getByTestId("audit-table").textContent() : "";
        if (!text?.includes("预约群众已到场") || !text.includes("2号窗口")) await page.getByTestId("audit-refresh").click();
        return text ?? "";
      }, WAIT)
      .toContain("预约群众已到场");
    const table = (await page.getByTestId("audit-table").textContent()) ?? "";
    expect(table).toContain("alice");
    expect(table).toContain("boss");
    expect(table).toContain(later.number);
    expect(table).not.toContain(later.id);
    await screenshot(page, "manager-audit");

    await page.getByTestId("audit-kind").selectOption("callTicket");
    await expect.poll(() => entries.count(), WAIT).toBe(1);
    expect(await entries.first().textContent()).toContain("预约群众已到场");
  });
});
