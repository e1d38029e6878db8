import { describe, expect, it } from "vitest";
import { HallCallError, type ErrorCode } from "../protocol/index.js";
import { blockedUntil, decideBooking, decideCheckIn, missedCutoff, quotaSplit, slotsOn, type BookingLoad } from "../server/domain/booking.js";
import { instantOf } from "../server/domain/clock.js";
import { maskName, maskPhone } from "../server/domain/masking.js";
import { testHall } from "./helpers/hall.js";

const TZ = "Asia/Shanghai";
const at = (date: string, time: string) => instantOf(date, time, TZ);
const MIN = 60_000;

/** estate books 30-minute slots of 2 around a lunch break, Saturday mornings too; 40% of 10 tickets (4) are for bookings. */
const hall = testHall({
  services: [
    {
      id: "estate",
      prefix: "D",
      name: { zh: "不动产", en: "Estate" },
      dailyQuota: 10,
      schedule: { mon: [["09:00", "10:30"], ["13:30", "14:30"]], tue: [["09:00", "10:00"]], sat: [["09:00", "10:00"]] },
      appointments: { slotMin: 30, capacity: 2, quotaShare: 0.4 },
    },
    { id: "social", prefix: "A", name: { zh: "社保", en: "Social" }, opens: "00:00", closes: "24:00" },
  ],
  windows: [
    { id: "1", label: { zh: "1号窗口", en: "Window 1" }, qualified: ["estate", "social"] },
    { id: "2", label: { zh: "2号窗口", en: "Window 2" }, qualified: ["social"] },
  ],
  calendar: { holidays: ["2026-12-08"], workdays: ["2026-12-13"], makeUpDayAs: "tue" },
  booking: { openDaysAhead: 7, closeMinBefore: 30, earlyMin: 30, lateMin: 15, late: "walkIn", noShowLimit: 2, noShowWindowDays: 30, blockDays: 30 },
});
const estate = hall.services[0]!;
const free: BookingLoad = { inSlot: 0, onDate: 0, phoneHasOne: false, misses: [] };
// Monday 2026-12-07, 08:00.
const NOW = at("2026-12-07", "08:00");

function refusal(f: () => unknown): ErrorCode | null {
  try {
    f();
    return null;
  } catch (err) {
    if (err instanceof HallCallError) return err.code;
    throw err;
  }
}

describe("booking slots", () => {
  it("fill each open interval with whole slots, none across the lunch break", () => {
    expect(slotsOn(estate, "2026-12-07", hall.calendar)).toEqual(["09:00", "09:30", "10:00", "13:30", "14:00"]);
  });

  it("follow the calendar: none on a holiday, a make-up workday's weekday hours, none on a closed weekday", () => {
    expect(slotsOn(estate, "2026-12-08", hall.calendar)).toEqual([]);
    expect(slotsOn(estate, "2026-12-13", hall.calendar)).toEqual(["09:00", "09:30"]);
    expect(slotsOn(estate, "2026-12-10", hall.calendar)).toEqual([]);
  });

  it("are none for a service that takes no bookings", () => {
    expect(slotsOn(hall.services[1]!, "2026-12-07", hall.calendar)).toEqual([]);
  });
});

describe("the daily quota (号源) split", () => {
  it("keeps the bookings' share and leaves the rest to walk-ins", () => {
    expect(quotaSplit(estate)).toEqual({ booking: 4, walkIn: 6 });
  });

  it("gives a service without bookings all of it for walk-ins", () => {
    expect(quotaSplit(hall.services[1]!)).toEqual({ booking: 0, walkIn: hall.services[1]!.dailyQuota });
  });
});

