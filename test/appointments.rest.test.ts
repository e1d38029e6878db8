import { afterAll, describe, expect, it } from "vitest";
import { BookableServices, BookingView, CheckInResponse, DayBookings, SlotsResponse, type BookingRequest, type HallEvent } from "../protocol/index.js";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import type { BookingConfig, HallConfig } from "../server/domain/config.js";
import { openRecords } from "../server/records/open.js";
import type { RecordsStore } from "../server/records/records-store.js";
import { missedCutoff } from "../server/domain/booking.js";
import type { RestLimits } from "../server/transport/rate-limit.js";
import { testHall } from "./helpers/hall.js";
import { call, cid, startTestServer, type TestServer } from "./helpers/server.js";

const ZONE = "Asia/Shanghai";
/** Wednesday 9 December 2026, a working day; Saturday is the 12th. */
const WED = "2026-12-09";
const THU = "2026-12-10";
const FRI = "2026-12-11";
const at = (date: string, time: string) => instantOf(date, time, ZONE);

/** The test hall with 社保 taking bookings: 09:00–12:00 and 13:00–17:00 on weekdays, 30-minute slots of 2, 6 of its 20 tickets a day for bookings. */
function bookingHall(booking: Partial<BookingConfig> = {}): HallConfig {
  const base = testHall();
  const weekdays = Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["09:00", "12:00"], ["13:00", "17:00"]]]));
  return testHall({
    services: base.services.map((s) => (s.id === "social" ? { ...s, dailyQuota: 20, schedule: weekdays, appointments: { slotMin: 30, capacity: 2, quotaShare: 0.3 } } : s)),
    booking: { ...base.booking, ...booking },
  });
}

interface Bench {
  t: TestServer;
  clock: ManualClock;
  records: RecordsStore;
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: unknown }>;
  book(req: Partial<BookingRequest> & { date: string; slot: string }): Promise<{ status: number; body: unknown }>;
}

/** A server on SQLite records in memory, its clock at `start`; bookings from one address limited only where a test says. */
async function bench(start: number, booking: Partial<BookingConfig> = {}, limits: Partial<RestLimits> = {}): Promise<Bench> {
  const records = await openRecords({ sqlite: ":memory:" });
  const clock = new ManualClock(start);
  const t = await startTestServer({ records, clock, halls: [bookingHall(booking)], limits: { bookingsPerAddressPerMin: 1_000, ...limits } });
  afterAll(() => records.close());
  const api = async (method: string, path: string, body?: unknown, token?: string) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${t.url}/api/halls/${t.hall.id}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
    return { status: res.status, body: await res.json().catch(() => null) };
  };
  let phones = 0;
  const book = (req: Partial<BookingRequest> & { date: string; slot: string }) => api("POST", "/appointments", { serviceId: "social", name: "张三丰", phone: `1380000${String(++phones).padStart(4, "0")}`, ...req });
  return { t, clock, records, api, book };
}

