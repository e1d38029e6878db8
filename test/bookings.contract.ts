/**
 * The bookings (预约) contract: what the records must do with bookings and the hall's hours, on
 * every database (SQLite, PostgreSQL). Refusals come from the domain's own decideBooking; the
 * tickets that settle a booking are real events of a memory store.
 * Run it with `describeBookingsContract(name, openRecords)`.
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BookingCode, type HallEvent, type HoursUpdate, type Ticket } from "../protocol/index.js";
import { creditHorizon, decideBooking, slotStart } from "../server/domain/booking.js";
import { businessDate, ManualClock } from "../server/domain/clock.js";
import type { HallConfig } from "../server/domain/config.js";
import type { Booking } from "../server/records/bookings.js";
import type { RecordsStore } from "../server/records/records-store.js";
import { MemoryStore } from "../server/store/memory/memory-store.js";
import { HallScript } from "./records.contract.js";
import { contractHall, MIN, newCommandId, T0, TZ } from "./store.contract.js";

const DAY = 24 * 60 * MIN;
/** T0 is Monday 2026-03-02 10:00; bookings are made for the days after. */
const TUE = "2026-03-03";
const WED = "2026-03-04";

/** social and medical take bookings: 30-minute slots of 2 seats, 30% of a quota of 10 (3 a day). */
export function bookedHall(id: string): HallConfig {
  const base = contractHall();
  return contractHall({
    id,
    services: base.services.map((s) => (s.id === "social" || s.id === "medical" ? { ...s, dailyQuota: 10, appointments: { slotMin: 30, capacity: 2, quotaShare: 0.3 } } : s)),
    booking: { ...base.booking, noShowLimit: 2, noShowWindowDays: 30, blockDays: 30 },
  });
}