describe("deciding a booking", () => {
  const req = { serviceId: "estate", date: "2026-12-07", slot: "09:00" };

  it("books a free slot and answers with its start", () => {
    expect(decideBooking(hall, req, free, NOW)).toBe(at("2026-12-07", "09:00"));
  });

  it("closes booking the configured minutes before the slot", () => {
    expect(refusal(() => decideBooking(hall, req, free, at("2026-12-07", "08:30")))).toBeNull();
    expect(refusal(() => decideBooking(hall, req, free, at("2026-12-07", "08:31")))).toBe("BOOKING_CLOSED");
  });

  it("opens booking only the configured days ahead", () => {
    expect(refusal(() => decideBooking(hall, { ...req, date: "2026-12-14" }, free, NOW))).toBeNull();
    expect(refusal(() => decideBooking(hall, { ...req, date: "2026-12-15" }, free, NOW))).toBe("BOOKING_CLOSED");
  });

  it("refuses a time that is not a slot, and a service that takes no bookings", () => {
    expect(refusal(() => decideBooking(hall, { ...req, slot: "12:00" }, free, NOW))).toBe("BOOKING_CLOSED");
    expect(refusal(() => decideBooking(hall, { ...req, date: "2026-12-08" }, free, NOW))).toBe("BOOKING_CLOSED");
    expect(refusal(() => decideBooking(hall, { ...req, serviceId: "social" }, free, NOW))).toBe("BOOKING_CLOSED");
    expect(refusal(() => decideBooking(hall, { ...req, serviceId: "nope" }, free, NOW))).toBe("UNKNOWN_SERVICE");
  });

  it("refuses a full slot, and a day whose booking share is taken", () => {
    expect(refusal(() => decideBooking(hall, req, { ...free, inSlot: 2, onDate: 2 }, NOW))).toBe("SLOT_FULL");
    expect(refusal(() => decideBooking(hall, req, { ...free, inSlot: 0, onDate: 4 }, NOW))).toBe("SLOT_FULL");
  });

  it("refuses a second live booking of the phone for the service that day", () => {
    expect(refusal(() => decideBooking(hall, req, { ...free, phoneHasOne: true }, NOW))).toBe("DUPLICATE_BOOKING");
  });

  it("refuses a phone blocked by the credit rule, saying until when", () => {
    const err = (() => {
      try {
        decideBooking(hall, req, { ...free, misses: ["2026-11-20", "2026-12-01"] }, NOW);
      } catch (e) {
        return e as HallCallError;
      }
    })();
    expect(err?.code).toBe("BOOKING_BLOCKED");
    expect(err?.message).toContain("2026-12-30");
  });
});

describe("the credit rule (失约)", () => {
  const rule = hall.booking;

  it("blocks for blockDays from the miss that reached the limit within the window", () => {
    expect(blockedUntil(["2026-11-20", "2026-12-01"], "2026-12-07", rule)).toBe("2026-12-30");
  });

  it("does not block one miss, nor two misses further apart than the window", () => {
    expect(blockedUntil(["2026-12-01"], "2026-12-07", rule)).toBeNull();
    expect(blockedUntil(["2026-10-01", "2026-11-15"], "2026-12-07", rule)).toBeNull();
  });

  it("lifts the block after its last day", () => {
    expect(blockedUntil(["2026-11-20", "2026-12-01"], "2026-12-30", rule)).toBe("2026-12-30");
    expect(blockedUntil(["2026-11-20", "2026-12-01"], "2026-12-31", rule)).toBeNull();
  });
});

describe("check-in (Qmatic's early and late minutes)", () => {
  const start = at("2026-12-07", "10:00");

  it("is on time from earlyMin before to lateMin after the slot start, and then takes the slot start", () => {
    expect(decideCheckIn(hall.booking, start, start - 30 * MIN)).toEqual({ onTime: true, arrivedAt: start });
    expect(decideCheckIn(hall.booking, start, start + 15 * MIN)).toEqual({ onTime: true, arrivedAt: start });
  });

  it("is refused before earlyMin", () => {
    expect(refusal(() => decideCheckIn(hall.booking, start, start - 31 * MIN))).toBe("CHECK_IN_TOO_EARLY");
  });

  it("after lateMin is a walk-in arriving now, or refused when the hall refuses late check-ins", () => {
    expect(decideCheckIn(hall.booking, start, start + 16 * MIN)).toEqual({ onTime: false, arrivedAt: start + 16 * MIN });
    expect(refusal(() => decideCheckIn({ ...hall.booking, late: "refuse" }, start, start + 16 * MIN))).toBe("CHECK_IN_TOO_LATE");
  });

  it("counts a booking missed once no check-in can be accepted: after its day for late walk-ins, after lateMin for a hall that refuses them", () => {
    expect(missedCutoff(hall.booking, start, TZ)).toEqual({ dateBefore: "2026-12-07" });
    expect(missedCutoff({ ...hall.booking, late: "refuse" }, start, TZ)).toEqual({ slotStartBefore: start - 15 * MIN });
  });
});

describe("masking", () => {
  it("shows a name's first character and a phone's first three and last four digits", () => {
    expect(maskName("张三")).toBe("张*");
    expect(maskName("欧阳娜娜")).toBe("欧***");
    expect(maskName("李")).toBe("李*");
    expect(maskPhone("13812341234")).toBe("138****1234");
  });
});
