/** The rating pad (评价器) at window 1, on a 1024×600 touch screen. */
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { hallNamespace, type HallEvent } from "../protocol/index.js";
import { rooms } from "../server/transport/socket.js";
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

/** The window's pads miss every event of `during`, as when the Redis adapter lost them in a reconnect. */
async function padsMiss<T>(windowId: string, during: () => Promise<T>): Promise<T> {
  const room = rooms.window(srv.hall.id, windowId);
  const pads = [...srv.server.io.of(hallNamespace(srv.hall.id)).sockets.values()].filter((s) => s.data.role === "pad" && s.data.windowId === windowId);
  expect(pads.length).toBeGreaterThan(0);
  pads.forEach((s) => s.leave(room));
  try {
    return await during();
  } finally {
    pads.forEach((s) => s.join(room));
  }
}

async function ok(socket: Parameters<typeof call>[0], name: string, payload: Record<string, unknown>): Promise<HallEvent> {
  const res = await call(socket, name, { commandId: cid(), ...payload });
  if (!res.ok) throw new Error(`${name} refused: ${res.error.code}`);
  return res.data;
}

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

  it("a finish the pad missed still brings up the rating, once the window's next event shows the pad it missed one", async () => {
    const { page, context } = await openPage(browser, "pad", `${srv.url}/pad/?hall=${srv.hall.id}&token=${TOKENS.pad1}&window=1`);
    await page.getByTestId("pad-idle").waitFor();
    await page.locator('[data-testid="connection-status"]').waitFor({ state: "detached" });
    const kiosk = await srv.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const counter = await srv.counter("alice", "1");
    await ok(kiosk, "ticket:issue", { serviceId: "social" });
    await ok(kiosk, "ticket:issue", { serviceId: "social" });
    await ok(counter, "window:callNext", { windowId: "1" });
    const finished = await padsMiss("1", () => ok(counter, "ticket:finish", { windowId: "1" }));
    if (finished.type !== "ticket:finished") throw new Error(`finish answered ${finished.type}`);
    // The next citizen is called: that event carries window 1 two revisions past the pad's.
    await ok(counter, "window:callNext", { windowId: "1" });
    await page.getByTestId("pad-ask").waitFor();
    await expect.poll(() => page.getByTestId("pad-number").textContent(), WAIT).toBe(finished.ticket.number);
    await screenshot(page, "pad-missed-finish");
    await page.getByTestId("rate-4").click();
    await page.getByTestId("pad-thanks").waitFor();
    const rated = await call<{ rating: number }>(counter, "ticket:get", { ticketId: finished.ticket.id });
    expect(rated.ok && rated.data.rating).toBe(4);
    await context.close();
  });
});
