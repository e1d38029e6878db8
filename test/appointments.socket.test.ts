import { afterAll, describe, expect, it } from "vitest";
import { BookingView, CheckInResponse, HallEvent, TicketHolder, type Ticket } from "../protocol/index.js";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import type { HallConfig } from "../server/domain/config.js";
import { openRecords } from "../server/records/open.js";
import { checkInCommandId } from "../server/transport/booking-desk.js";
import { TOKENS, testHall } from "./helpers/hall.js";
import { call, cid, startTestServer } from "./helpers/server.js";

const ZONE = "Asia/Shanghai";
/** Wednesday 9 December 2026, a working day. */
const WED = "2026-12-09";
const at = (time: string) => instantOf(WED, time, ZONE);

/** The test hall with 社保 taking bookings in 30-minute slots of 2 on weekdays, 09:00–17:00. */
function bookingHall(): HallConfig {
  const base = testHall();
  const weekdays = Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["09:00", "17:00"]]]));
  return testHall({ services: base.services.map((s) => (s.id === "social" ? { ...s, schedule: weekdays, appointments: { slotMin: 30, capacity: 2, quotaShare: 0.3 } } : s)) });
}

type Issued = Extract<HallEvent, { type: "ticket:issued" }>;

describe("bookings over Socket.IO", async () => {
  const records = await openRecords({ sqlite: ":memory:" });
  afterAll(() => records.close());
  const clock = new ManualClock(at("08:00"));
  const t = await startTestServer({ records, clock, halls: [bookingHall()], limits: { bookingsPerAddressPerMin: 1_000 } });
  const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
  let phones = 0;
  /** Books a slot at 08:00 and moves the clock to `now`. */
  const booked = async (slot: string, now: string, name = "欧阳修文") => {
    clock.set(at("08:00"));
    const res = await fetch(`${t.url}/api/halls/t1/appointments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ serviceId: "social", date: WED, slot, name, phone: `1390000${String(++phones).padStart(4, "0")}` }),
    });
    clock.set(at(now));
    return BookingView.parse(await res.json());
  };

  it("the kiosk checks a booking in: the answer is the ticket:issued event of an appointment ticket", async () => {
    const b = await booked("09:30", "09:10");
    const res = await call<Issued>(kiosk, "appointment:checkIn", { commandId: cid(), code: b.code, priority: "elderly" });
    expect(res.ok).toBe(true);
    const event = HallEvent.parse((res as { data: unknown }).data) as Issued;
    expect(event.type).toBe("ticket:issued");
    expect(event.ticket).toMatchObject({ channel: "appointment", priority: "elderly", arrivedAt: at("09:30"), appointment: { name: "欧***", slot: "09:30", onTime: true } });
  });

  it("a booking checked in twice, at the kiosk or by phone first, answers its first ticket:issued again", async () => {
    const b = await booked("10:00", "09:40");
    const first = await call<Issued>(kiosk, "appointment:checkIn", { commandId: cid(), code: b.code });
    const again = await call<Issued>(kiosk, "appointment:checkIn", { commandId: cid(), code: b.code });
    expect(again).toEqual(first);

    const c = await booked("10:30", "10:05");
    const phone = await fetch(`${t.url}/api/halls/t1/appointments/${c.code}/check-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ commandId: cid() }) });
    const { ticket } = CheckInResponse.parse(await phone.json());
    const atKiosk = await call<Issued>(kiosk, "appointment:checkIn", { commandId: cid(), code: c.code });
    expect(atKiosk.ok && atKiosk.data.type === "ticket:issued" && atKiosk.data.ticket.id).toBe(ticket.id);
  });

  it("a ticket issued for a booking whose check-in was not recorded (the server stopped between) is the one a later check-in answers", async () => {
    const b = await booked("12:00", "11:40");
    const stored = (await records.bookings.get("t1", b.code))!;
    const first = await t.server.ctx.run("t1", { name: "ticket:checkIn", payload: { commandId: checkInCommandId(stored.id), priority: "normal", booking: { id: stored.id, serviceId: "social", date: WED, slot: "12:00", name: "欧***" } } }, "citizen", null);
    expect((await records.bookings.get("t1", b.code))!.state).toBe("booked");
    const res = await call<Issued>(kiosk, "appointment:checkIn", { commandId: cid(), code: b.code });
    expect(res.ok && res.data.ticket.id).toBe(first.type === "ticket:issued" && first.ticket.id);
    expect((await records.bookings.get("t1", b.code))!).toMatchObject({ state: "checkedIn", ticketId: res.ok ? res.data.ticket.id : null });
  });

  it("a manager may check a booking in; a display or a counter may not", async () => {
    const b = await booked("11:00", "10:40");
    const board = await t.client({ role: "display", deviceToken: TOKENS.board });
    const counter = await t.counter("bob", "2");
    for (const socket of [board, counter]) expect(await call(socket, "appointment:checkIn", { commandId: cid(), code: b.code })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const manager = await t.manager();
    const res = await call<Issued>(manager, "appointment:checkIn", { commandId: cid(), code: b.code });
    expect(res.ok && res.data.ticket.channel).toBe("appointment");
  });

  it("refusals come as a command's: a malformed code VALIDATION, an unknown one UNKNOWN_BOOKING, too early CHECK_IN_TOO_EARLY", async () => {
    expect(await call(kiosk, "appointment:checkIn", { commandId: cid(), code: "no" })).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
    expect(await call(kiosk, "appointment:checkIn", { commandId: cid(), code: "NoSuchBooking123" })).toMatchObject({ ok: false, error: { code: "UNKNOWN_BOOKING" } });
    const b = await booked("16:30", "10:45");
    expect(await call(kiosk, "appointment:checkIn", { commandId: cid(), code: b.code })).toMatchObject({ ok: false, error: { code: "CHECK_IN_TOO_EARLY" } });
  });

  it("ticket:holder gives the full name only to the counter whose window holds the booked ticket", async () => {
    const b = await booked("14:00", "13:40", "司马光");
    const checked = await call<Issued>(kiosk, "appointment:checkIn", { commandId: cid(), code: b.code, priority: "urgent" });
    const ticket = (checked as { data: Issued }).data.ticket as Ticket;
    const alice = await t.counter("alice", "1");
    const called = await call<HallEvent>(alice, "window:callNext", { commandId: cid(), windowId: "1" });
    expect(called.ok && called.data.type === "ticket:called" && called.data.ticket.id).toBe(ticket.id);

    const holder = await call<TicketHolder>(alice, "ticket:holder", { windowId: "1" });
    expect(holder).toEqual({ ok: true, data: { ticketId: ticket.id, name: "司马光", phone: expect.stringMatching(/^139\*{4}\d{4}$/) } });
    const manager = await t.manager();
    expect(await call(manager, "ticket:holder", { windowId: "1" })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });

    const bob = await t.counter("bob", "2");
    expect(await call(bob, "ticket:holder", { windowId: "1" })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await call(kiosk, "ticket:holder", { windowId: "1" })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await call(bob, "ticket:holder", { windowId: "2" })).toMatchObject({ ok: false, error: { code: "UNKNOWN_TICKET" } });
    expect(await call(bob, "ticket:holder", {})).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
  });

  it("ticket:holder of a walk-in's ticket is UNKNOWN_TICKET: it has no name to give", async () => {
    const walkIn = await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "estate" });
    expect(walkIn.ok).toBe(true);
    const carol = await t.counter("boss", "3");
    await call(carol, "window:callNext", { commandId: cid(), windowId: "3" });
    expect(await call(carol, "ticket:holder", { windowId: "3" })).toMatchObject({ ok: false, error: { code: "UNKNOWN_TICKET" } });
  });
});

describe("a deployment without records", async () => {
  const t = await startTestServer({ halls: [bookingHall()] });

  it("answers appointment:checkIn and ticket:holder RECORDS_UNAVAILABLE", async () => {
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    expect(await call(kiosk, "appointment:checkIn", { commandId: cid(), code: "AbCdEfGh1234" })).toMatchObject({ ok: false, error: { code: "RECORDS_UNAVAILABLE" } });
    const counter = await t.counter("alice", "1");
    expect(await call(counter, "ticket:holder", { windowId: "1" })).toMatchObject({ ok: false, error: { code: "RECORDS_UNAVAILABLE" } });
  });
});