describe("booking a slot", async () => {
  const { api, book } = await bench(at(WED, "08:45"));

  it("lists the services that take bookings, with the weekdays that still have a slot open", async () => {
    const res = await api("GET", "/appointments/services");
    expect(res.status).toBe(200);
    const answer = BookableServices.parse(res.body);
    expect(answer.services.map((s) => [s.id, s.slotMin, s.capacity])).toEqual([["social", 30, 2]]);
    expect(answer.dates).toEqual([WED, THU, FRI, "2026-12-14", "2026-12-15", "2026-12-16"]);
  });

  it("lists a day's slots with their seats, the ones too close to their start not bookable", async () => {
    const res = await api("GET", `/appointments/slots?serviceId=social&date=${WED}`);
    const answer = SlotsResponse.parse(res.body);
    expect(answer.slots.map((s) => s.slot)).toEqual(["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "13:00", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30"]);
    expect(answer.slots[0]).toMatchObject({ slot: "09:00", startsAt: at(WED, "09:00"), capacity: 2, left: 2, bookable: false });
    expect(answer.slots[1]).toMatchObject({ slot: "09:30", left: 2, bookable: true });
    expect(answer.notice).toBeNull();
  });

  it("a day without slots says why", async () => {
    const answer = SlotsResponse.parse((await api("GET", "/appointments/slots?serviceId=social&date=2026-12-12")).body);
    expect(answer.slots).toEqual([]);
    expect(answer.notice?.zh).toContain("12月12日");
  });

  it("books a slot: 201 with the name and phone masked, the code, its link and QR code", async () => {
    const res = await book({ date: THU, slot: "09:00", name: "张三丰", phone: "13812341234" });
    expect(res.status).toBe(201);
    const view = BookingView.parse(res.body);
    expect(view).toMatchObject({ serviceId: "social", serviceName: { zh: "社保" }, date: THU, slot: "09:00", startsAt: at(THU, "09:00"), name: "张**", phone: "138****1234", state: "booked", ticketId: null });
    expect(view.code).toMatch(/^[A-Za-z0-9]{8,32}$/);
    expect(view.url).toMatch(new RegExp(`/book/\\?hall=t1&code=${view.code}$`));
    expect(view.qrSvg.startsWith("<svg")).toBe(true);
    expect(view.checkInFrom).toBe(at(THU, "08:30"));
    expect(view.onTimeUntil).toBe(at(THU, "09:15"));
    expect(JSON.stringify(res.body)).not.toContain("13812341234");
  });

  it("a booked seat is one seat less in its slot", async () => {
    await book({ date: THU, slot: "10:00" });
    const answer = SlotsResponse.parse((await api("GET", `/appointments/slots?serviceId=social&date=${THU}`)).body);
    expect(answer.slots.find((s) => s.slot === "10:00")).toMatchObject({ left: 1, bookable: true });
  });

  it("a full slot is refused SLOT_FULL and shows no seat left", async () => {
    expect((await book({ date: THU, slot: "11:00" })).status).toBe(201);
    expect((await book({ date: THU, slot: "11:00" })).status).toBe(201);
    const res = await book({ date: THU, slot: "11:00" });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ ok: false, error: { code: "SLOT_FULL" } });
    const answer = SlotsResponse.parse((await api("GET", `/appointments/slots?serviceId=social&date=${THU}`)).body);
    expect(answer.slots.find((s) => s.slot === "11:00")).toMatchObject({ left: 0, bookable: false });
  });

  it("the day's booking quota caps every slot's seats", async () => {
    // 20 × 0.3 = 6 bookings a day; Friday takes 6 in three slots.
    for (const slot of ["09:00", "09:00", "09:30", "09:30", "10:00", "10:00"]) expect((await book({ date: FRI, slot })).status).toBe(201);
    const answer = SlotsResponse.parse((await api("GET", `/appointments/slots?serviceId=social&date=${FRI}`)).body);
    expect(answer.slots.every((s) => s.left === 0 && !s.bookable)).toBe(true);
    expect((await book({ date: FRI, slot: "14:00" })).body).toMatchObject({ error: { code: "SLOT_FULL" } });
  });

  it("refuses BOOKING_CLOSED: too far ahead, too close to the start, not a slot, a closed day", async () => {
    for (const [date, slot] of [["2026-12-17", "09:00"], [WED, "09:00"], [THU, "09:15"], [THU, "12:00"], ["2026-12-12", "09:00"]]) {
      const res = await book({ date: date!, slot: slot! });
      expect(res.status, `${date} ${slot}`).toBe(409);
      expect(res.body).toMatchObject({ ok: false, error: { code: "BOOKING_CLOSED" } });
    }
  });

  it("refuses a service that takes no bookings, and one the hall does not have", async () => {
    expect((await book({ serviceId: "medical", date: THU, slot: "09:00" })).body).toMatchObject({ error: { code: "BOOKING_CLOSED" } });
    const unknown = await book({ serviceId: "nope", date: THU, slot: "09:00" });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: "UNKNOWN_SERVICE" } });
  });

  it("one phone holds one booking of a service a day: DUPLICATE_BOOKING", async () => {
    expect((await book({ date: THU, slot: "14:00", phone: "13900000001" })).status).toBe(201);
    const res = await book({ date: THU, slot: "15:00", phone: "13900000001" });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: "DUPLICATE_BOOKING" } });
  });
});

