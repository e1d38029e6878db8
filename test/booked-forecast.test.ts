/**
 * The hall's published expected waits count the booked citizens still to come: a walk-in who
 * takes a ticket at 10:02 waits behind the 10:00 bookings that may still check in on time and
 * will then be placed ahead of it.
 */
import { describe, expect, it } from "vitest";
import { LocalHallLock } from "../server/balancer/lock.js";
import { BalancerRunner } from "../server/balancer/balancer-runner.js";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import { HallConfig } from "../server/domain/config.js";
import type { DayBooking } from "../server/domain/rates.js";
import { MemoryStore } from "../server/store/memory/memory-store.js";

const ZONE = "Asia/Shanghai";
const at = (hhmm: string) => instantOf("2026-03-02", hhmm, ZONE);

function hall() {
  const config = HallConfig.parse({
    id: "h",
    name: { zh: "大厅", en: "Hall" },
    services: [{ id: "A", prefix: "A", name: { zh: "社保", en: "Social" }, opens: "08:00", closes: "18:00", serviceMin: 10, appointments: { slotMin: 30, capacity: 4, quotaShare: 0.5 } }],
    windows: [{ id: "1", label: { zh: "1号窗口", en: "Window 1" }, qualified: ["A"] }],
  });
  const store = new MemoryStore();
  store.loadHallSync(config, at("09:00"));
  store.executeSync("h", { name: "window:signIn", payload: { windowId: "1", staffId: "alice" } }, { now: at("09:00"), by: "staff", staffId: "alice" });
  return { config, store };
}

/** Four citizens booked 10:00, none checked in yet. */
const tenOClock: DayBooking[] = [1, 2, 3, 4].map((i) => ({ id: `bk-${i}`, serviceId: "A", slotStart: at("10:00"), state: "booked" }));

describe("expected waits with bookings still to come", () => {
  it("a new walk-in's expected wait includes the bookings that will be called before it", async () => {
    const clock = new ManualClock(at("10:02"));
    const { config, store } = hall();
    const lock = new LocalHallLock(() => clock.now());
    const read: string[] = [];
    const withBookings = new BalancerRunner({ store, config, lock: lock.holder(), clock, bookingsOn: async (hallId, date) => (read.push(`${hallId} ${date}`), tenOClock) });
    const without = new BalancerRunner({ store, config, lock: lock.holder(), clock });

    await withBookings.summarize(clock.now());
    // The day's bookings are read in the background; the next summary has them.
    await new Promise((r) => setImmediate(r));
    clock.advance(2_000);
    const booked = (await withBookings.summarize(clock.now())).services.A!.newTicketEtaSec!;
    const plain = (await without.summarize(clock.now())).services.A!.newTicketEtaSec!;
    expect(read).toEqual(["h 2026-03-02"]);
    expect(plain).toBeLessThan(60);
    // Four bookings of 10 minutes each, placed at 10:00, ahead of a ticket taken at 10:02.
    expect(booked).toBeGreaterThan(20 * 60);
  });

  it("records that do not answer leave the forecast without bookings rather than without a forecast", async () => {
    const clock = new ManualClock(at("09:55"));
    const { config, store } = hall();
    const errors: unknown[] = [];
    const runner = new BalancerRunner({ store, config, lock: new LocalHallLock(() => clock.now()), clock, bookingsOn: () => Promise.reject(new Error("database away")), onError: (e) => errors.push(e) });
    const first = await runner.summarize(clock.now());
    await new Promise((r) => setImmediate(r));
    expect(first.services.A!.newTicketEtaSec).not.toBeNull();
    expect(errors).toHaveLength(1);
  });
});
