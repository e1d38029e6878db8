import { describe, expect, it } from "vitest";
import { openPage, screenshot, startBrowser } from "./helpers/browser.js";
import { TOKENS } from "./helpers/hall.js";
import { issue, ok, startWebServer, text, waitForText } from "./helpers/web.js";

describe("window strip", async () => {
  const t = await startWebServer();
  const browser = await startBrowser();
  const stripUrl = `${t.url}/displays/strip.html?hall=t1&token=${TOKENS.strip1}&window=1`;

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
});