describe("a booking's holder, by its code", async () => {
  const { api, book } = await bench(at(WED, "08:45"));
  const made = async (slot = "09:00") => BookingView.parse((await book({ date: THU, slot })).body);

  it("reads the booking by its code", async () => {
    const b = await made();
    const res = await api("GET", `/appointments/${b.code}`);
    expect(res.status).toBe(200);
    expect(BookingView.parse(res.body)).toMatchObject({ code: b.code, state: "booked", slot: "09:00", name: "张**" });
  });

  it("moves it to another slot, freeing the seat it held", async () => {
    const b = await made("13:00");
    const res = await api("POST", `/appointments/${b.code}/reschedule`, { date: FRI, slot: "13:30" });
    expect(res.status).toBe(200);
    expect(BookingView.parse(res.body)).toMatchObject({ code: b.code, date: FRI, slot: "13:30", startsAt: at(FRI, "13:30"), state: "booked" });
    const thu = SlotsResponse.parse((await api("GET", `/appointments/slots?serviceId=social&date=${THU}`)).body);
    expect(thu.slots.find((s) => s.slot === "13:00")?.left).toBe(2);
  });

  it("moving to a slot that cannot be booked is refused and keeps the booking where it was", async () => {
    const b = await made("14:00");
    const res = await api("POST", `/appointments/${b.code}/reschedule`, { date: "2026-12-12", slot: "09:00" });
    expect(res.body).toMatchObject({ error: { code: "BOOKING_CLOSED" } });
    expect((await api("GET", `/appointments/${b.code}`)).body).toMatchObject({ date: THU, slot: "14:00" });
  });

  it("cancels it once; a cancelled booking can be neither cancelled nor moved again", async () => {
    const b = await made("15:00");
    const res = await api("DELETE", `/appointments/${b.code}`);
    expect(res.status).toBe(200);
    expect(BookingView.parse(res.body).state).toBe("cancelled");
    expect((await api("DELETE", `/appointments/${b.code}`)).body).toMatchObject({ error: { code: "BOOKING_ENDED" } });
    const moved = await api("POST", `/appointments/${b.code}/reschedule`, { date: FRI, slot: "15:00" });
    expect(moved.status).toBe(409);
    expect(moved.body).toMatchObject({ error: { code: "BOOKING_ENDED" } });
  });

  it("an unknown code is 404 UNKNOWN_BOOKING, a malformed one 400", async () => {
    for (const [method, path] of [["GET", ""], ["DELETE", ""], ["POST", "/reschedule"], ["POST", "/check-in"]] as const) {
      const body = path === "/reschedule" ? { date: FRI, slot: "09:00" } : path === "/check-in" ? { commandId: cid() } : undefined;
      const unknown = await api(method, `/appointments/NoSuchCode1234${path}`, body);
      expect(unknown.status, `${method} ${path}`).toBe(404);
      expect(unknown.body).toMatchObject({ ok: false, error: { code: "UNKNOWN_BOOKING" } });
      const malformed = await api(method, `/appointments/no-such${path}`, body);
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
    }
  });
});

