import { describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import { DEVICES, screenshot, startBrowser } from "./helpers/browser.js";
import type { TestServer } from "./helpers/server.js";
import { issue, ok, startWebServer, text, waitForExact, waitForText } from "./helpers/web.js";

declare global {
  interface Window {
    __vibrations?: unknown[];
  }
}

/** A phone whose vibration motor is recorded, at the tracker page with this query. */
async function phoneAt(browser: Browser, t: TestServer, query: string): Promise<Page> {
  const context = await browser.newContext(DEVICES.phone);
  await context.addInitScript(() => {
    (navigator as unknown as { vibrate: (p: unknown) => boolean }).vibrate = (pattern) => {
      (window.__vibrations ??= []).push(pattern);
      return true;
    };
  });
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error("[phone] page error:", err.message));
  await page.goto(`${t.url}/track/${query}`);
  return page;
}

describe("citizen tracker", async () => {
  const t = await startWebServer();
  const browser = await startBrowser();
  const alice = await t.counter("alice", "1");
  const openPhone = (query: string) => phoneAt(browser, t, query);

  it("shows the place in line, then 请到 1号窗口 with a vibration when the ticket is called", async () => {
    await issue(t, "social");
    const mine = await issue(t, "social");
    const page = await openPhone(`?hall=t1&ticket=${mine.id}`);
    await waitForText(page, "track-number", mine.number);
    await waitForExact(page, '[data-testid="ahead"]', "1");
    expect(await text(page, "track-service")).toBe("社保");
    await screenshot(page, "track-waiting");

    await ok(alice, "window:callNext", { windowId: "1" });
    await waitForExact(page, '[data-testid="ahead"]', "0");
    expect(await text(page, "eta")).toMatch(/分钟|即将叫号/);
    await ok(alice, "ticket:start", { windowId: "1" });
    await ok(alice, "ticket:finish", { windowId: "1" });
    await ok(alice, "window:callNext", { windowId: "1" });
    await waitForText(page, "called-window", "请到 1号窗口");
    await page.waitForFunction(() => (window.__vibrations ?? []).length === 1);
    await screenshot(page, "track-called");
    await page.context().close();
  });

  it("a parked ticket shows the reason and every missing document at once", async () => {
    const page = await openPhone(`?hall=t1&ticket=${(await t.server.ctx.store.snapshot("t1")).tickets.find((x) => x.state === "called")!.id}`);
    await waitForText(page, "called-window", "1号窗口");
    await ok(alice, "ticket:park", { windowId: "1", reason: "材料不全", missingDocs: ["户口本原件", "近期免冠照片 2 张"] });
    await waitForText(page, "park-reason", "材料不全");
    expect(await page.locator('[data-testid="missing-docs"] li').allTextContents()).toEqual(["户口本原件", "近期免冠照片 2 张"]);
    await screenshot(page, "track-parked");
    await page.context().close();
  });

  it("a finished ticket thanks the citizen", async () => {
    const ticket = await issue(t, "social");
    const page = await openPhone(`?hall=t1&ticket=${ticket.id}`);
    await waitForText(page, "track-number", ticket.number);
    await ok(alice, "window:callNext", { windowId: "1" });
    await ok(alice, "ticket:start", { windowId: "1" });
    await ok(alice, "ticket:finish", { windowId: "1" });
    await page.locator('[data-testid="status"][data-state="finished"]').waitFor();
    await screenshot(page, "track-finished");
    await page.context().close();
  });

  it("without a ticket in the address it explains how to scan the QR code", async () => {
    const page = await openPhone("?hall=t1");
    await waitForText(page, "no-ticket", "二维码");
    await screenshot(page, "track-no-ticket");
    await page.context().close();
  });
});

describe("citizen tracker across midnight", async () => {
  const clock = new ManualClock(instantOf("2026-11-23", "23:58", "Asia/Shanghai"));
  const t = await startWebServer({ clock });
  const browser = await startBrowser();

  it("a ticket that ended yesterday says so when the new day begins", async () => {
    const alice = await t.counter("alice", "1");
    const ticket = await issue(t, "social");
    await ok(alice, "window:callNext", { windowId: "1" });
    await ok(alice, "ticket:start", { windowId: "1" });
    await ok(alice, "ticket:finish", { windowId: "1" });
    const page = await phoneAt(browser, t, `?hall=t1&ticket=${ticket.id}`);
    await page.locator('[data-testid="status"][data-state="finished"]').waitFor();
    expect(await page.getByTestId("earlier-day").count()).toBe(0);

    // Midnight passes: the server starts the new day and tells the trackers too.
    clock.advance(3 * 60_000);
    await t.server.days.check();
    await waitForText(page, "earlier-day", "这是 2026-11-23 的号，已于当日结束");
    await page.locator('[data-testid="status"][data-state="finished"]').waitFor();
    await screenshot(page, "track-earlier-day");
    await page.context().close();
  });
});
