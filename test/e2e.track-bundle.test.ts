/**
 * A 一件事 bundle on the citizen's phone and at the windows' pads: the tracker shows every step
 * (done, in hand, to come) as the windows serve it; each window's pad asks for that step's rating
 * as it ends, naming its service; once the matter is done the tracker offers the 好差评 levels for
 * the whole matter (整件事评价), taken once. The records keep each step's rating at its window and
 * staff, and the whole matter's apart.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { Ticket } from "../protocol/index.js";
import { DEVICES, openPage, screenshot, startBrowser } from "./helpers/browser.js";
import { testHall, TOKENS } from "./helpers/hall.js";
import { ok, startRecordedWebServer, text, waitForExact, waitForText } from "./helpers/web.js";

const stepStates = (page: Page) => page.locator('[data-testid="bundle-step"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-state")));

describe("a 一件事 bundle on the tracker and at the pads", async () => {
  const t = await startRecordedWebServer(testHall());
  afterAll(() => t.close());
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
  const pad = async (windowId: string, token: string): Promise<Page> => {
    const { page } = await openPage(browser, "pad", `${t.url}/pad/?hall=t1&token=${token}&window=${windowId}`);
    await page.getByTestId("pad-idle").waitFor();
    return page;
  };

  it("shows each step as it is served, each pad rates its step, then the tracker takes one rating of the whole matter", async () => {
    const pad1 = await pad("1", TOKENS.pad1);
    const pad2 = await pad("2", TOKENS.pad2);
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

    // Step 1 ends at window 1: its pad asks for that step, by its service, while the ticket moves on.
    await ok(alice, "ticket:finish", { windowId: "1" });
    await waitForText(pad1, "pad-step", "第 1/2 项");
    expect(await text(pad1, "pad-service")).toBe("社保");
    expect(await text(pad1, "pad-number")).toBe(ticket.number);
    await screenshot(pad1, "pad-bundle-step-1");
    await pad1.getByTestId("rate-4").click();
    await pad1.getByTestId("pad-thanks").waitFor();

    await expect.poll(() => stepStates(page)).toEqual(["done", "waiting"]);
    await waitForText(page, "bundle-step-rating", "满意");
    expect(await text(page, "track-service")).toBe("医保");
    expect(await text(page, "bundle-done")).toBe("已办完 1/2 项");
    expect(await page.getByTestId("late-rating").count()).toBe(0);
    await waitForExact(page, '[data-testid="ahead"]', "0");
    await page.locator('[data-testid="bundle-progress"]').scrollIntoViewIfNeeded();
    await screenshot(page, "track-bundle-next-step");

    await ok(bob, "window:callNext", { windowId: "2" });
    await ok(bob, "ticket:park", { windowId: "2", reason: "材料不全", missingDocs: ["医保卡", "身份证复印件"] });
    await expect.poll(() => stepStates(page)).toEqual(["done", "parked"]);
    expect(await page.locator('[data-testid="bundle-step-doc"]').allTextContents()).toEqual(["医保卡", "身份证复印件"]);
    await page.locator('[data-testid="bundle-progress"]').scrollIntoViewIfNeeded();
    await screenshot(page, "track-bundle-parked");

    // Step 2 ends at window 2: its own pad asks for it; window 1's pad stays idle.
    await ok(bob, "ticket:resume", { ticketId: ticket.id });
    await ok(bob, "window:callNext", { windowId: "2" });
    await ok(bob, "ticket:start", { windowId: "2" });
    await ok(bob, "ticket:finish", { windowId: "2" });
    await waitForText(pad2, "pad-step", "第 2/2 项");
    expect(await text(pad2, "pad-service")).toBe("医保");
    await screenshot(pad2, "pad-bundle-step-2");
    await pad2.getByTestId("rate-2").click();
    await pad2.getByTestId("pad-thanks").waitFor();
    await pad1.getByTestId("pad-idle").waitFor();

    await expect.poll(() => stepStates(page)).toEqual(["done", "done"]);
    await waitForText(page, "late-rating", "整件事评价");
    expect(await page.locator('[data-testid="bundle-step-rating"]').allTextContents()).toEqual(["窗口评价：满意", "窗口评价：不满意"]);
    await page.locator('[data-testid="late-rating"]').scrollIntoViewIfNeeded();
    await screenshot(page, "track-bundle-rate");

    await page.locator('[data-testid="rate-5"]').click();
    await waitForText(page, "rating-thanks", "非常满意");
    const held = (await t.server.ctx.store.ticket("t1", ticket.id))!;
    expect([held.rating, held.served.map((s) => [s.serviceId, s.windowId, s.staffId, s.rating])]).toEqual([
      5,
      [
        ["social", "1", "alice", 4],
        ["medical", "2", "bob", 2],
      ],
    ]);
    await page.locator('[data-testid="rating-thanks"]').scrollIntoViewIfNeeded();
    await screenshot(page, "track-bundle-rated");

    // A second try, from the link opened again: the matter is rated, no levels are offered,
    // and the route refuses a second rating.
    const again = await phone(ticket.id);
    await waitForText(again, "rating-refusal", "已经整体评价过了");
    expect(await again.locator('[data-testid="rate-4"]').count()).toBe(0);
    const second = await again.evaluate(async (url) => {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ rating: 1 }) });
      return { status: res.status, body: (await res.json()) as { error: { code: string } } };
    }, `/api/halls/t1/tickets/${ticket.id}/rating`);
    expect(second).toMatchObject({ status: 409, body: { error: { code: "ALREADY_RATED" } } });
    expect((await t.server.ctx.store.ticket("t1", ticket.id))?.rating).toBe(5);
    await again.locator('[data-testid="rating-refusal"]').scrollIntoViewIfNeeded();
    await screenshot(again, "track-bundle-already-rated");

    // Archived: each step's rating at the window and staff that served it, the whole matter's
    // apart; the step's 不满意 is followed up at window 2.
    await expect
      .poll(async () => (await t.records.db.selectFrom("records_ratings").select(["scope", "step", "window_id", "staff_id", "rating"]).where("ticket_id", "=", ticket.id).orderBy("scope").orderBy("step").execute()).map((r) => [r.scope, Number(r.step), r.window_id, r.staff_id, Number(r.rating)]))
      .toEqual([
        ["service", 0, "1", "alice", 4],
        ["service", 1, "2", "bob", 2],
        ["whole", 0, null, null, 5],
      ]);
    expect((await t.records.followUps.list("t1", "all")).map((f) => [f.scope, f.step, f.windowId, f.staffId, f.rating])).toEqual([["service", 1, "2", "bob", 2]]);
    for (const p of [page, again, pad1, pad2]) await p.context().close();
  });
});
