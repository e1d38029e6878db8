/**
 * One citizen's whole visit through every screen of the hall: the kiosk issues, the phone tracker
 * shows the place, the counter calls, the board and the window strip show and announce it, the
 * counter finishes, the rating pad takes the rating, and the manager console counts it.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { nextEvent, startTestServer, type TestServer } from "./helpers/server.js";
import { PASSWORD, TOKENS } from "./helpers/hall.js";
import { openPage, screenshot as save, startBrowser } from "./helpers/browser.js";
import { bothStores } from "./helpers/stores.js";

/** Pages update over sockets: give them a few seconds on a busy machine. */
const WAIT = { timeout: 5_000 };

let browser: Browser;

beforeAll(async () => {
  browser = await startBrowser();
});

const STORES = bothStores("visit");

describe.each(STORES)("a visit to the hall on %s", (storeName, makeStore) => {
  let srv: TestServer;
  beforeAll(async () => {
    const store = await makeStore();
    srv = await startTestServer({ webRoot: inject("webRoot"), store });
  });
  // The memory run's pictures are the ones the README points at; the Redis run's get a suffix.
  const screenshot = (page: Parameters<typeof save>[0], name: string) => save(page, storeName === "Redis" ? `${name}-redis` : name);

  it("one citizen goes from the kiosk to the rating pad and the manager sees it", { timeout: 60_000 }, async () => {
    const hall = srv.hall.id;
    const watcher = await srv.manager();
    // Screens that are on all day.
    const board = await openPage(browser, "board", `${srv.url}/displays/board.html?hall=${hall}&token=${TOKENS.board}`);
    const strip = await openPage(browser, "strip", `${srv.url}/displays/strip.html?hall=${hall}&token=${TOKENS.strip1}&window=1`);
    const pad = await openPage(browser, "pad", `${srv.url}/pad/?hall=${hall}&token=${TOKENS.pad1}&window=1`);
    const manager = await openPage(browser, "manager", `${srv.url}/manager/?hall=${hall}`);
    await manager.page.getByTestId("staff-id").fill("boss");
    await manager.page.getByTestId("password").fill(PASSWORD);
    await manager.page.getByTestId("sign-in-submit").click();
    await manager.page.getByTestId("window-1").waitFor();
    const counter = await openPage(browser, "counter", `${srv.url}/counter-client/?hall=${hall}`);
    await counter.page.getByTestId("staff-id").fill("alice");
    await counter.page.getByTestId("password").fill(PASSWORD);
    await counter.page.getByTestId("sign-in-submit").click();
    await counter.page.getByTestId("pick-window-1").click();
    await counter.page.getByTestId("idle").waitFor();
    await pad.page.getByTestId("pad-idle").waitFor();

    // 取号 at the kiosk.
    const kiosk = await openPage(browser, "kiosk", `${srv.url}/kiosk/?hall=${hall}&token=${TOKENS.kiosk}`);
    const issued = nextEvent(watcher, (e) => e.type === "ticket:issued");
    await kiosk.page.getByTestId("service-button").filter({ hasText: "社保" }).click();
    const e = await issued;
    if (e.type !== "ticket:issued") throw new Error("no ticket");
    const { id, number } = e.ticket;
    await expect.poll(() => kiosk.page.getByTestId("ticket-number").textContent(), WAIT).toBe(number);
    await screenshot(kiosk.page, "visit-kiosk");

    // The citizen scans the QR code and follows the ticket on the phone.
    const phone = await openPage(browser, "phone", `${srv.url}/track/?hall=${hall}&ticket=${encodeURIComponent(id)}`);
    await expect.poll(() => phone.page.getByTestId("track-number").textContent(), WAIT).toBe(number);
    await expect.poll(() => phone.page.getByTestId("status").getAttribute("data-state"), WAIT).toBe("waiting");
    await expect.poll(() => phone.page.getByTestId("ahead").textContent(), WAIT).toBe("0");
    await screenshot(phone.page, "visit-track");

    // 叫号 at window 1: board, strip and phone show it; the board announces it.
    await expect.poll(() => counter.page.getByTestId("action-callNext").isEnabled(), WAIT).toBe(true);
    await counter.page.getByTestId("action-callNext").click();
    await expect.poll(() => counter.page.getByTestId("current-number").textContent(), WAIT).toBe(number);
    await expect.poll(() => board.page.getByTestId("latest-number").textContent(), WAIT).toBe(number);
    await expect.poll(() => board.page.evaluate(() => (window as { __hallcallAnnouncements?: string[] }).__hallcallAnnouncements ?? []), WAIT).toContain(`请 ${number} 号 到 1号窗口 办理`);
    await expect.poll(() => board.page.getByTestId("announcement").textContent(), WAIT).toContain(number);
    await expect.poll(() => strip.page.getByTestId("strip-message").textContent(), WAIT).toContain(number);
    await expect.poll(() => phone.page.getByTestId("status").getAttribute("data-state"), WAIT).toBe("called");
    await expect.poll(() => phone.page.getByTestId("called-window").textContent(), WAIT).toContain("1号窗口");
    await screenshot(board.page, "visit-board");
    await screenshot(strip.page, "visit-strip");
    await screenshot(phone.page, "visit-track-called");

    // 开始办理, 办结: the pad asks for a rating.
    await counter.page.getByTestId("action-start").click();
    await expect.poll(() => counter.page.getByTestId("ticket-state").textContent(), WAIT).toBe("办理中");
    await counter.page.getByTestId("action-finish").click();
    await pad.page.getByTestId("pad-ask").waitFor();
    await expect.poll(() => pad.page.getByTestId("pad-number").textContent(), WAIT).toBe(number);
    await pad.page.getByTestId("rate-5").click();
    await pad.page.getByTestId("pad-thanks").waitFor();

    // The counter sees the rating; the manager console counts the visit.
    await expect.poll(() => counter.page.getByTestId("last-rating").textContent(), WAIT).toContain("非常满意");
    await expect.poll(() => manager.page.getByTestId("rating-count-5").textContent(), WAIT).toBe("1");
    await expect.poll(() => manager.page.getByTestId("figures-finished-total").textContent(), WAIT).toBe("1");
    await expect.poll(() => manager.page.getByTestId("window-served-1").textContent(), WAIT).toBe("1");
    await screenshot(counter.page, "visit-counter");
    await screenshot(manager.page, "visit-manager");
  });
});
