import { describe, expect, it } from "vitest";
import { hallNamespace } from "../protocol/index.js";
import { rooms } from "../server/transport/socket.js";
import { openPage, screenshot, startBrowser } from "./helpers/browser.js";
import { TOKENS } from "./helpers/hall.js";
import { issue, ok, startWebServer, text, waitForText } from "./helpers/web.js";

describe("window strip", async () => {
  const t = await startWebServer();
  const browser = await startBrowser();
  const stripUrl = `${t.url}/displays/strip.html?hall=t1&token=${TOKENS.strip1}&window=1`;
  const hall = () => t.server.io.of(hallNamespace("t1"));
  const strips = () => [...hall().sockets.values()].filter((s) => s.data.role === "display" && s.data.windowId === "1");

  /** Window 1's strips miss every event of `during`, as when the Redis adapter lost them in a reconnect. */
  async function stripsMiss<T>(during: () => Promise<T>): Promise<T> {
    const room = rooms.window("t1", "1");
    const missing = strips();
    expect(missing.length).toBeGreaterThan(0);
    missing.forEach((s) => s.leave(room));
    try {
      return await during();
    } finally {
      missing.forEach((s) => s.join(room));
    }
  }

  it("shows the window as closed before its staff sign in, then 请稍候 when open and idle", async () => {
    const { context, page } = await openPage(browser, "strip", stripUrl);
    await waitForText(page, "strip-sub", "窗口关闭");
    expect(await text(page, "strip-label")).toBe("1号窗口");
    await screenshot(page, "strip-closed");
    await t.counter("alice", "1");
    await waitForText(page, "strip-message", "请稍候");
    await context.close();
  });

  it("shows the number being called and then served at its window", async () => {
    const { context, page } = await openPage(browser, "strip", stripUrl);
    const alice = await t.counter("alice", "1");
    const ticket = await issue(t, "social");
    await ok(alice, "window:callNext", { windowId: "1" });
    await waitForText(page, "strip-message", `请 ${ticket.number} 号`);
    await screenshot(page, "strip");
    await page.setViewportSize({ width: 960, height: 160 });
    await screenshot(page, "strip-small");
    await ok(alice, "ticket:start", { windowId: "1" });
    await waitForText(page, "strip-sub", "正在办理");
    expect(await text(page, "strip-message")).toBe(ticket.number);
    await ok(alice, "ticket:finish", { windowId: "1" });
    await waitForText(page, "strip-message", "请稍候");
    await context.close();
  });

  it("shows 暂停服务 with the reason when the window pauses", async () => {
    const { context, page } = await openPage(browser, "strip", stripUrl);
    const alice = await t.counter("alice", "1");
    await waitForText(page, "strip-message", "请稍候");
    await ok(alice, "window:pause", { windowId: "1", reason: "午间休息 13:30 恢复" });
    await waitForText(page, "strip-message", "暂停服务");
    expect(await text(page, "strip-sub")).toBe("午间休息 13:30 恢复");
    await screenshot(page, "strip-paused");
    await context.close();
  });

  it("a call the strip missed shows as soon as the window's next event shows the strip it missed one", async () => {
    const alice = await t.counter("alice", "1");
    const boss = await t.manager();
    if ((await t.server.ctx.store.snapshot("t1")).windows.find((w) => w.id === "1")!.state === "paused") await ok(alice, "window:resume", { windowId: "1" });
    const { context, page } = await openPage(browser, "strip", stripUrl);
    await waitForText(page, "strip-message", "请稍候");
    const ticket = await issue(t, "social");
    await stripsMiss(() => ok(alice, "window:callNext", { windowId: "1" }));
    // The manager adds a service to window 1: the event carries the window two revisions past the strip's, and not the ticket.
    await ok(boss, "window:setServing", { windowId: "1", serving: ["social", "medical"] });
    await waitForText(page, "strip-message", `请 ${ticket.number} 号`);
    await screenshot(page, "strip-missed-call");
    await context.close();
  });

  it("shows 离线 instead of a call it can no longer vouch for while its connection is down, and comes back by itself", async () => {
    const { context, page } = await openPage(browser, "strip", stripUrl);
    await page.locator('hc-strip-display[mode="calling"]').waitFor();
    let offline = true;
    hall().use((socket, next) => (offline && socket.data.role === "display" ? next(Object.assign(new Error("network down (test)"), { data: { code: "OFFLINE" } })) : next()));
    strips().forEach((s) => s.conn.close());
    await waitForText(page, "strip-message", "离线");
    expect(await page.locator("hc-strip-display").getAttribute("mode")).toBe("offline");
    await screenshot(page, "strip-offline");
    offline = false;
    await page.locator('hc-strip-display[mode="calling"]').waitFor({ timeout: 15_000 });
    await context.close();
  });
});
