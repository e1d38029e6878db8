/**
 * A 一件事 bundle on the citizen's phone: the tracker shows every step (done, in hand, to come)
 * as the windows serve it, and once the matter is done it offers the 好差评 levels for the whole
 * matter, taken once.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { Ticket } from "../protocol/index.js";
import { DEVICES, screenshot, startBrowser } from "./helpers/browser.js";
import { TOKENS } from "./helpers/hall.js";
import { ok, startWebServer, text, waitForExact, waitForText } from "./helpers/web.js";

const stepStates = (page: Page) => page.locator('[data-testid="bundle-step"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-state")));

describe("a 一件事 bundle on the tracker", async () => {
  const t = await startWebServer();
  const browser = await startBrowser();
  const alice = await t.counter("alice", "1");
  const bob = await t.counter("bob", "2");

  const phone = async (ticketId: string): Promise<Page> => {
    const context = await browser.newContext(DEVICES.phone);
    const page = await context.newPage();
    page.on("pageerror", (err) => console.error("[phone] page error:", err.message));
    await page.goto(`${t.url}/track/?hall=t1&ticket=${ticketId}`);
    return page;
  };

  it("shows each step as it is served, then takes one rating of the whole matter", async () => {
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const { ticket } = (await ok(kiosk, "ticket:issue", { serviceId: "social", priority: "normal", then: ["medical"] })) as { ticket: Ticket };
    kiosk.disconnect();
    const page = await phone(ticket.id);
    await waitForText(page, "bundle-progress", "社保");

    await ok(alice, "window:callNext", { windowId: "1" });
    await ok(alice, "ticket:start", { windowId: "1" });
    await expect.poll(() => stepStates(page)).toEqual(["serving", "upcoming"]);
    expect(await page.locator('[data-testid="bundle-step"] .name').allTextContents()).toEqual(["社保", "医保"]);
    expect(await text(page, "bundle-done")).toBe("已办完 0/2 项");
    await page.locator('[data-testid="bundle-progress"]').scrollIntoViewIfNeeded();
    await screenshot(page, "track-bundle-serving");

    await ok(alice, "ticket:finish", { windowId: "1" });
    await expect.poll(() => stepStates(page)).toEqual(["done", "waiting"]);
    expect(await text(page, "track-service")).toBe("医保");
    expect(await text(page, "bundle-done")).toBe("已办完 1/2 项");
    await waitForExact(page, '[data-testid="ahead"]', "0");
    await page.locator('[data-testid="bundle-progress"]').scrollIntoViewIfNeeded();
    await screenshot(page, "track-bundle-next-step");

    await ok(bob, "window:callNext", { windowId: "2" });
    await ok(bob, "ticket:park", { windowId: "2", reason: "材料不全", missingDocs: ["医保卡", "身份证复印件"] });
    await expect.poll(() => stepStates(page)).toEqual(["done", "parked"]);
    expect(await page.locator('[data-testid="bundle-step-doc"]').allTextContents()).toEqual(["医保卡", "身份证复印件"]);
    await page.locator('[data-testid="bundle-progress"]').scrollIntoViewIfNeeded();
    await screenshot(page, "track-bundle-parked");

    await ok(bob, "ticket:resume", { ticketId: ticket.id });
    await ok(bob, "window:callNext", { windowId: "2" });
    await ok(bob, "ticket:start", { windowId: "2" });
    await ok(bob, "ticket:finish", { windowId: "2" });
    await expect.poll(() => stepStates(page)).toEqual(["done", "done"]);
    await waitForText(page, "late-rating", "整体评价");
    await page.locator('[data-testid="late-rating"]').scrollIntoViewIfNeeded();
    await screenshot(page, "track-bundle-rate");

    await page.locator('[data-testid="rate-4"]').click();
    await waitForText(page, "rating-thanks", "满意");
    expect((await t.server.ctx.store.ticket("t1", ticket.id))?.rating).toBe(4);
    await page.locator('[data-testid="rating-thanks"]').scrollIntoViewIfNeeded();
    await screenshot(page, "track-bundle-rated");

    // A second try, from the link opened again: the matter is rated, no levels are offered,
    // and the route refuses a second rating.
    const again = await phone(ticket.id);
    await waitForText(again, "rating-refusal", "已经评价过了");
    expect(await again.locator('[data-testid="rate-4"]').count()).toBe(0);
    const second = await again.evaluate(async (url) => {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ rating: 1 }) });
      return { status: res.status, body: (await res.json()) as { error: { code: string } } };
    }, `/api/halls/t1/tickets/${ticket.id}/rating`);
    expect(second).toMatchObject({ status: 409, body: { error: { code: "ALREADY_RATED" } } });
    expect((await t.server.ctx.store.ticket("t1", ticket.id))?.rating).toBe(4);
    await again.locator('[data-testid="rating-refusal"]').scrollIntoViewIfNeeded();
    await screenshot(again, "track-bundle-already-rated");
    await page.context().close();
    await again.context().close();
  });
});
