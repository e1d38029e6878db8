/**
 * The balancer live in the manager console, on the embedded store and on Redis: in suggest mode a
 * change waits for the manager's approval, in auto mode it happens by itself with its reason.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { HallEvent, HallSnapshot } from "../protocol/index.js";
import { openPage, screenshot as save, startBrowser } from "./helpers/browser.js";
import { PASSWORD, TOKENS, testHall } from "./helpers/hall.js";
import { bothStores } from "./helpers/stores.js";
import { call, cid, nextEvent, startTestServer, type TestServer } from "./helpers/server.js";

const WAIT = { timeout: 10_000 };
let browser: Browser;

beforeAll(async () => {
  browser = await startBrowser();
});

const STORES = bothStores("bal");

describe.each(STORES)("the balancer in the manager console on %s", (storeName, makeStore) => {
  let srv: TestServer;
  let page: Page;
  const screenshot = (name: string) => save(page, storeName === "Redis" ? `${name}-redis` : name);
  const serving = async (windowId: string) => {
    const s = await call<HallSnapshot>(await srv.manager(), "hall:snapshot", {});
    return s.ok ? s.data.windows.find((w) => w.id === windowId)!.serving : [];
  };

  beforeAll(async () => {
    const store = await makeStore();
    // Window 4 starts on medical only, so the balancer has a second window to move in auto mode.
    const base = testHall();
    const hall = testHall({ windows: base.windows.map((w) => (w.id === "4" ? { ...w, serving: ["medical"] } : w)) });
    srv = await startTestServer({ webRoot: inject("webRoot"), store, halls: [hall], balancerIntervalMs: 500 });
    // Window 1 serves social, window 2 medical (qualified for social too): a social rush builds.
    await srv.counter("alice", "1");
    await srv.counter("bob", "2");
    const kiosk = await srv.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    for (let i = 0; i < 12; i++) await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
    ({ page } = await openPage(browser, "manager", `${srv.url}/manager/?hall=${srv.hall.id}`));
    await page.getByTestId("staff-id").fill("boss");
    await page.getByTestId("password").fill(PASSWORD);
    await page.getByTestId("sign-in-submit").click();
    await page.getByTestId("window-2").waitFor();
  });

  it("in suggest mode a change waits for the manager, shows its reason, and approval applies it", async () => {
    expect(await serving("2")).toEqual(["medical"]);
    await page.getByTestId("balancer-mode-suggest").click();
    const suggestion = page.locator('[data-testid^="suggestion-"]').first();
    await suggestion.waitFor(WAIT);
    await expect.poll(() => suggestion.textContent(), WAIT).toContain("社保");
    // Why the lending is safe for the lender's own queue, as the server said it.
    await expect.poll(() => suggestion.textContent(), WAIT).toMatch(/2号窗口本身业务（医保）加办后预计等待约\d+分钟（目标\d+分钟），借出后仍在目标内/);
    expect(await serving("2")).toEqual(["medical"]);
    await screenshot("manager-suggestion");
    const applied = nextEvent(await srv.manager(), (e) => e.type === "balancer:suggestionClosed", 10_000);
    await suggestion.locator('[data-testid^="approve-"]').click();
    const e = (await applied) as Extract<HallEvent, { type: "balancer:suggestionClosed" }>;
    expect(e.outcome).toBe("approved");
    expect(e.window?.serving).toContain("social");
    await expect.poll(() => serving(e.window!.id), WAIT).toContain("social");
    await expect.poll(() => page.getByTestId(`window-serving-${e.window!.id}`).textContent(), WAIT).toContain("社保");
  });

  it("in auto mode the balancer moves a window by itself and says why", async () => {
    const watcher = await srv.manager();
    // Window 4 opens serving only medical; the social queue is still long.
    await srv.counter("boss", "4");
    expect(await serving("4")).toEqual(["medical"]);
    const moved = nextEvent(watcher, (e) => e.type === "window:changed" && e.by === "balancer", 10_000);
    await page.getByTestId("balancer-mode-auto").click();
    const e = await moved;
    expect(e.type === "window:changed" && e.window.serving).toContain("social");
    expect(e.type === "window:changed" && e.reason?.zh).toContain("社保");
  });
});
