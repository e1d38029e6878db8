/**
 * Bookings (预约) at the staff pages, in Chromium: the counter sees a checked-in booking marked
 * 预约 with its slot and, once it is at the window, the citizen's full name; 指定叫号 calls a
 * later ticket ahead of earlier ones, with a reason; the console counts the day's bookings per
 * slot, calls a named ticket to a free window, and edits the hours with their change log.
 *
 * The server runs on a ManualClock (a Tuesday morning in the hall's zone), so that a booking is
 * made before its slot and checked in on time without waiting; the pages' clocks are set to the
 * same time, so that the waits they show are the server's.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { BookingView, CheckInResponse, HallEvent, Ticket } from "../protocol/index.js";
import { ManualClock } from "../server/domain/clock.js";
import { openRecords } from "../server/records/open.js";
import { DEVICES, screenshot, startBrowser } from "./helpers/browser.js";
import { PASSWORD, testHall } from "./helpers/hall.js";
import { cid, nextEvent, type TestServer } from "./helpers/server.js";
import { issue, startWebServer } from "./helpers/web.js";

/** Pages update over a socket and REST: give them a few seconds on a busy machine. */
const WAIT = { timeout: 8_000 };
const DAY = "2026-03-10";
/** 09:00 on a Tuesday in Asia/Shanghai. */
const OPENING = Date.parse(`${DAY}T09:00:00+08:00`);
const MIN = 60_000;

const WEEKDAYS_OPEN = { mon: [["08:30", "12:00"], ["13:30", "17:00"]], tue: [["08:30", "12:00"], ["13:30", "17:00"]], wed: [["08:30", "12:00"], ["13:30", "17:00"]], thu: [["08:30", "12:00"], ["13:30", "17:00"]], fri: [["08:30", "12:00"], ["13:30", "17:00"]] } as const;

let srv: TestServer;
let browser: Browser;
const clock = new ManualClock(OPENING);

beforeAll(async () => {
  const base = testHall();
  const hall = testHall({
    services: [
      { id: "social", prefix: "A", name: { zh: "社保", en: "Social" }, targetWaitMin: 20, dailyQuota: 100, schedule: WEEKDAYS_OPEN as never, serviceMin: 8, appointments: { slotMin: 30, capacity: 2, quotaShare: 0.2 } },
      ...base.services.filter((s) => s.id !== "social"),
    ],
  });
  srv = await startWebServer({ halls: [hall], clock, records: await openRecords({ sqlite: ":memory:" }) });
  browser = await startBrowser();
});

const contexts: BrowserContext[] = [];

/** The hall's time moves on, on the server and in every page. */
async function setTime(ms: number): Promise<void> {
  clock.set(ms);
  for (const c of contexts) await c.clock.setFixedTime(ms);
}

async function openPage(device: "counter" | "manager", url: string): Promise<Page> {
  const context = await browser.newContext(DEVICES[device]);
  contexts.push(context);
  await context.clock.setFixedTime(clock.now());
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error(`[${device}] page error:`, err.message));
  await page.goto(url);
  return page;
}

const api = (path: string) => `${srv.url}/api/halls/${srv.hall.id}${path}`;

async function book(slot: string, name: string, phone: string): Promise<BookingView> {
  const res = await fetch(api("/appointments"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ serviceId: "social", date: DAY, slot, name, phone }) });
  if (res.status !== 201) throw new Error(`booking refused: ${res.status} ${await res.text()}`);
  return (await res.json()) as BookingView;
}

async function checkIn(code: string): Promise<Ticket> {
  const res = await fetch(api(`/appointments/${code}/check-in`), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ commandId: cid() }) });
  if (!res.ok) throw new Error(`check-in refused: ${res.status} ${await res.text()}`);
  return ((await res.json()) as CheckInResponse).ticket;
}

async function signIn(app: "counter-client" | "manager", staffId: string, device: "counter" | "manager"): Promise<Page> {
  const page = await openPage(device, `${srv.url}/${app}/?hall=${srv.hall.id}`);
  await page.getByTestId("staff-id").fill(staffId);
  await page.getByTestId("password").fill(PASSWORD);
  await page.getByTestId("sign-in-submit").click();
  return page;
}