describe("checking a booking in", async () => {
  const { t, api, book, clock } = await bench(at(WED, "08:00"));
  const made = async (slot: string) => BookingView.parse((await book({ date: WED, slot })).body);
  const checkIn = (code: string) => api("POST", `/appointments/${code}/check-in`, { commandId: cid() });

  it("before its check-in opens: 409 CHECK_IN_TOO_EARLY, and no ticket", async () => {
    const b = await made("10:00");
    clock.set(at(WED, "09:29"));
    const res = await checkIn(b.code);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: "CHECK_IN_TOO_EARLY", details: { checkInFrom: at(WED, "09:30"), slotStart: at(WED, "10:00") } } });
    expect((await t.server.ctx.store.snapshot(t.hall.id)).tickets).toHaveLength(0);
  });

  it("on time: a ticket of the appointment channel queued from the slot's start", async () => {
    clock.set(at(WED, "08:00"));
    const b = await made("10:30");
    clock.set(at(WED, "10:10"));
    const res = await checkIn(b.code);
    expect(res.status).toBe(201);
    const { booking, ticket } = CheckInResponse.parse(res.body);
    expect(ticket).toMatchObject({ channel: "appointment", serviceId: "social", state: "waiting", arrivedAt: at(WED, "10:30"), appointment: { slot: "10:30", onTime: true, name: "张**" } });
    expect(booking).toMatchObject({ state: "checkedIn", ticketId: ticket.id, ticketNumber: ticket.number });
    expect((await api("GET", `/appointments/${b.code}`)).body).toMatchObject({ state: "checkedIn", ticketNumber: ticket.number });
  });

  it("twice: the same ticket, issued once", async () => {
    clock.set(at(WED, "08:00"));
    const b = await made("11:00");
    clock.set(at(WED, "10:45"));
    const [first, second] = await Promise.all([checkIn(b.code), checkIn(b.code)]);
    const again = await checkIn(b.code);
    const ids = [first, second, again].map((r) => CheckInResponse.parse(r.body).ticket.id);
    expect(new Set(ids).size).toBe(1);
    expect(again.status).toBe(200);
    const tickets = (await t.server.ctx.store.snapshot(t.hall.id)).tickets.filter((x) => x.appointment?.slot === "11:00");
    expect(tickets.map((x) => x.id)).toEqual([ids[0]]);
  });

  it("late, with late check-ins taken as walk-ins: a ticket queued from its own arrival", async () => {
    clock.set(at(WED, "08:00"));
    const b = await made("13:00");
    clock.set(at(WED, "13:20"));
    const { ticket } = CheckInResponse.parse((await checkIn(b.code)).body);
    expect(ticket).toMatchObject({ channel: "appointment", arrivedAt: at(WED, "13:20"), appointment: { onTime: false } });
  });

  it("a cancelled booking cannot be checked in: BOOKING_ENDED", async () => {
    clock.set(at(WED, "08:00"));
    const b = await made("14:00");
    await api("DELETE", `/appointments/${b.code}`);
    clock.set(at(WED, "13:50"));
    expect((await checkIn(b.code)).body).toMatchObject({ error: { code: "BOOKING_ENDED" } });
  });
});

describe("late check-ins refused", async () => {
  const { t, api, book, clock } = await bench(at(WED, "08:00"), { late: "refuse" });

  it("past the late minutes: 409 CHECK_IN_TOO_LATE", async () => {
    const b = BookingView.parse((await book({ date: WED, slot: "10:00" })).body);
    clock.set(at(WED, "10:16"));
    const res = await api("POST", `/appointments/${b.code}/check-in`, { commandId: cid() });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: "CHECK_IN_TOO_LATE" } });
  });

  it("is missed as soon as its check-in is over, not only at the end of the day", async () => {
    clock.set(at(WED, "08:00"));
    const b = BookingView.parse((await book({ date: WED, slot: "11:00" })).body);
    clock.set(at(WED, "11:15"));
    await t.server.sweeper!.sweep();
    expect((await api("GET", `/appointments/${b.code}`)).body).toMatchObject({ state: "booked" });
    clock.set(at(WED, "11:16"));
    await t.server.sweeper!.sweep();
    expect((await api("GET", `/appointments/${b.code}`)).body).toMatchObject({ state: "missed" });
  });
});

