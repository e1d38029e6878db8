/**
 * Booking (预约) as a citizen does it, in Chromium: on the phone (390×844) at /book/, then at the
 * kiosk with the code or the QR code's link, then on the hall's public screens. A real server
 * keeps the bookings in SQLite; its clock stands at 09:05 today in the hall's zone, so which slots
 * can be booked and when check-in opens do not depend on when the test runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { addDays } from "../server/domain/calendar.js";
import { businessDate, instantOf, ManualClock } from "../server/domain/clock.js";
import { openRecords } from "../server/records/open.js";
import { createSqliteStore } from "../server/store/sqlite/sqlite-store.js";
import type { BookingView } from "../protocol/index.js";
import { DEVICES, SCREENSHOT_DIR, screenshot, startBrowser } from "./helpers/browser.js";
import { TOKENS, testHall } from "./helpers/hall.js";
import { ok, startWebServer, text, waitForText } from "./helpers/web.js";

declare global {
  interface Window {
    __printed?: number;
  }
}

const ZONE = "Asia/Shanghai";
const today = businessDate(Date.now(), ZONE);
const holiday = addDays(today, 2);
const WAIT = { timeout: 10_000 };

/** 社保 and 医保 take bookings 09:00–17:00 in half-hour slots, one citizen each; 不动产 opens at 13:00 today. */
function bookingHall() {
  const base = testHall();
  const [social, medical, estate] = base.services;
  return testHall({
    services: [
      { ...social!, opens: "09:00", closes: "17:00", appointments: { slotMin: 30, capacity: 1, quotaShare: 0.3 } },
      { ...medical!, opens: "09:00", closes: "17:00", appointments: { slotMin: 30, capacity: 1, quotaShare: 0.3 } },
      { ...estate!, opens: "13:00", closes: "17:00" },
    ],
    calendar: { holidays: [holiday], workdays: [], makeUpDayAs: "mon" },
    booking: { openDaysAhead: 7, closeMinBefore: 10, earlyMin: 30, lateMin: 15, late: "walkIn", noShowLimit: 2, noShowWindowDays: 30, blockDays: 30 },
  });
}