async function counterAt(staffId: string, windowId: string): Promise<Page> {
  const page = await signIn("counter-client", staffId, "counter");
  await page.getByTestId(`pick-window-${windowId}`).click();
  await page.getByTestId("idle").waitFor();
  return page;
}

/** Booked before the day's first walk-ins; checked in on time, it queues from its slot's start. */
let booked: BookingView;
let bookedTicket: Ticket;
let walkIns: Ticket[];

describe("bookings at the counter", () => {
  it("a checked-in booking waits marked 预约 with its slot; 指定叫号 needs a reason, then calls it ahead of earlier tickets with the full name shown", async () => {
    booked = await book("10:00", "张三丰", "13812345678");
    await book("10:30", "李四", "13900001111");
    walkIns = [await issue(srv, "social"), await issue(srv, "social")];
    await setTime(OPENING + 45 * MIN);
    bookedTicket = await checkIn(booked.code);
    expect(bookedTicket.channel).toBe("appointment");

    const page = await counterAt("alice", "1");
    await page.getByTestId(`waiting-ticket-${bookedTicket.number}`).waitFor(WAIT);
    await expect.poll(() => page.getByTestId(`waiting-tag-${bookedTicket.number}`).textContent(), WAIT).toBe("预约 10:00");
    // Queued from 10:00, the booking is behind the walk-ins of 09:00.
    const rows = await page.locator("hc-waiting-list tr[data-testid]").evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")));
    expect(rows.indexOf(`waiting-ticket-${walkIns[0]!.number}`)).toBeLessThan(rows.indexOf(`waiting-ticket-${bookedTicket.number}`));

    const manager = await srv.manager();
    const called = nextEvent(manager, (e) => e.type === "ticket:called" && e.ticket.id === bookedTicket.id);
    await page.getByTestId(`call-ticket-${bookedTicket.number}`).click();
    await page.getByTestId("call-ticket-dialog").waitFor();
    expect(await page.getByTestId("call-ticket-submit").isDisabled()).toBe(true);
    await page.getByTestId("call-ticket-reason").fill("   ");
    expect(await page.getByTestId("call-ticket-submit").isDisabled()).toBe(true);
    await page.getByRole("button", { name: "预约群众已到场" }).click();
    await screenshot(page, "counter-call-ticket");
    await page.getByTestId("call-ticket-submit").click();

    await expect.poll(() => page.getByTestId("current-number").textContent(), WAIT).toBe(bookedTicket.number);
    const e = (await called) as Extract<HallEvent, { type: "ticket:called" }>;
    expect(e.chosen).toEqual({ reason: "预约群众已到场", staffId: "alice" });
    await expect.poll(() => page.getByTestId("booking-tag").textContent(), WAIT).toBe("预约 10:00");
    await expect.poll(() => page.getByTestId("holder-name").textContent(), WAIT).toBe("张三丰");
    expect(await page.getByTestId("holder-phone").textContent()).toBe("138****5678");
    // The window is busy now: no other ticket can be called out of turn.
    expect(await page.getByTestId(`call-ticket-${walkIns[0]!.number}`).isDisabled()).toBe(true);
    await screenshot(page, "counter-booking");

    await page.getByTestId("action-start").click();
    await page.getByTestId("action-finish").click();
    await page.getByTestId("idle").waitFor();
    // The full name went with its ticket.
    expect(await page.getByTestId("holder-name").count()).toBe(0);
    contexts.splice(contexts.indexOf(page.context()), 1);
    await page.context().close();
  });
});