describe("missed bookings (失约)", async () => {
  const { t, book, clock } = await bench(at(WED, "08:45"));
  const phone = "13700000007";

  it("a booking not checked in by the end of its day is missed; two block the phone: 403 BOOKING_BLOCKED", async () => {
    expect((await book({ date: WED, slot: "10:00", phone })).status).toBe(201);
    expect((await book({ date: THU, slot: "10:00", phone })).status).toBe(201);
    clock.set(at(FRI, "08:00"));
    expect(await t.server.sweeper!.sweep()).toBe(2);
    const res = await book({ date: FRI, slot: "10:00", phone });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ ok: false, error: { code: "BOOKING_BLOCKED", details: { until: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) } } });
    expect((await book({ date: FRI, slot: "10:00" })).status).toBe(201);
  });

  it("the sweep is idempotent", async () => {
    expect(await t.server.sweeper!.sweep()).toBe(0);
  });

  it("the cutoff follows the late rule: past the late minutes when refused, else the day after", () => {
    const now = at(WED, "10:00");
    expect(missedCutoff({ late: "refuse", lateMin: 15 }, now, ZONE)).toEqual({ slotStartBefore: now - 15 * 60_000 });
    expect(missedCutoff({ late: "walkIn", lateMin: 15 }, now, ZONE)).toEqual({ dateBefore: WED });
  });
});

describe("the day's bookings for managers", async () => {
  const { t, api, book, clock, records } = await bench(at(WED, "08:00"));
  const boss = await t.login("boss");
  const alice = await t.login("alice");
  const day = async () => DayBookings.parse((await api("GET", `/appointments?date=${WED}`, undefined, boss)).body);
  const slotOf = (d: DayBookings, slot: string) => d.services.find((s) => s.serviceId === "social")!.slots.find((s) => s.slot === slot)!;

  it("needs a manager: none is 401, a counter 403", async () => {
    expect((await api("GET", `/appointments?date=${WED}`)).status).toBe(401);
    const res = await api("GET", `/appointments?date=${WED}`, undefined, alice);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: "FORBIDDEN" } });
  });

  it("counts each slot's bookings by state, every one masked", async () => {
    const a = BookingView.parse((await book({ date: WED, slot: "10:00", name: "李四", phone: "13612345678" })).body);
    const b = BookingView.parse((await book({ date: WED, slot: "10:00" })).body);
    await api("DELETE", `/appointments/${b.code}`);
    clock.set(at(WED, "09:45"));
    await api("POST", `/appointments/${a.code}/check-in`, { commandId: cid() });
    const d = await day();
    expect(d.services.map((s) => [s.serviceId, s.bookingQuota])).toEqual([["social", 6]]);
    expect(slotOf(d, "10:00")).toMatchObject({ capacity: 2, booked: 0, checkedIn: 1, served: 0, missed: 0, cancelled: 1 });
    expect(slotOf(d, "10:00").bookings).toEqual([{ name: "李*", phone: "136****5678", state: "checkedIn", ticketNumber: "A001" }]);
    expect(slotOf(d, "09:00")).toMatchObject({ booked: 0, bookings: [] });
  });

  it("a booking whose ticket was served shows served once the ticket is archived", async () => {
    const counter = await t.counter("alice", "1");
    const called = await call(counter, "window:callNext", { commandId: cid(), windowId: "1" });
    expect(called.ok && (called.data as HallEvent & { ticket: { number: string } }).ticket.number).toBe("A001");
    expect((await call(counter, "ticket:finish", { commandId: cid(), windowId: "1" })).ok).toBe(true);
    await records.append(t.hall.id, await t.server.ctx.store.eventsSince(t.hall.id, 0, 10_000));
    expect(slotOf(await day(), "10:00")).toMatchObject({ checkedIn: 0, served: 1 });
    expect(slotOf(await day(), "10:00").bookings[0]?.state).toBe("served");
  });
});