describe("booking on the phone and checking in at the kiosk", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hc-book-"));
  const store = createSqliteStore(dir);
  const records = await openRecords({ sqlite: store.db });
  const clock = new ManualClock(instantOf(today, "09:05", ZONE));
  const t = await startWebServer({ store, records, clock, halls: [bookingHall()], limits: { bookingsPerAddressPerMin: 100 } });
  const browser = await startBrowser();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const api = (p: string) => `${t.url}/api/halls/t1/appointments${p}`;
  /** A booking made over REST, as another citizen's phone would. */
  async function bookRest(serviceId: string, slot: string, phone: string, date = today): Promise<BookingView> {
    const res = await fetch(api(""), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ serviceId, date, slot, name: "李四", phone }) });
    expect(res.status).toBe(201);
    return (await res.json()) as BookingView;
  }
  const bookingOf = async (code: string) => (await (await fetch(api(`/${code}`))).json()) as BookingView;

  async function openPhone(query = "?hall=t1"): Promise<Page> {
    const context = await browser.newContext(DEVICES.phone);
    const page = await context.newPage();
    page.on("pageerror", (err) => console.error("[phone] page error:", err.message));
    await page.goto(`${t.url}/book/${query}`);
    return page;
  }

  /** A kiosk whose printer is recorded instead of opening a dialog. */
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
    await page.locator('[data-testid="kiosk-waiting"]').first().waitFor();
    return page;
  }

  const slotButton = (page: Page, slot: string) => page.locator(`[data-testid="slot"][data-slot="${slot}"]`);
  /** Every text on the page, shadow roots included. */
  const allText = (p: Page) =>
    p.evaluate(() => {
      const walk = (n: Node): string => {
        let out = n.nodeType === Node.TEXT_NODE ? (n.textContent ?? "") : "";
        if (n instanceof Element && n.shadowRoot) out += walk(n.shadowRoot);
        n.childNodes.forEach((c) => (out += walk(c)));
        return out;
      };
      return walk(document.body);
    });
  let booked: BookingView;
  /** A booking for 10:30, whose check-in opens at 10:00. */
  let early: BookingView;
  let phone: Page;

  it("a citizen picks 社保, today, 09:30 and books it with name and phone, and sees the code, its QR code and when to check in", async () => {
    phone = await openPhone();
    await phone.locator('[data-testid="book-service"][data-service="social"]').tap();
    await slotButton(phone, "09:30").waitFor(WAIT);
    // 09:00 has begun: the server no longer takes it; 09:30 has its one seat.
    expect(await slotButton(phone, "09:00").isDisabled()).toBe(true);
    expect(await slotButton(phone, "09:30").textContent()).toContain("余 1 个");
    expect(await phone.locator(`[data-testid="date"][data-date="${today}"]`).getAttribute("aria-pressed")).toBe("true");
    await slotButton(phone, "09:30").tap();
    await phone.getByTestId("book-name").fill("张三");
    await phone.getByTestId("book-phone").fill("1381234567");
    await phone.getByTestId("phone-hint").waitFor();
    await phone.getByTestId("book-phone").fill("13812345678");
    await screenshot(phone, "book-form");
    await phone.screenshot({ path: path.join(SCREENSHOT_DIR, "book-form-full.png"), fullPage: true });
    await phone.getByTestId("book-submit").tap();

    await phone.getByTestId("booking-code").waitFor(WAIT);
    const code = await text(phone, "booking-code");
    booked = await bookingOf(code);
    expect(booked).toMatchObject({ serviceId: "social", date: today, slot: "09:30", state: "booked" });
    expect(await text(phone, "booking-name")).toBe("张*");
    expect(await text(phone, "booking-phone")).toBe("138****5678");
    expect(await text(phone, "booking-when")).toContain("09:30–10:00");
    expect(await text(phone, "check-in-window")).toBe("请于 09:00–09:45 到自助机签到");
    const qr = phone.getByTestId("booking-qr");
    expect(await qr.getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    expect(await qr.getAttribute("data-url")).toBe(booked.url);
    expect(booked.url).toMatch(new RegExp(`/book/\\?hall=t1&code=${code}$`));
    // Kept on this phone, and the address is the booking's own link.
    expect(await phone.evaluate(() => localStorage.getItem("hallcall.bookings.t1"))).toContain(code);
    expect(new URL(phone.url()).searchParams.get("code")).toBe(code);
    await screenshot(phone, "book");
    await phone.screenshot({ path: path.join(SCREENSHOT_DIR, "book-full.png"), fullPage: true });
  });

  it("a slot taken meanwhile is refused with 该时段已约满 and then shows as full; a holiday shows the server's notice", async () => {
    await phone.getByTestId("to-mine").tap();
    await phone.locator(`[data-testid="my-booking"][data-code="${booked.code}"]`).waitFor(WAIT);
    await phone.getByTestId("new-booking-start").tap();
    await phone.locator('[data-testid="book-service"][data-service="medical"]').tap();
    await slotButton(phone, "10:00").tap();
    await phone.getByTestId("book-name").fill("张三");
    await phone.getByTestId("book-phone").fill("13812345678");
    await bookRest("medical", "10:00", "13900000001");
    await phone.getByTestId("book-submit").tap();
    await waitForText(phone, "book-error", "该时段已约满");
    await phone.locator('[data-testid="slot"][data-slot="10:00"]', { hasText: "已约满" }).waitFor(WAIT);
    expect(await slotButton(phone, "10:00").isDisabled()).toBe(true);
    await screenshot(phone, "book-refused");

    // The holiday is between bookable days: shown dimmed, with the server's word on it.
    const off = phone.locator(`[data-testid="date"][data-date="${holiday}"]`);
    expect(await off.getAttribute("data-open")).toBe("no");
    await off.tap();
    await waitForText(phone, "day-notice", "节假日");
  });

  it("the same phone cannot book 社保 twice on a day: the page says so in plain words", async () => {
    await phone.locator('[data-testid="book-service"][data-service="social"]').tap();
    await phone.locator(`[data-testid="date"][data-date="${today}"]`).tap();
    await slotButton(phone, "11:00").tap();
    await phone.getByTestId("book-submit").tap();
    await waitForText(phone, "book-error", "您当天已预约该事项");
  });

  it("a booking is moved to another day and time, and a booking is cancelled", async () => {
    const other = await bookRest("medical", "11:00", "13900000002");
    const page2 = await openPhone(`?hall=t1&code=${other.code}`);
    await page2.getByTestId("reschedule").tap();
    const tomorrow = addDays(today, 1);
    await page2.locator(`[data-testid="date"][data-date="${tomorrow}"]`).tap();
    await slotButton(page2, "14:00").tap();
    await page2.getByTestId("reschedule-confirm").tap();
    await waitForText(page2, "book-notice", "已改约");
    expect(await bookingOf(other.code)).toMatchObject({ date: tomorrow, slot: "14:00", state: "booked" });

    await page2.getByTestId("cancel").tap();
    await page2.getByTestId("cancel-confirm").tap();
    await waitForText(page2, "booking-state", "已取消");
    await waitForText(page2, "book-notice", "预约已取消");
    expect((await bookingOf(other.code)).state).toBe("cancelled");
    expect(await page2.getByTestId("booking-code").count()).toBe(0);
    await screenshot(page2, "book-cancelled");
    await page2.context().close();
  });

  it("at the kiosk the typed code checks the booking in and prints a ticket marked 预约 09:30", async () => {
    const kiosk = await openKiosk();
    await kiosk.getByTestId("check-in-code").fill(booked.code);
    await kiosk.getByTestId("check-in-code").press("Enter");
    await kiosk.getByTestId("ticket-screen").waitFor(WAIT);
    expect(await text(kiosk, "receipt-appointment")).toBe("预约 09:30");
    expect(await text(kiosk, "ticket-screen")).toContain("签到成功");
    await kiosk.waitForFunction(() => (window.__printed ?? 0) === 1);
    const after = await bookingOf(booked.code);
    expect(after.state).toBe("checkedIn");
    expect(await text(kiosk, "ticket-number")).toBe(after.ticketNumber);
    const ticket = (await store.snapshot("t1")).tickets.find((x) => x.id === after.ticketId);
    expect(ticket).toMatchObject({ channel: "appointment", appointment: { slot: "09:30", onTime: true } });
    await screenshot(kiosk, "kiosk-check-in");
    await kiosk.context().close();
  });

  it("a scanned QR code (the booking's link typed by the scanner, then Enter) checks in too; too early and unknown codes are refused clearly and the field clears", async () => {
    const kiosk = await openKiosk();
    early = await bookRest("social", "10:30", "13900000003");
    await kiosk.getByTestId("check-in-code").fill(early.code);
    await kiosk.getByTestId("check-in-submit").tap();
    await waitForText(kiosk, "kiosk-error", "还未到签到时间：请于 10:00 后签到（预约时段 10:30）");
    await screenshot(kiosk, "kiosk-check-in-early");
    await kiosk.waitForFunction(() => {
      const input = document.querySelector("hc-kiosk-page")?.shadowRoot?.querySelector("hc-check-in")?.shadowRoot?.querySelector("input");
      return input?.value === "";
    }, undefined, WAIT);

    await kiosk.getByTestId("check-in-code").fill("NOSUCHCODE42");
    await kiosk.getByTestId("check-in-code").press("Enter");
    await waitForText(kiosk, "kiosk-error", "没有找到这个预约");

    // The scanner types into whatever has the focus: nothing here, after a tap on the page.
    const scanned = await bookRest("medical", "09:30", "13900000004");
    await kiosk.locator("header h1").tap();
    await kiosk.keyboard.type(scanned.url, { delay: 2 });
    await kiosk.keyboard.press("Enter");
    await kiosk.getByTestId("ticket-screen").waitFor(WAIT);
    expect(await text(kiosk, "receipt-appointment")).toBe("预约 09:30");
    expect((await bookingOf(scanned.code)).state).toBe("checkedIn");
    await kiosk.context().close();
  });

  it("after check-in the booking page shows the ticket's number and the way to its tracker, which says 预约 09:30", async () => {
    await phone.goto(`${t.url}/book/?hall=t1&code=${booked.code}`);
    const after = await bookingOf(booked.code);
    await waitForText(phone, "booking-ticket-number", after.ticketNumber!);
    expect(await text(phone, "booking-state")).toBe("已签到");
    await screenshot(phone, "book-checked-in");
    await phone.getByTestId("booking-track").tap();
    await phone.waitForURL(/\/track\//);
    expect(new URL(phone.url()).searchParams.get("ticket")).toBe(after.ticketId);
    await waitForText(phone, "track-appointment", "预约 09:30");
    await screenshot(phone, "track-booked");
  });

  it("on the board and the window's strip a called booking is tagged 预约 and never named; a closed service shows the server's notice", async () => {
    const board = await browser.newContext(DEVICES.board).then((c) => c.newPage());
    await board.goto(`${t.url}/displays/board.html?hall=t1&token=${TOKENS.board}`);
    const strip = await browser.newContext(DEVICES.strip).then((c) => c.newPage());
    await strip.goto(`${t.url}/displays/strip.html?hall=t1&token=${TOKENS.strip1}&window=1`);
    await board.locator('[data-service="estate"] [data-testid="service-notice"]').waitFor(WAIT);
    expect(await text(board, "service-notice")).toBe("暂停取号，今天 13:00 开始办理");

    const alice = await t.counter("alice", "1");
    await ok(alice, "window:open", { windowId: "1" }).catch(() => undefined);
    const called = await ok(alice, "window:callNext", { windowId: "1" });
    const number = (called as { ticket: { number: string; channel: string } }).ticket;
    expect(number.channel).toBe("appointment");
    await waitForText(board, "latest-number", number.number);
    await board.locator('[data-testid="latest-call"] [data-testid="booked-tag"]').waitFor(WAIT);
    await waitForText(strip, "strip-tag", "预约");
    expect(await allText(board)).not.toContain("张");
    expect(await allText(strip)).not.toContain("张");
    await screenshot(board, "board-booked");
    await screenshot(strip, "strip-booked");

    // Once the next call comes, the booking's call moves to the recent calls, still tagged.
    await ok(alice, "ticket:start", { windowId: "1" });
    await ok(alice, "ticket:finish", { windowId: "1" });
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    await ok(kiosk, "ticket:issue", { serviceId: "social" });
    await ok(alice, "window:callNext", { windowId: "1" });
    await board.locator('[data-testid="recent-call"]', { hasText: number.number }).locator('[data-testid="booked-tag"]').waitFor(WAIT);
    expect(await board.locator('[data-testid="latest-call"] [data-testid="booked-tag"]').count()).toBe(0);
    await board.context().close();
    await strip.context().close();
  });

  it("the kiosk shows a closed service's notice from the server", async () => {
    const kiosk = await openKiosk();
    expect(await kiosk.locator('hc-service-button[data-service="estate"] [data-testid="service-unavailable"]').textContent()).toBe("暂停取号，今天 13:00 开始办理");
    await kiosk.context().close();
  });

  it("in English the booking reads in English", async () => {
    const page = await openPhone(`?hall=t1&code=${early.code}&lang=en`);
    await waitForText(page, "booking-state", "Booked");
    expect(await text(page, "check-in-window")).toBe("Check in at the kiosk between 10:00 and 10:45");
    await screenshot(page, "book-en");
    await page.context().close();
  });

  it("checking in on the phone before its time is refused with from when; in time it gives the ticket", async () => {
    const page = await openPhone(`?hall=t1&code=${early.code}`);
    await page.getByTestId("phone-check-in").tap();
    await waitForText(page, "book-error", "还未到签到时间：请于 10:00 后签到（预约时段 10:30）");
    clock.set(instantOf(today, "10:05", ZONE));
    await page.getByTestId("phone-check-in").tap();
    await waitForText(page, "book-notice", "签到成功，您的号是");
    const after = await bookingOf(early.code);
    expect(after.state).toBe("checkedIn");
    expect(await text(page, "booking-ticket-number")).toBe(after.ticketNumber);
    await page.context().close();
  });
});
