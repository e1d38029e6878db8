/** The manager console (大厅管理台) at 1600×900. */
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { call, cid, nextEvent, startTestServer, type Client, type TestServer } from "./helpers/server.js";
import { PASSWORD, TOKENS } from "./helpers/hall.js";
import { openPage, screenshot, startBrowser } from "./helpers/browser.js";

/** Pages update over a socket: give them a few seconds on a busy machine. */
const WAIT = { timeout: 5_000 };

let srv: TestServer;
let browser: Browser;
let page: Page;
let kiosk: Client;

beforeAll(async () => {
  srv = await startTestServer({ webRoot: inject("webRoot") });
  browser = await startBrowser();
  kiosk = await srv.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
  for (const serviceId of ["social", "social", "medical"]) await call(kiosk, "ticket:issue", { commandId: cid(), serviceId });
  ({ page } = await openPage(browser, "manager", `${srv.url}/manager/?hall=${srv.hall.id}`));
  await page.getByTestId("staff-id").fill("boss");
  await page.getByTestId("password").fill(PASSWORD);
  await page.getByTestId("sign-in-submit").click();
  await page.getByTestId("window-1").waitFor();
});

describe("manager console", () => {
  it("sees every window and every queue", async () => {
    for (const id of ["1", "2", "3", "4"]) await page.getByTestId(`window-${id}`).waitFor();
    await expect.poll(() => page.getByTestId("queue-waiting-social").textContent(), WAIT).toBe("2");
    await expect.poll(() => page.getByTestId("queue-waiting-medical").textContent(), WAIT).toBe("1");
    await screenshot(page, "manager");
  });

  it("changes the services a window serves", async () => {
    await page.getByTestId("edit-serving-1").click();
    await page.getByTestId("serve-1-medical").check();
    const changed = nextEvent(await srv.manager(), (e) => e.type === "window:changed" && e.change === "servingChanged");
    await page.getByTestId("serving-save-1").click();
    const e = await changed;
    expect(e.type === "window:changed" && e.window.serving).toEqual(["social", "medical"]);
    await expect.poll(() => page.getByTestId("window-serving-1").textContent(), WAIT).toContain("医保");
    await page.getByTestId("serving-editor-1").waitFor({ state: "detached" });
  });

  it("switches the balancer to suggest mode", async () => {
    await page.getByTestId("balancer-mode-suggest").click();
    await expect.poll(() => page.getByTestId("balancer-mode-suggest").getAttribute("aria-pressed"), WAIT).toBe("true");
    const snap = await call<{ balancer: { mode: string } }>(await srv.manager(), "hall:snapshot", {});
    expect(snap.ok && snap.data.balancer.mode).toBe("suggest");
  });

  it("sees a citizen's rating arrive in today's figures", async () => {
    const counter = await srv.counter("alice", "1");
    const pad = await srv.client({ role: "pad", deviceToken: TOKENS.pad1 });
    await call(counter, "window:callNext", { commandId: cid(), windowId: "1" });
    const fin = await call(counter, "ticket:finish", { commandId: cid(), windowId: "1" });
    if (!fin.ok || fin.data.type !== "ticket:finished") throw new Error("finish failed");
    await call(pad, "ticket:rate", { commandId: cid(), windowId: "1", ticketId: fin.data.ticket.id, rating: 4 });
    await expect.poll(() => page.getByTestId("rating-count-4").textContent(), WAIT).toBe("1");
    await expect.poll(() => page.getByTestId("figures-finished-total").textContent(), WAIT).toBe("1");
    await expect.poll(() => page.getByTestId("window-served-1").textContent(), WAIT).toBe("1");
    await screenshot(page, "manager");
    await page.getByTestId("lang-switch").click();
    await expect.poll(() => page.getByTestId("figures-ratings").textContent(), WAIT).toContain("Satisfied");
    await screenshot(page, "manager-en");
  });
});