describe("bookings in the console", () => {
  let page: Page;

  beforeAll(async () => {
    page = await signIn("manager", "boss", "manager");
    await page.getByTestId("window-1").waitFor();
  });

  it("today's bookings count each slot's bookings still to come and checked in, with masked names on expanding", async () => {
    await page.getByTestId("tab-bookings").click();
    await expect.poll(() => page.getByTestId("slot-social-1000-checkedIn").textContent(), WAIT).toBe("1");
    expect(await page.getByTestId("slot-social-1000-booked").textContent()).toBe("0");
    expect(await page.getByTestId("slot-social-1030-booked").textContent()).toBe("1");
    expect(await page.getByTestId("slot-social-1030-left").textContent()).toBe("1");
    expect(await page.getByTestId("bookings-date").inputValue()).toBe(DAY);

    const other = await book("11:00", "王五", "13700002222");
    await setTime(OPENING + 105 * MIN);
    const t = await checkIn(other.code);
    // A check-in is a hall event: the panel reads the day again without waiting for its 30 s.
    await expect.poll(() => page.getByTestId("slot-social-1100-checkedIn").textContent(), WAIT).toBe("1");

    await page.getByTestId("slot-social-1030").click();
    await expect.poll(() => page.getByTestId("slot-social-1030-list").textContent(), WAIT).toContain("李*");
    await page.getByTestId("slot-social-1100").click();
    await expect.poll(() => page.getByTestId("slot-social-1100-list").textContent(), WAIT).toContain(t.number);
    expect(await page.getByTestId("slot-social-1100-list").textContent()).not.toContain("王五");
    await screenshot(page, "manager-bookings");
    await page.getByTestId("lang-switch").click();
    await expect.poll(() => page.getByTestId("tab-bookings").textContent(), WAIT).toBe("Today's bookings");
    await screenshot(page, "manager-bookings-en");
    await page.getByTestId("lang-switch").click();
  });

  it("calls a named waiting ticket to a free window with a reason", async () => {
    // Bob signs in at window 2 (it opens), free to take a citizen.
    await srv.counter("bob", "2");
    await page.getByTestId("tab-live").click();
    const later = walkIns[1]!;
    await page.getByTestId("queue-list-social").click();
    await page.getByTestId(`console-call-${later.number}`).click();
    await page.getByTestId("call-ticket-dialog").waitFor();
    await page.getByTestId("call-ticket-reason").fill("领导交办");
    expect(await page.getByTestId("call-ticket-submit").isDisabled()).toBe(true);
    await page.getByTestId("call-ticket-window").selectOption("2");
    await screenshot(page, "manager-call-ticket");
    await page.getByTestId("call-ticket-submit").click();
    await expect.poll(() => page.locator('[data-testid="window-2"] .ticket').textContent(), WAIT).toBe(later.number);
    // The earlier walk-in still waits.
    await expect.poll(() => page.getByTestId(`queue-ticket-${walkIns[0]!.number}`).count(), WAIT).toBe(1);
  });

  it("the hours editor saves a schedule, lists the server's refusal of a bad one, and the log shows who changed what", async () => {
    await page.getByTestId("tab-hours").click();
    await page.getByTestId("hours-medical").waitFor(WAIT);
    expect(await page.getByTestId("hours-log-empty").count()).toBe(1);

    // Saturday afternoons closed for 医保: one interval, the morning.
    await page.getByTestId("hours-medical-sat-0-from").fill("09:00");
    await page.getByTestId("hours-medical-sat-0-to").fill("12:00");
    await page.getByTestId("hours-medical-sun-0-remove").click();
    await page.getByTestId("holidays-new").fill("2026-04-06");
    await page.getByTestId("holidays-add").click();
    await page.getByTestId("hours-save").click();
    await expect.poll(() => page.getByTestId("hours-saved").textContent(), WAIT).toContain("已保存 第 1 版 · boss");
    await expect.poll(() => page.getByTestId("hours-log-1").textContent(), WAIT).toContain("医保");
    expect(await page.getByTestId("hours-log-1").textContent()).toContain("boss");

    const res = await fetch(api("/hours"), { headers: { authorization: `Bearer ${await srv.login("boss")}` } });
    const view = (await res.json()) as { services: Record<string, { schedule: Record<string, unknown> }>; calendar: { holidays: string[] } };
    expect(view.services.medical!.schedule.sat).toEqual([["09:00", "12:00"]]);
    expect(view.services.medical!.schedule.sun ?? []).toEqual([]);
    expect(view.calendar.holidays).toContain("2026-04-06");

    await page.getByTestId("hours-medical-sat-0-to").fill("08:00");
    await page.getByTestId("hours-save").click();
    await expect.poll(() => page.getByTestId("hours-errors").textContent(), WAIT).toContain("医保 周六 第1段：结束时间须晚于开始时间");
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "manager-hours");
    await page.getByTestId("hours-revert").click();
    await page.getByTestId("hours-errors").waitFor({ state: "detached" });
  });
});
