/**
 * The console's 数据推送 tab, in Chromium: the hall's webhook points at a local receiver that
 * refuses (HTTP 500); the sender's rounds, run by the test on the virtual clock, retry the call's
 * delivery for 24 hours until it is failed; the manager finds it in the tab with its receiver,
 * attempts and last error, the receiver is mended, the manager presses 重新推送 and the delivery
 * leaves the failed list and arrives, once.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { WebhookBody } from "../protocol/index.js";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import { openRecords } from "../server/records/open.js";
import { DEVICES, screenshot, startBrowser } from "./helpers/browser.js";
import { PASSWORD, TOKENS, testHall } from "./helpers/hall.js";
import { ok, startWebServer, text } from "./helpers/web.js";

const WAIT = { timeout: 10_000 };
const SECRET = "a-receivers-secret-0123456789";
/** The app's own rounds stay out of the way (a resend still wakes the sender): the test runs them. */
const QUIET = { intervalMs: 3_600_000 };

/** A receiver that answers `status` to every delivery, and keeps what it was sent. */
async function startReceiver() {
  const got: { id: string; body: WebhookBody }[] = [];
  const r = { got, status: 500, url: "" };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (r.status < 300) got.push({ id: String(req.headers["x-hallcall-delivery"]), body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as WebhookBody });
      res.writeHead(r.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return r;
}

describe("a delivery that failed for 24 hours is resent from the console's 数据推送 tab", async () => {
  const receiver = await startReceiver();
  const records = await openRecords({ sqlite: ":memory:" });
  afterAll(() => records.close());
  const clock = new ManualClock(instantOf("2026-03-02", "10:00", "Asia/Shanghai"));
  const hall = testHall({ webhooks: [{ url: receiver.url, events: ["ticket.called"], secret: SECRET }] });
  const t = await startWebServer({ records, clock, halls: [hall], webhookSender: QUIET });
  afterAll(() => t.server.webhooks!.stop());
  const browser = await startBrowser();
  const round = () => t.server.webhooks!.round(hall.id);
  let console_: Page;
  let number = "";
  let deliveryId = "";

  it("a ticket called at window 1 is refused by the receiver for 24 hours and ends failed", async () => {
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const counter = await t.counter("alice", "1");
    number = ((await ok(kiosk, "ticket:issue", { serviceId: "social" })) as { ticket: { number: string } }).ticket.number;
    await ok(counter, "window:callNext", { windowId: "1" });
    kiosk.disconnect();
    counter.disconnect();
    // What the archiver does: the hall's log into the records, which enqueues the delivery.
    await records.append(hall.id, await t.server.ctx.store.eventsSince(hall.id, 0, 10_000));
    const firstAttempt = clock.now();
    await round();
    for (let i = 0; i < 300 && !(await records.webhooks.list(hall.id, "failed")).length; i++) {
      clock.advance(10 * 60_000);
      await round();
    }
    const [failed] = await records.webhooks.list(hall.id, "failed");
    expect(failed).toMatchObject({ type: "ticket.called", url: receiver.url, lastStatus: 500, expiresAt: firstAttempt + 24 * 3600_000 });
    expect(receiver.got).toEqual([]);
    deliveryId = failed!.id;
  });

  it("the manager finds it in the tab, with its receiver, attempts and last error", async () => {
    console_ = await (await browser.newContext(DEVICES.manager)).newPage();
    console_.on("pageerror", (err) => console.error("[manager] page error:", err.message));
    await console_.goto(`${t.url}/manager/?hall=${hall.id}`);
    await console_.getByTestId("staff-id").fill("boss");
    await console_.getByTestId("password").fill(PASSWORD);
    await console_.getByTestId("sign-in-submit").click();
    await console_.getByTestId("window-1").waitFor(WAIT);
    await console_.getByTestId("tab-webhooks").click();
    const row = console_.getByTestId(`delivery-${deliveryId}`);
    await row.waitFor(WAIT);
    const shown = await text(console_, `delivery-${deliveryId}`);
    expect(shown).toContain(`叫号 · ${number}`);
    expect(shown).toContain(receiver.url);
    expect(shown).toContain("HTTP 500");
    const [failed] = await records.webhooks.list(hall.id, "failed");
    expect(shown).toContain(String(failed!.attempts));
    // The retries stopped 24 hours after the first attempt, the next day at 10:00 in the hall.
    expect(shown).toContain("03/03 10:00:00");
    await screenshot(console_, "webhooks-console-failed");
  });

  it("once the receiver accepts again, 重新推送 takes the delivery off the failed list and it arrives once", async () => {
    receiver.status = 204;
    await console_.getByTestId(`resend-${deliveryId}`).click();
    await console_.getByTestId("webhooks-none").waitFor(WAIT);
    expect(await text(console_, "webhooks-notice")).toContain(`叫号 · ${number} 已重新推送`);
    // The resend woke the sender: the delivery is sent without the test's round.
    await expect.poll(() => receiver.got.map((g) => g.id), WAIT).toEqual([deliveryId]);
    expect(receiver.got[0]!.body).toMatchObject({ type: "ticket.called", hallId: hall.id, data: { number } });
    await screenshot(console_, "webhooks-console-resent");
    await console_.getByTestId("webhooks-pending").click();
    await console_.getByTestId("webhooks-none").waitFor(WAIT);
    expect(await text(console_, "webhooks-none")).toBe("没有等待推送的消息");
    expect(await records.webhooks.list(hall.id, "failed")).toEqual([]);
  });
});