describe("bad input", async () => {
  const { t, api, book } = await bench(at(WED, "08:45"));
  const boss = await t.login("boss");
  const existing = BookingView.parse((await book({ date: THU, slot: "09:00" })).body);

  const cases: [string, string, unknown, string?][] = [
    ["GET", "/appointments/slots?serviceId=social", undefined],
    ["GET", "/appointments/slots?serviceId=social&date=2026-02-30", undefined],
    ["GET", "/appointments/slots?serviceId=social&date=tomorrow", undefined],
    ["POST", "/appointments", { serviceId: "social", date: THU, slot: "09:30", name: "王五", phone: "12345" }],
    ["POST", "/appointments", { serviceId: "social", date: THU, slot: "9:30", name: "王五", phone: "13800009999" }],
    ["POST", "/appointments", { serviceId: "social", date: THU, slot: "09:30", name: "", phone: "13800009999" }],
    ["POST", "/appointments", { serviceId: "social", date: THU, slot: "09:30", name: "王五", phone: "13800009999", state: "served" }],
    ["POST", "/appointments", "{not json"],
    ["POST", `/appointments/${existing.code}/reschedule`, { date: "2026-13-01", slot: "09:30" }],
    ["POST", `/appointments/${existing.code}/reschedule`, { date: FRI }],
    ["POST", `/appointments/${existing.code}/check-in`, {}],
    ["GET", "/appointments?date=2026-12-1", undefined, boss],
    ["GET", `/appointments?date=${THU}&extra=1`, undefined, boss],
  ];

  it.each(cases)("%s %s is 400 VALIDATION", async (method, path, body, token) => {
    const res = await api(method, path, body, token);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
  });

  it("and nothing changed", async () => {
    const d = DayBookings.parse((await api("GET", `/appointments?date=${THU}`, undefined, boss)).body);
    const all = d.services.flatMap((s) => s.slots.flatMap((x) => x.bookings));
    expect(all).toHaveLength(1);
    expect((await api("GET", `/appointments/${existing.code}`)).body).toMatchObject({ date: THU, slot: "09:00", state: "booked" });
  });
});

describe("booking limits", async () => {
  const { book } = await bench(at(WED, "08:45"), {}, { bookingsPerAddressPerMin: 3, bookingsPerPhonePerDay: 2 });

  it("one phone number is booked at most so many times a day: 429 RATE_LIMITED", async () => {
    const phone = "13500000005";
    expect((await book({ date: THU, slot: "09:00", phone })).status).toBe(201);
    expect((await book({ date: FRI, slot: "09:00", phone })).status).toBe(201);
    const res = await book({ date: "2026-12-14", slot: "09:00", phone });
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ ok: false, error: { code: "RATE_LIMITED" } });
  });

  it("one address books at most so many a minute", async () => {
    const res = await book({ date: THU, slot: "10:00" });
    expect(res.status).toBe(429);
  });
});

describe("a deployment without records", async () => {
  const t = await startTestServer({ halls: [bookingHall()] });

  it("answers every booking route 503 RECORDS_UNAVAILABLE", async () => {
    const boss = await t.login("boss");
    for (const [method, path, body] of [
      ["GET", "/appointments/services", undefined],
      ["GET", `/appointments/slots?serviceId=social&date=${THU}`, undefined],
      ["POST", "/appointments", { serviceId: "social", date: THU, slot: "09:00", name: "张三", phone: "13800001111" }],
      ["GET", "/appointments/AbCdEfGh1234", undefined],
      ["POST", "/appointments/AbCdEfGh1234/check-in", { commandId: cid() }],
    ] as const) {
      const res = await fetch(`${t.url}/api/halls/t1${path}`, { method, headers: { "content-type": "application/json", authorization: `Bearer ${boss}` }, body: body === undefined ? undefined : JSON.stringify(body) });
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: "RECORDS_UNAVAILABLE" } });
    }
  });
});
