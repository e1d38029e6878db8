/**
 * The counter app in Chromium at a counter PC's size: sign in, pick a window, call, start,
 * finish, park and resume, pause — with buttons and with function keys.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { call, cid, startTestServer, type Client, type TestServer } from "./helpers/server.js";
import { PASSWORD, TOKENS } from "./helpers/hall.js";
import { openPage, screenshot, startBrowser } from "./helpers/browser.js";

/** Pages update over a socket: give them a few seconds on a busy machine. */
const WAIT = { timeout: 5_000 };

let srv: TestServer;
let browser: Browser;
let kiosk: Client;

beforeAll(async () => {
  srv = await startTestServer({ webRoot: inject("webRoot") });
  browser = await startBrowser();
  kiosk = await srv.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
});

const issue = async (serviceId = "social") => {
  const res = await call(kiosk, "ticket:issue", { commandId: cid(), serviceId });
  if (!res.ok || res.data.type !== "ticket:issued") throw new Error(`issue failed: ${JSON.stringify(res)}`);
  return res.data.ticket.number;
};

/** Opens the counter app, signs in as `staffId` and picks `windowId`; waits until live. */
async function signIn(staffId: string, windowId: string, shot?: string): Promise<Page> {
  const { page } = await openPage(browser, "counter", `${srv.url}/counter-client/?hall=${srv.hall.id}`);
  await page.getByTestId("staff-id").fill(staffId);
  await page.getByTestId("password").fill(PASSWORD);
  if (shot) await screenshot(page, shot);
  await page.getByTestId("sign-in-submit").click();
  await page.getByTestId(`pick-window-${windowId}`).click();
  await page.getByTestId("window-label").waitFor();
  await page.getByTestId("idle").waitFor();
  return page;
}

describe("counter app", () => {
  it("signs in, calls the next citizen with 叫号, starts and finishes", async () => {
    const page = await signIn("alice", "1", "counter-signin");
    const number = await issue();
    await page.getByTestId("action-callNext").click();
    await expect.poll(() => page.getByTestId("current-number").textContent(), WAIT).toBe(number);
    await page.getByTestId("action-start").click();
    await expect.poll(() => page.getByTestId("ticket-state").textContent(), WAIT).toBe("办理中");
    await screenshot(page, "counter");
    await page.getByTestId("action-finish").click();
    await page.getByTestId("idle").waitFor();
    await expect.poll(() => page.getByTestId("my-served").textContent(), WAIT).toBe("1");
    await expect.poll(() => page.getByTestId("last-rating").textContent(), WAIT).toContain(number);
    await page.context().close();
  });

  it("calls the next citizen with the F1 key and starts with F3", async () => {
    const page = await signIn("bob", "2", undefined);
    const number = await issue("medical");
    await expect.poll(() => page.getByTestId("action-callNext").isEnabled(), WAIT).toBe(true);
    await page.keyboard.press("F1");
    await expect.poll(() => page.getByTestId("current-number").textContent(), WAIT).toBe(number);
    await page.keyboard.press("F3");
    await expect.poll(() => page.getByTestId("ticket-state").textContent(), WAIT).toBe("办理中");
    await page.keyboard.press("F4");
    await page.getByTestId("idle").waitFor();
    await page.context().close();
  });

  it("parks a ticket with its missing documents and resumes it with its place kept", async () => {
    const page = await signIn("boss", "4");
    const number = await issue();
    await page.getByTestId("action-callNext").click();
    await expect.poll(() => page.getByTestId("current-number").textContent(), WAIT).toBe(number);
    await page.keyboard.press("F8");
    await page.getByTestId("park-reason").fill("材料不全");
    await page.getByRole("button", { name: "户口簿" }).click();
    await page.getByTestId("park-other-docs").fill("结婚证复印件");
    await screenshot(page, "counter-park");
    await page.getByTestId("park-submit").click();
    await page.getByTestId(`parked-${number}`).waitFor();
    await expect.poll(() => page.getByTestId(`parked-${number}`).textContent(), WAIT).toContain("结婚证复印件");
    await page.getByTestId(`resume-${number}`).click();
    await page.getByTestId(`parked-${number}`).waitFor({ state: "detached" });
    await page.getByTestId("action-callNext").click();
    await expect.poll(() => page.getByTestId("current-number").textContent(), WAIT).toBe(number);
    await page.getByTestId("action-noShow").click();
    await page.getByTestId("idle").waitFor();
    await page.context().close();
  });

  it("pauses the window with a reason and resumes it", async () => {
    const page = await signIn("alice", "1");
    await page.getByTestId("action-pause").click();
    await page.getByRole("button", { name: "用餐" }).click();
    await page.getByTestId("pause-submit").click();
    await expect.poll(() => page.getByTestId("idle").textContent(), WAIT).toContain("用餐");
    await expect.poll(() => page.getByTestId("action-callNext").isDisabled(), WAIT).toBe(true);
    await screenshot(page, "counter-paused");
    await page.keyboard.press("F9");
    await expect.poll(() => page.getByTestId("idle").textContent(), WAIT).toContain("空闲");
    await page.context().close();
  });

  it("a wrong password says so in plain words", async () => {
    const { page, context } = await openPage(browser, "counter", `${srv.url}/counter-client/?hall=${srv.hall.id}`);
    await page.getByTestId("staff-id").fill("alice");
    await page.getByTestId("password").fill("not-the-password");
    await page.getByTestId("sign-in-submit").click();
    await expect.poll(() => page.getByTestId("sign-in-error").textContent(), WAIT).toContain("工号或密码不正确");
    await screenshot(page, "counter-signin-error");
    await context.close();
  });
});
