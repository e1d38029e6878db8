/** The rating pad (评价器) at window 1, on a 1024×600 touch screen. */
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { call, cid, nextEvent, startTestServer, type TestServer } from "./helpers/server.js";
import { TOKENS } from "./helpers/hall.js";
import { openPage, screenshot, startBrowser } from "./helpers/browser.js";

/** Pages update over a socket: give them a few seconds on a busy machine. */
const WAIT = { timeout: 5_000 };

let srv: TestServer;
let browser: Browser;

beforeAll(async () => {
  srv = await startTestServer({ webRoot: inject("webRoot") });
  browser = await startBrowser();
});

describe("rating pad", () => {
  it("a finish at window 1 brings up the five levels; tapping 非常满意 rates once and thanks", async () => {
    const { page, context } = await openPage(browser, "pad", `${srv.url}/pad/?hall=${srv.hall.id}&token=${TOKENS.pad1}&window=1`);
    await expect.poll(() => page.getByTestId("pad-window").textContent(), WAIT).toBe("1号窗口");
    await page.getByTestId("pad-idle").waitFor();
    await screenshot(page, "pad-idle");

    const kiosk = await srv.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const counter = await srv.counter("alice", "1");
    const manager = await srv.manager();
    await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
    await call(counter, "window:callNext", { commandId: cid(), windowId: "1" });
    const finished = await call(counter, "ticket:finish", { commandId: cid(), windowId: "1" });
    if (!finished.ok || finished.data.type !== "ticket:finished") throw new Error("finish failed");

    await page.getByTestId("pad-ask").waitFor();
    await expect.poll(() => page.getByTestId("pad-number").textContent(), WAIT).toBe(finished.data.ticket.number);
    for (const r of [5, 4, 3, 2, 1]) {
      const box = await page.getByTestId(`rate-${r}`).boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(100);
    }
    await screenshot(page, "pad-rating");

    const rated: string[] = [];
    manager.on("hall:event", (e) => e.type === "ticket:rated" && rated.push(e.ticket.id));
    const ratedEvent = nextEvent(manager, (e) => e.type === "ticket:rated");
    await page.getByText("非常满意").click();
    await page.getByTestId("pad-thanks").waitFor();
    const e = await ratedEvent;
    expect(e.type === "ticket:rated" && e.ticket.rating).toBe(5);
    await screenshot(page, "pad-thanks");
    // A second tap is impossible: the levels are gone, and the server holds one rating.
    expect(await page.getByTestId("rate-5").count()).toBe(0);
    const ticket = await call<{ rating: number }>(manager, "ticket:get", { ticketId: finished.data.ticket.id });
    expect(ticket.ok && ticket.data.rating).toBe(5);
    expect(rated).toEqual([finished.data.ticket.id]);
    await context.close();
  });
});
