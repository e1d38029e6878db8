import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { DEVICES, screenshot, startBrowser } from "./helpers/browser.js";
import { TOKENS, testHall } from "./helpers/hall.js";
import { issue, startWebServer, text, waitForText } from "./helpers/web.js";
import type { HallSnapshot } from "../protocol/index.js";

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
  const t = await startWebServer({ halls: [testHall({ services: [...base.services, nightService()] })], publicUrl: "https://hall.example.gov.cn/" });
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
    expect(await page.locator('hc-service-button[data-service="night"] [data-testid="service-unavailable"]').textContent()).toContain("不在办理时间");
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
    const snap = (await (await fetch(`${t.url}/api/halls/t1/snapshot`)).json()) as HallSnapshot;
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
});
