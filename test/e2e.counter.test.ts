/**
 * The counter app in Chromium at a counter PC's size: sign in, pick a window, call, start,
 * finish, park and resume, pause — with buttons and with function keys.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { hallNamespace } from "../protocol/index.js";
import { call, cid, startTestServer, type Client, type TestServer } from "./helpers/server.js";
import { PASSWORD, TOKENS } from "./helpers/hall.js";
import { openPage, screenshot, startBrowser } from "./helpers/browser.js";
import { HeldStore } from "./helpers/held-store.js";

/** Pages update over a socket: give them a few seconds on a busy machine. */
const WAIT = { timeout: 5_000 };

let srv: TestServer;
let browser: Browser;
let kiosk: Client;
const store = new HeldStore();

beforeAll(async () => {
  srv = await startTestServer({ webRoot: inject("webRoot"), store, storeDeadlineMs: 300 });
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

  it("a finish whose answer is late stays pending and says it is still trying; pressing 办结 again sends nothing new; it ends 已办结, not an error", async () => {
    const page = await signIn("alice", "1");
    const number = await issue();
    await page.getByTestId("action-callNext").click();
    await expect.poll(() => page.getByTestId("current-number").textContent(), WAIT).toBe(number);
    const from = store.received.length;
    store.loseAnswers("ticket:finish", 2);
    await page.keyboard.press("F4");
    await page.getByTestId("pending").waitFor();
    expect(await page.getByTestId("action-finish").isDisabled()).toBe(true);
    await page.keyboard.press("F4");
    await screenshot(page, "counter-pending");
    store.release();
    await expect.poll(() => page.getByTestId("notice").textContent(), WAIT).toContain(`${number} 已办结`);
    await page.getByTestId("idle").waitFor();
    expect(await page.getByTestId("error").count()).toBe(0);
    const finishes = store.received.slice(from).filter((r) => r.name === "ticket:finish");
    expect(finishes.length).toBeGreaterThanOrEqual(2);
    expect(new Set(finishes.map((r) => r.commandId)).size).toBe(1);
    expect((await store.snapshot("t1")).stats.finished.social).toBeGreaterThanOrEqual(1);
    await page.context().close();
  });

  it("offline, the counter says 离线 and its buttons wait; it is back by itself", async () => {
    const page = await signIn("bob", "2");
    let offline = true;
    const hall = srv.server.io.of(hallNamespace(srv.hall.id));
    hall.use((socket, next) => (offline && socket.data.role === "counter" && socket.data.staffId === "bob" ? next(Object.assign(new Error("network down (test)"), { data: { code: "OFFLINE" } })) : next()));
    for (const s of hall.sockets.values()) if (s.data.staffId === "bob") s.conn.close();
    await page.locator('[data-testid="connection-status"][data-status="offline"]').waitFor();
    await expect.poll(() => page.getByTestId("action-close").isDisabled(), WAIT).toBe(true);
    await screenshot(page, "counter-offline");
    offline = false;
    await page.locator('[data-testid="connection-status"]').waitFor({ state: "detached", timeout: 15_000 });
    await expect.poll(() => page.getByTestId("action-close").isDisabled(), WAIT).toBe(false);
    await page.context().close();
  });

  it("signing out revokes the token: the same token is refused afterwards", async () => {
    const page = await signIn("alice", "3");
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem(`hallcall.session.counter.t1`) ?? "null")?.token as string | undefined);
    expect(token).toBeTruthy();
    await page.getByTestId("sign-out").click();
    await page.getByTestId("staff-id").waitFor();
    await expect
      .poll(async () => (await fetch(`${srv.url}/api/halls/${srv.hall.id}/snapshot`, { headers: { authorization: `Bearer ${token}` } })).status, WAIT)
      .toBe(401);
    await page.context().close();
  });
});
