import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEVICES, screenshot, startBrowser } from "./helpers/browser.js";
import { TOKENS, testHall } from "./helpers/hall.js";
import { HeldStore } from "./helpers/held-store.js";
import { issue, startWebServer, text, waitForText } from "./helpers/web.js";
import { hallNamespace } from "../protocol/index.js";

declare global {
  interface Window {
    __printed?: number;
  }
}

/** A service whose opening hours are never "now" in the hall's zone (Asia/Shanghai). */
function nightService() {
  const h = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Shanghai", hour: "2-digit", hourCycle: "h23" }).format(Date.now()));
  const hh = (n: number) => `${String(n % 24).padStart(2, "0")}:00`;
  return { id: "night", prefix: "N", name: { zh: "夜间业务", en: "Night desk" }, targetWaitMin: 20, opens: hh(h + 2), closes: hh(h + 3), serviceMin: 5 };
}

describe("ticket kiosk", async () => {
  const base = testHall();
  // PUBLIC_URL: phones reach the hall at another address than the kiosk does.
  const store = new HeldStore();
  const t = await startWebServer({ store, storeDeadlineMs: 300, halls: [testHall({ services: [...base.services, nightService()] })], publicUrl: "https://hall.example.gov.cn/" });
  const issuedToday = async (serviceId: string) => (await store.snapshot("t1")).stats.issued[serviceId] ?? 0;
  const browser = await startBrowser();

  /** A kiosk page whose printer is recorded instead of opening a dialog. */
  async function openKiosk(): Promise<Page> {
    const context = await browser.newContext(DEVICES.kiosk);
    await context.addInitScript(() => {
      window.print = () => {
        window.__printed = (window.__printed ?? 0) + 1;
      };
    });
    const page = await context.newPage();
    page.on("pageerror", (err) => console.error("[kiosk] page error:", err.message));
    await page.goto(`${t.url}/kiosk/?hall=t1&token=${TOKENS.kiosk}`);
    // The buttons know whether a service takes tickets once the hall's first queue summary is in.
    await page.locator('[data-testid="kiosk-waiting"]').first().waitFor();
    return page;
  }
  const button = (page: Page, serviceId: string) => page.locator(`hc-service-button[data-service="${serviceId}"] button`);

  it("shows a closed service and a service out of tickets as such, and they cannot be tapped", async () => {
    await issue(t, "estate");
    await issue(t, "estate"); // the test hall gives 不动产 a quota of 2
    const page = await openKiosk();
    expect(await button(page, "night").isDisabled()).toBe(true);
    expect(await button(page, "estate").isDisabled()).toBe(true);
    expect(await button(page, "social").isDisabled()).toBe(false);
    // The server's notice, which says when it opens; the page works out no hours of its own.
    expect(await page.locator('hc-service-button[data-service="night"] [data-testid="service-unavailable"]').textContent()).toMatch(/暂停取号，(今天|明天) \d\d:00 开始办理/);
    expect(await page.locator('hc-service-button[data-service="estate"] [data-testid="service-unavailable"]').textContent()).toContain("今日号源已满");
    const box = await button(page, "social").boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(120);
    await screenshot(page, "kiosk");
    await page.context().close();
  });

  it("an elderly citizen taps 老年人 and a service and gets a printed ticket with its number and QR code", async () => {
    const page = await openKiosk();
    await page.locator('[data-testid="priority-elderly"]').tap();
    await button(page, "social").tap();
    await waitForText(page, "ticket-number", "A001");
    expect(await text(page, "receipt-priority")).toContain("老年人");
    expect(await page.locator('[data-testid="ticket-qr"]').getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    expect(await page.locator('[data-testid="ticket-qr"]').getAttribute("data-url")).toMatch(/^https:\/\/hall\.example\.gov\.cn\/track\/\?hall=t1&ticket=/);
    await page.waitForFunction(() => (window.__printed ?? 0) === 1);
    const snap = await store.snapshot("t1");
    const ticket = snap.tickets.find((x) => x.number === "A001");
    expect(ticket).toMatchObject({ priority: "elderly", channel: "kiosk" });
    await screenshot(page, "kiosk-ticket");
    await page.emulateMedia({ media: "print" });
    await screenshot(page, "kiosk-receipt-print");
    await page.emulateMedia({ media: "screen" });
    // 完成 returns to the start screen, with the lane back to 普通.
    await page.locator('[data-testid="done"]').tap();
    await button(page, "social").waitFor();
    expect(await page.locator('[data-testid="priority-normal"]').getAttribute("aria-pressed")).toBe("true");
    await page.context().close();
  });

  it("while the server cannot answer, the kiosk says it is still trying, a second tap sends nothing, and one ticket prints", async () => {
    const page = await openKiosk();
    const before = await issuedToday("social");
    const from = store.received.length;
    store.stall("ticket:issue", 2);
    await button(page, "social").tap();
    await page.locator('[data-testid="kiosk-busy"][data-retrying="yes"]').waitFor();
    expect(await text(page, "kiosk-busy")).toContain("正在连接，请稍候");
    await screenshot(page, "kiosk-retrying");
    // The citizen taps again where the button was: the waiting screen covers it.
    const box = (await button(page, "social").boundingBox())!;
    await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    store.release();
    await page.locator('[data-testid="ticket-screen"]').waitFor();
    await page.waitForFunction(() => (window.__printed ?? 0) === 1);
    expect(await issuedToday("social")).toBe(before + 1);
    const attempts = store.received.slice(from).filter((r) => r.name === "ticket:issue");
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(attempts.map((r) => r.commandId)).size).toBe(1);
    await page.context().close();
  });

  it("offline, the kiosk says 离线 and takes no ticket, and is back by itself when the network is", async () => {
    const page = await openKiosk();
    let offline = true;
    const hall = t.server.io.of(hallNamespace("t1"));
    hall.use((socket, next) => (offline && socket.data.role === "kiosk" ? next(Object.assign(new Error("network down (test)"), { data: { code: "OFFLINE" } })) : next()));
    for (const s of hall.sockets.values()) if (s.data.role === "kiosk") s.conn.close();
    await page.locator('[data-testid="kiosk-offline"]').waitFor();
    expect(await text(page, "kiosk-offline")).toContain("离线 · 暂停取号");
    expect(await page.locator("div.services").getAttribute("inert")).not.toBeNull();
    await screenshot(page, "kiosk-offline");
    offline = false;
    await page.locator('[data-testid="kiosk-offline"]').waitFor({ state: "detached", timeout: 15_000 });
    await page.locator('[data-testid="connection-status"]').waitFor({ state: "detached" });
    expect(await page.locator("div.services").getAttribute("inert")).toBeNull();
    await page.context().close();
  });
});
