/**
 * A booked visit end to end, in Chromium, as issue 13 tells it: a citizen books 社保 09:30 on the
 * phone page, checks in at the kiosk at 09:20, a walk-in arrives at 09:40, the counter's call
 * gets the booking first (its place in the queue is its slot start), the counter sees it marked
 * 预约 with the full name, finishes it, and the manager's list of the day's bookings shows it
 * served. The server keeps the hall and its records in one SQLite file, archived as in main.ts;
 * its clock is today's in the hall's zone, moved by the test.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { BookingView } from "../protocol/index.js";
import { businessDate, instantOf, ManualClock } from "../server/domain/clock.js";
import { DEVICES, screenshot, startBrowser } from "./helpers/browser.js";
import { PASSWORD, TOKENS, testHall } from "./helpers/hall.js";
import { issue, startRecordedWebServer, text } from "./helpers/web.js";

const ZONE = "Asia/Shanghai";
const today = businessDate(Date.now(), ZONE);
const at = (hhmm: string) => instantOf(today, hhmm, ZONE);
const WAIT = { timeout: 10_000 };

describe("a booked visit: phone, kiosk, counter, console", async () => {
  const clock = new ManualClock(at("09:05"));
  const base = testHall();
  const hall = testHall({
    services: base.services.map((s) => (s.id === "social" ? { ...s, opens: "09:00", closes: "17:00", appointments: { slotMin: 30, capacity: 2, quotaShare: 0.3 } } : s)),
    // Booking closes 10 minutes before a slot: at 09:05 the 09:30 slot is still open.
    booking: { ...base.booking, closeMinBefore: 10, earlyMin: 30, lateMin: 15 },
  });
  const t = await startRecordedWebServer(hall, clock);
  const { store, records } = t;
  const browser = await startBrowser();
  afterAll(() => t.close());

  const open = async (device: keyof typeof DEVICES, url: string): Promise<Page> => {
    const page = await (await browser.newContext(DEVICES[device])).newPage();
    page.on("pageerror", (err) => console.error(`[${device}] page error:`, err.message));
    await page.goto(`${t.url}${url}`);
    return page;
  };
  const signIn = async (app: "counter-client" | "manager", staffId: string, device: "counter" | "manager"): Promise<Page> => {
    const page = await open(device, `/${app}/?hall=${hall.id}`);
    await page.getByTestId("staff-id").fill(staffId);
    await page.getByTestId("password").fill(PASSWORD);
    await page.getByTestId("sign-in-submit").click();
    return page;
  };

  let booking: BookingView;
  let bookedNumber: string;

  it("the citizen books 社保 at 09:30 on the phone and gets a code", async () => {
    const phone = await open("phone", `/book/?hall=${hall.id}`);
    await phone.locator('[data-testid="book-service"][data-service="social"]').tap();
    const slot = phone.locator('[data-testid="slot"][data-slot="09:30"]');
    await slot.waitFor(WAIT);
    await slot.tap();
    await phone.getByTestId("book-name").fill("张三丰");
    await phone.getByTestId("book-phone").fill("13812345678");
    await phone.getByTestId("book-submit").tap();
    await phone.getByTestId("booking-code").waitFor(WAIT);
    const code = await text(phone, "booking-code");
    booking = (await (await fetch(`${t.url}/api/halls/${hall.id}/appointments/${code}`)).json()) as BookingView;
    expect(booking).toMatchObject({ serviceId: "social", date: today, slot: "09:30", state: "booked", name: "张**", phone: "138****5678" });
    await phone.context().close();
  });

  it("checks in at the kiosk at 09:20 with the code and gets a ticket marked 预约 09:30", async () => {
    clock.set(at("09:20"));
    const kiosk = await open("kiosk", `/kiosk/?hall=${hall.id}&token=${TOKENS.kiosk}`);
    await kiosk.locator('[data-testid="kiosk-waiting"]').first().waitFor(WAIT);
    await kiosk.getByTestId("check-in-code").fill(booking.code);
    await kiosk.getByTestId("check-in-code").press("Enter");
    await kiosk.getByTestId("ticket-screen").waitFor(WAIT);
    expect(await text(kiosk, "receipt-appointment")).toBe("预约 09:30");
    bookedNumber = await text(kiosk, "ticket-number");
    await kiosk.context().close();
  });

  it("a walk-in who comes at 09:40 is called after the booking, whose place is its 09:30 slot start; the counter sees 预约 and the full name", async () => {
    clock.set(at("09:40"));
    const walkIn = await issue(t, "social");
    const counter = await signIn("counter-client", "alice", "counter");
    await counter.getByTestId("pick-window-1").click();
    await counter.getByTestId("idle").waitFor(WAIT);
    await counter.getByTestId(`waiting-ticket-${walkIn.number}`).waitFor(WAIT);
    await counter.getByTestId("action-callNext").click();
    await expect.poll(() => counter.getByTestId("current-number").textContent(), WAIT).toBe(bookedNumber);
    await expect.poll(() => counter.getByTestId("booking-tag").textContent(), WAIT).toBe("预约 09:30");
    await expect.poll(() => counter.getByTestId("holder-name").textContent(), WAIT).toBe("张三丰");
    await screenshot(counter, "booked-visit-counter");
    clock.set(at("09:45"));
    await counter.getByTestId("action-start").click();
    clock.set(at("09:55"));
    await counter.getByTestId("action-finish").click();
    await counter.getByTestId("idle").waitFor(WAIT);
    expect((await store.snapshot(hall.id)).tickets.map((x) => x.number)).toEqual([walkIn.number]);
  });

  it("the manager's list of today's bookings shows the booking served", async () => {
    const manager = await signIn("manager", "boss", "manager");
    await manager.getByTestId("window-1").waitFor(WAIT);
    await manager.getByTestId("tab-bookings").click();
    await expect.poll(() => manager.getByTestId("slot-social-0930-served").textContent(), WAIT).toBe("1");
    expect(await manager.getByTestId("slot-social-0930-booked").textContent()).toBe("0");
    await manager.getByTestId("slot-social-0930").click();
    await expect.poll(() => manager.getByTestId("slot-social-0930-list").textContent(), WAIT).toContain(bookedNumber);
    expect(await manager.getByTestId("slot-social-0930-list").textContent()).not.toContain("张三丰");
    await screenshot(manager, "booked-visit-manager");
    expect((await records.bookings.get(hall.id, booking.code))?.state).toBe("served");
  });
});