export function describeBookingsContract(name: string, open: () => Promise<RecordsStore>): void {
  describe(`bookings on ${name}`, () => {
    let records: RecordsStore;
    let hall: HallConfig;
    let phones = 0;

    beforeEach(async () => {
      records = await open();
      hall = bookedHall(`bk-${randomBytes(4).toString("hex")}`);
    });
    afterEach(async () => {
      await records.close();
    });

    const newPhone = () => `139${String(++phones).padStart(8, "0")}`;
    const startOf = (date: string, slot: string) => slotStart(date, slot, TZ);

    /** A booking as the REST handler makes it: the domain decides on what the store read. */
    const book = (over: { serviceId?: string; date?: string; slot?: string; phone?: string; name?: string } = {}, now = T0, inHall = hall): Promise<Booking> => {
      const req = { serviceId: over.serviceId ?? "social", date: over.date ?? TUE, slot: over.slot ?? "09:00" };
      return records.bookings.book(
        { hallId: inHall.id, ...req, slotStart: startOf(req.date, req.slot), name: over.name ?? "张三", phone: over.phone ?? newPhone(), now },
        creditHorizon(businessDate(now, TZ), inHall.booking),
        (load) => void decideBooking(inHall, req, load, now),
      );
    };
    const move = (b: Booking, to: { date?: string; slot: string }, now = T0) => {
      const req = { serviceId: b.serviceId, date: to.date ?? b.date, slot: to.slot };
      return records.bookings.reschedule(hall.id, b.code, { date: req.date, slot: req.slot, slotStart: startOf(req.date, req.slot) }, creditHorizon(businessDate(now, TZ), hall.booking), now, (load) => void decideBooking(hall, req, load, now));
    };
    const get = async (b: Booking) => (await records.bookings.get(hall.id, b.code))!;

    it("a booking made is found by its code: booked, with a code the protocol accepts and an id drawn apart from it", async () => {
      const b = await book({ phone: "13800138000" });
      expect(await records.bookings.get(hall.id, b.code)).toEqual(b);
      expect(b).toMatchObject({ hallId: hall.id, serviceId: "social", date: TUE, slot: "09:00", slotStart: startOf(TUE, "09:00"), name: "张三", phone: "13800138000", state: "booked", ticketId: null, createdAt: T0 });
      expect(b.code).toMatch(/^[A-Za-z0-9]{16,32}$/);
      expect(BookingCode.safeParse(b.code).success).toBe(true);
      expect(b.id).not.toBe(b.code);
      expect(b.phoneKey).toMatch(/^[0-9a-f]{64}$/);
    });

    it("a code is unknown in another hall", async () => {
      const b = await book();
      expect(await records.bookings.get("another-hall", b.code)).toBeNull();
      await expect(records.bookings.cancel("another-hall", b.code, T0)).rejects.toMatchObject({ code: "UNKNOWN_BOOKING" });
      await expect(records.bookings.cancel(hall.id, "NoSuchCode0000000000", T0)).rejects.toMatchObject({ code: "UNKNOWN_BOOKING" });
    });

    it("a slot takes as many bookings as it has seats, then SLOT_FULL", async () => {
      await book();
      await book();
      await expect(book()).rejects.toMatchObject({ code: "SLOT_FULL" });
      await book({ slot: "09:30" });
    });

    it("the bookings' share of the day's quota runs out before the slots do: SLOT_FULL", async () => {
      await book({ slot: "09:00" });
      await book({ slot: "09:00" });
      await book({ slot: "09:30" });
      await expect(book({ slot: "10:00" })).rejects.toMatchObject({ code: "SLOT_FULL" });
      await book({ slot: "10:00", date: WED });
    });

    it("one phone holds one booking per service and day: DUPLICATE_BOOKING, yet another day or service is fine", async () => {
      const phone = newPhone();
      await book({ phone, slot: "09:00" });
      await expect(book({ phone, slot: "11:00" })).rejects.toMatchObject({ code: "DUPLICATE_BOOKING" });
      await book({ phone, date: WED });
      await book({ phone, serviceId: "medical" });
    });

    it("a phone with as many missed bookings as the rule allows is blocked: BOOKING_BLOCKED, other phones are not", async () => {
      const phone = newPhone();
      await book({ phone, date: TUE });
      await book({ phone, date: WED });
      const later = T0 + 3 * DAY;
      expect(await records.bookings.markMissed(hall.id, { dateBefore: "2026-03-05" }, later)).toBe(2);
      await expect(book({ phone, date: "2026-03-06" }, later)).rejects.toMatchObject({ code: "BOOKING_BLOCKED" });
      await expect(book({ phone, date: "2026-03-06", serviceId: "medical" }, later)).rejects.toMatchObject({ code: "BOOKING_BLOCKED" });
      await book({ date: "2026-03-06" }, later);
    });

    it("a phone's misses in another hall do not count here", async () => {
      const phone = newPhone();
      const other = bookedHall(`${hall.id}-other`);
      await book({ phone, date: TUE }, T0, other);
      await book({ phone, date: WED }, T0, other);
      const later = T0 + 3 * DAY;
      await records.bookings.markMissed(other.id, { dateBefore: "2026-03-05" }, later);
      await book({ phone, date: "2026-03-06" }, later);
    });

    it("a cancelled booking frees its seat, and cannot be cancelled again: BOOKING_ENDED", async () => {
      const first = await book();
      await book();
      const cancelled = await records.bookings.cancel(hall.id, first.code, T0 + MIN);
      expect(cancelled).toMatchObject({ state: "cancelled", updatedAt: T0 + MIN });
      await book();
      await expect(records.bookings.cancel(hall.id, first.code, T0 + 2 * MIN)).rejects.toMatchObject({ code: "BOOKING_ENDED" });
    });

    it("a booking moved to another slot keeps its code and frees the seat it had", async () => {
      const a = await book({ slot: "09:00" });
      await book({ slot: "09:00" });
      const moved = await move(a, { slot: "10:30" }, T0 + MIN);
      expect(moved).toMatchObject({ id: a.id, code: a.code, slot: "10:30", slotStart: startOf(TUE, "10:30"), state: "booked", updatedAt: T0 + MIN });
      expect(await get(a)).toEqual(moved);
      await book({ slot: "09:00" });
    });

    it("a move into a full slot is refused and leaves the booking where it was", async () => {
      const a = await book({ slot: "09:00" });
      await book({ slot: "09:30" });
      await book({ slot: "09:30" });
      await expect(move(a, { slot: "09:30" })).rejects.toMatchObject({ code: "SLOT_FULL" });
      expect(await get(a)).toEqual(a);
    });

    it("a booking checked in becomes its ticket; the same check-in again changes nothing, another is BOOKING_ENDED", async () => {
      const b = await book();
      const checked = await records.bookings.checkedIn(hall.id, b.code, { id: "t-1", number: "A001" }, T0 + MIN);
      expect(checked).toMatchObject({ state: "checkedIn", ticketId: "t-1", ticketNumber: "A001", updatedAt: T0 + MIN });
      expect(await records.bookings.checkedIn(hall.id, b.code, { id: "t-1", number: "A001" }, T0 + 2 * MIN)).toEqual(checked);
      await expect(records.bookings.checkedIn(hall.id, b.code, { id: "t-2", number: "A002" }, T0 + 2 * MIN)).rejects.toMatchObject({ code: "BOOKING_ENDED" });
      await expect(records.bookings.cancel(hall.id, b.code, T0 + 2 * MIN)).rejects.toMatchObject({ code: "BOOKING_ENDED" });
      await expect(move(b, { slot: "10:00" })).rejects.toMatchObject({ code: "BOOKING_ENDED" });
    });

    it("settling a checked-in booking records how it ended; a repeat, a booking not checked in or an unknown id change nothing", async () => {
      const b = await book();
      const notIn = await book();
      await records.bookings.checkedIn(hall.id, b.code, { id: "t-1", number: "A001" }, T0);
      await records.bookings.settle(hall.id, b.id, "served", T0 + MIN);
      await records.bookings.settle(hall.id, b.id, "noShow", T0 + 2 * MIN);
      await records.bookings.settle(hall.id, notIn.id, "served", T0 + MIN);
      await records.bookings.settle(hall.id, "no-such-booking", "served", T0 + MIN);
      expect(await get(b)).toMatchObject({ state: "served", updatedAt: T0 + MIN });
      expect(await get(notIn)).toEqual(notIn);
    });

    describe("the archive moves a booking on with its ticket", () => {
      let script: HallScript;
      let clock: ManualClock;
      let booking: Booking;

      beforeEach(async () => {
        booking = await book({ slot: "09:00" });
        clock = new ManualClock(booking.slotStart);
        script = new HallScript(new MemoryStore(), clock, hall.id);
        await script.store.loadHall(hall, clock.now());
        await script.run("window:open", { windowId: "w1" });
      });
      afterEach(async () => {
        await script.store.close();
      });

      /** The kiosk's check-in at the slot start, as the transport sends it to the store. */
      const checkIn = async (): Promise<Ticket> => {
        const cmd = { name: "ticket:checkIn" as const, payload: { commandId: newCommandId(), priority: "normal", booking: { id: booking.id, serviceId: booking.serviceId, date: booking.date, slot: booking.slot, name: "张*" } } };
        const { event } = await script.store.execute(hall.id, cmd, { now: clock.now(), by: "kiosk", staffId: null });
        return (event as Extract<HallEvent, { type: "ticket:issued" }>).ticket;
      };
      const archive = async () => records.append(hall.id, await script.log());

      it("its ticket's issue checks it in, should the check-in's own update have been lost", async () => {
        const t = await checkIn();
        await archive();
        expect(await get(booking)).toMatchObject({ state: "checkedIn", ticketId: t.id, ticketNumber: t.number });
      });

      it("its ticket is kept among the hall's tickets as an appointment", async () => {
        const t = await checkIn();
        await script.serve("w1", 5);
        await archive();
        expect(await records.tickets(hall.id, TUE, TUE)).toMatchObject([{ ticket_id: t.id, channel: "appointment", outcome: "finished", service_sec: 300 }]);
      });

      it("a finished ticket settles it served, and the same events again change nothing", async () => {
        const t = await checkIn();
        await records.bookings.checkedIn(hall.id, booking.code, t, clock.now());
        await script.serve("w1", 5);
        await archive();
        const served = await get(booking);
        expect(served).toMatchObject({ state: "served", ticketId: t.id, updatedAt: clock.now() });
        await archive();
        expect(await get(booking)).toEqual(served);
      });

      it("a ticket not answering its call settles it noShow", async () => {
        await checkIn();
        await script.run("window:callNext", { windowId: "w1" });
        await script.run("ticket:noShow", { windowId: "w1" });
        await archive();
        expect((await get(booking)).state).toBe("noShow");
      });

      it("a cancelled ticket cancels it", async () => {
        const t = await checkIn();
        await script.run("ticket:cancel", { ticketId: t.id }, "manager", "boss");
        await archive();
        expect((await get(booking)).state).toBe("cancelled");
      });
    });

    it("bookings never checked in whose slot started before the cutoff are missed", async () => {
      const early = await book({ slot: "09:00" });
      const checked = await book({ slot: "09:00" });
      const cancelled = await book({ slot: "09:30", serviceId: "medical" });
      const later = await book({ slot: "09:30" });
      await records.bookings.checkedIn(hall.id, checked.code, { id: "t-1", number: "A001" }, T0);
      await records.bookings.cancel(hall.id, cancelled.code, T0);
      const now = startOf(TUE, "09:45");
      expect(await records.bookings.markMissed(hall.id, { slotStartBefore: startOf(TUE, "09:30") }, now)).toBe(1);
      expect(await get(early)).toMatchObject({ state: "missed", updatedAt: now });
      expect((await get(checked)).state).toBe("checkedIn");
      expect((await get(cancelled)).state).toBe("cancelled");
      expect((await get(later)).state).toBe("booked");
    });

    it("bookings never checked in dated before the cutoff are missed, the cutoff's own day not", async () => {
      const tue = await book({ date: TUE, slot: "16:00" });
      const wed = await book({ date: WED, slot: "09:00" });
      expect(await records.bookings.markMissed(hall.id, { dateBefore: WED }, T0 + 2 * DAY)).toBe(1);
      expect((await get(tue)).state).toBe("missed");
      expect((await get(wed)).state).toBe("booked");
      expect(await records.bookings.markMissed(hall.id, { dateBefore: WED }, T0 + 2 * DAY)).toBe(0);
    });

    it("a day's bookings come by slot, then in the order they were made", async () => {
      const c = await book({ slot: "10:00" }, T0);
      const a = await book({ slot: "09:00" }, T0 + MIN);
      const b = await book({ slot: "09:00", serviceId: "medical" }, T0 + 2 * MIN);
      await book({ date: WED });
      expect((await records.bookings.day(hall.id, TUE)).map((x) => x.code)).toEqual([a.code, b.code, c.code]);
    });

    it("the retention rule erases names and phones of earlier days, and the keyed hash still blocks the phone", async () => {
      const phone = newPhone();
      const tue = await book({ phone, date: TUE });
      const wed = await book({ phone, date: WED });
      const later = T0 + 3 * DAY;
      await records.bookings.markMissed(hall.id, { dateBefore: "2026-03-05" }, later);
      const kept = await book({ date: "2026-03-06" }, later);
      expect(await records.bookings.erasePersonal(hall.id, "2026-03-05")).toBe(2);
      expect(await get(tue)).toMatchObject({ name: null, phone: null, phoneKey: tue.phoneKey });
      expect(await get(wed)).toMatchObject({ name: null, phone: null, phoneKey: wed.phoneKey });
      expect(await get(kept)).toMatchObject({ name: "张三", phone: kept.phone });
      await expect(book({ phone, date: "2026-03-06" }, later)).rejects.toMatchObject({ code: "BOOKING_BLOCKED" });
      expect(await records.bookings.erasePersonal(hall.id, "2026-03-05")).toBe(0);
    });

    it("ten citizens racing for a slot's two seats: two bookings, eight SLOT_FULL", async () => {
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => book({ slot: "14:00" })));
      const booked = results.filter((r) => r.status === "fulfilled");
      const refused = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code?: string }).code] : []));
      expect(booked).toHaveLength(2);
      expect(refused).toEqual(Array(8).fill("SLOT_FULL"));
      expect(await records.bookings.day(hall.id, TUE)).toHaveLength(2);
    });

    it("one phone racing itself for a day gets one booking, the rest DUPLICATE_BOOKING", async () => {
      const phone = newPhone();
      const results = await Promise.allSettled(["09:00", "10:00", "11:00", "12:00"].map((slot) => book({ phone, slot })));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code?: string }).code] : []))).toEqual(Array(3).fill("DUPLICATE_BOOKING"));
    });

    describe("the hall's hours", () => {
      const hours = (open: string): HoursUpdate => ({
        calendar: { holidays: ["2026-05-01"], workdays: [], makeUpDayAs: "mon" },
        services: { social: { schedule: { mon: [[open, "12:00"], ["13:30", "17:00"]] }, roundTheClock: false } },
      });

      it("none is kept until a manager saves some", async () => {
        expect(await records.hours.latestHours(hall.id)).toBeNull();
        expect(await records.hours.hoursLog(hall.id, 10)).toEqual([]);
      });

      it("each save is a new version, counted from 1 per hall, the latest in force", async () => {
        expect(await records.hours.saveHours(hall.id, hours("09:00"), "boss", T0)).toEqual({ version: 1, hallId: hall.id, hours: hours("09:00"), by: "boss", at: T0 });
        const second = await records.hours.saveHours(hall.id, hours("08:30"), "alice", T0 + MIN);
        expect(second).toMatchObject({ version: 2, by: "alice", at: T0 + MIN });
        expect(await records.hours.latestHours(hall.id)).toEqual(second);
        expect((await records.hours.saveHours(`${hall.id}-other`, hours("10:00"), "boss", T0)).version).toBe(1);
      });

      it("the log lists the changes newest first, as many as asked", async () => {
        for (const [i, open] of ["08:00", "08:30", "09:00"].entries()) await records.hours.saveHours(hall.id, hours(open), "boss", T0 + i * MIN);
        const log = await records.hours.hoursLog(hall.id, 2);
        expect(log.map((c) => [c.version, c.hours.services.social!.schedule.mon![0]![0]])).toEqual([
          [3, "09:00"],
          [2, "08:30"],
        ]);
      });

      it("managers saving at once get versions one after another, none twice", async () => {
        const saved = await Promise.all(Array.from({ length: 5 }, (_, i) => records.hours.saveHours(hall.id, hours("09:00"), `m${i}`, T0)));
        expect(saved.map((c) => c.version).sort()).toEqual([1, 2, 3, 4, 5]);
      });
    });
  });
}
