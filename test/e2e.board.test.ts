import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { hallNamespace } from "../protocol/index.js";
import { DEVICES, openPage, screenshot, startBrowser } from "./helpers/browser.js";
import { TOKENS } from "./helpers/hall.js";
import { HeldStore } from "./helpers/held-store.js";
import type { TestServer } from "./helpers/server.js";
import { issue, ok, startWebServer, text, waitForExact, waitForText } from "./helpers/web.js";

declare global {
  interface Window {
    __hallcallAnnouncements?: string[];
  }
}

const announcements = (page: Page) => page.evaluate(() => window.__hallcallAnnouncements ?? []);
const announced = (page: Page, expected: string) => page.waitForFunction((t) => window.__hallcallAnnouncements?.includes(t), expected, { timeout: 10_000 });
/** The board has its first snapshot (service tiles are drawn from it). */
const ready = (page: Page) => page.locator('[data-testid="service-queue"]').first().waitFor();
const waiting = (serviceId: string) => `[data-service="${serviceId}"] [data-testid="waiting-count"]`;
const waitingNow = async (t: TestServer, serviceId: string) =>
  (await t.server.ctx.store.snapshot("t1")).tickets.filter((x) => x.serviceId === serviceId && x.state === "waiting").length;

describe("hall board", async () => {
  const store = new HeldStore();
  const t = await startWebServer({ store, storeDeadlineMs: 300 });
  const browser = await startBrowser();
  const boardUrl = (extra = "") => `${t.url}/displays/board.html?hall=t1&token=${TOKENS.board}${extra}`;
  const alice = await t.counter("alice", "1");

  it("shows a new call big with its window and announces it in Chinese", async () => {
    const { context, page } = await openPage(browser, "board", boardUrl());
    await ready(page);
    const ticket = await issue(t, "social");
    expect(ticket.number).toBe("A001");
    await ok(alice, "window:callNext", { windowId: "1" });
    await waitForText(page, "latest-number", "A001");
    expect(await text(page, "latest-window")).toContain("1号窗口");
    await announced(page, "请 A001 号 到 1号窗口 办理");
    await waitForText(page, "announcement", "请 A001 号 到 1号窗口 办理");
    const size = await page.locator('[data-testid="latest-number"]').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(0.08 * DEVICES.board.viewport.height);
    await screenshot(page, "board");
    await context.close();
  });

  it("a reloaded board does not read old calls again, and a recall is announced once", async () => {
    const { context, page } = await openPage(browser, "board", boardUrl());
    await ready(page);
    await ok(alice, "window:recall", { windowId: "1" });
    await announced(page, "请 A001 号 到 1号窗口 办理");
    await page.reload();
    await ready(page);
    await waitForText(page, "latest-number", "A001");
    // Something else happens in the hall; the reloaded board must stay quiet about A001.
    await issue(t, "medical");
    await waitForExact(page, waiting("medical"), "1");
    expect(await announcements(page)).toEqual([]);
    await context.close();
  });

  it("announces in English when the board is switched to English", async () => {
    const { context, page } = await openPage(browser, "board", boardUrl("&lang=en"));
    await ready(page);
    await ok(alice, "ticket:start", { windowId: "1" });
    await ok(alice, "ticket:finish", { windowId: "1" });
    const ticket = await issue(t, "social");
    await ok(alice, "window:callNext", { windowId: "1" });
    await announced(page, `Number ${ticket.number}, please go to Window 1`);
    await waitForText(page, "latest-window", "Window 1");
    await screenshot(page, "board-en");
    await context.close();
  });

  it("after a dropped connection it shows 离线 over the greyed-out calls, catches up by itself, and announces only the calls it missed", async () => {
    const bob = await t.counter("bob", "2");
    const boss = await t.counter("boss", "4");
    const { context, page } = await openPage(browser, "board", boardUrl());
    await ready(page);
    await issue(t, "medical");
    const c1 = await ok(bob, "window:callNext", { windowId: "2" });
    await announced(page, `请 ${(c1 as { ticket: { number: string } }).ticket.number} 号 到 2号窗口 办理`);
    const before = await announcements(page);

    // The network fails: the board's socket closes and reconnecting is refused for a while.
    let offline = true;
    const hall = t.server.io.of(hallNamespace("t1"));
    hall.use((socket, next) => (offline && socket.data.role === "display" ? next(Object.assign(new Error("network down (test)"), { data: { code: "OFFLINE" } })) : next()));
    for (const s of hall.sockets.values()) if (s.data.role === "display") s.conn.close();
    await page.locator('[data-testid="connection-status"][data-status="offline"][data-reason="network"]').waitFor();
    expect(await text(page, "offline-title")).toBe("离线");
    expect(await page.locator('[data-testid="board-main"]').getAttribute("class")).toBe("stale");
    await screenshot(page, "board-offline");

    // Meanwhile the hall goes on.
    for (let i = 0; i < 3; i++) await issue(t, "medical");
    await ok(bob, "ticket:start", { windowId: "2" });
    await ok(bob, "ticket:finish", { windowId: "2" });
    const c2 = await ok(bob, "window:callNext", { windowId: "2" });
    const c3 = await ok(boss, "window:callNext", { windowId: "4" });
    const calledNumbers = [c2, c3].map((e) => (e as { ticket: { number: string } }).ticket.number);
    const expectedWaiting = await waitingNow(t, "medical");

    offline = false;
    // The page's reconnect backs off up to 5 s between tries; on a loaded 2-core machine (CI beside
    // other work) one try's handshake has taken long enough to pass 15 s.
    await page.locator('[data-testid="connection-status"]').waitFor({ state: "detached", timeout: 30_000 });
    await waitForText(page, "latest-number", calledNumbers[1]!).catch(async (e) => {
      await screenshot(page, "debug");
      console.log(calledNumbers, await text(page, "latest-number"), await announcements(page));
      throw e;
    });
    expect(await text(page, "latest-window")).toContain("4号窗口");
    await waitForExact(page, waiting("medical"), String(expectedWaiting));
    await announced(page, `请 ${calledNumbers[1]} 号 到 4号窗口 办理`);
    expect(await announcements(page)).toEqual([...before, `请 ${calledNumbers[0]} 号 到 2号窗口 办理`, `请 ${calledNumbers[1]} 号 到 4号窗口 办理`]);
    await screenshot(page, "board-caught-up");
    await context.close();
  }, 60_000);

  it("shows 离线 while the server cannot read the hall for its resync, and goes live again when it can", async () => {
    const { context, page } = await openPage(browser, "board", boardUrl());
    await ready(page);
    // The store stops answering reads; the board's connection drops and its resync is answered STORE_UNAVAILABLE.
    store.stallSnapshots();
    for (const s of t.server.io.of(hallNamespace("t1")).sockets.values()) if (s.data.role === "display") s.conn.close();
    await page.locator('[data-testid="connection-status"][data-status="offline"][data-reason="server"]').waitFor({ timeout: 15_000 });
    await screenshot(page, "board-offline-server");
    store.release();
    await page.locator('[data-testid="connection-status"]').waitFor({ state: "detached", timeout: 15_000 });
    expect(await page.locator('[data-testid="board-main"]').getAttribute("class")).toBe("");
    await context.close();
  });
});
