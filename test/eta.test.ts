import { describe, expect, it } from "vitest";
import type { HallEvent, HallSnapshot } from "../protocol/index.js";
import { instantOf } from "../server/domain/clock.js";
import type { StoreCommand } from "../server/domain/hall-commands.js";
import { HallConfig } from "../server/domain/config.js";
import { buildQueueSummary, etaFor, forecast, naiveEtaSec, queueSummary, type BookedArrival } from "../server/domain/eta.js";
import type { RatesView } from "../server/domain/rates.js";
import { proposeChanges } from "../server/domain/balancer.js";
import { bookedArrivals, RateEstimator, showUpShare, staticRates, type DayBooking } from "../server/domain/rates.js";
import { staffingAdvice } from "../server/domain/staffing.js";
import { MemoryStore } from "../server/store/memory/memory-store.js";

const T0 = instantOf("2025-03-03", "09:00", "Asia/Shanghai");

function hall(windows: { id: string; qualified: string[]; serving: string[] }[]) {
  const config = HallConfig.parse({
    id: "h",
    name: { zh: "大厅", en: "Hall" },
    services: [
      { id: "A", prefix: "A", name: { zh: "社保", en: "Social" }, targetWaitMin: 20, serviceMin: 10 },
      { id: "B", prefix: "B", name: { zh: "医保", en: "Medical" }, targetWaitMin: 20, serviceMin: 10 },
    ],
    windows: windows.map((w) => ({ ...w, label: { zh: `${w.id}号窗口`, en: `Window ${w.id}` } })),
  });
  const store = new MemoryStore();
  store.loadHallSync(config, T0);
  let n = 0;
  const events: HallEvent[] = [];
  const run = (cmd: StoreCommand, at = T0) => {
    const r = store.executeSync("h", { ...cmd, payload: { commandId: `cmd-${String(++n).padStart(6, "0")}`, ...cmd.payload } } as StoreCommand, { now: at, by: "staff", staffId: null, newTicketId: `t${String(n).padStart(4, "0")}` });
    events.push(...r.committed);
    return r.event;
  };
  for (const w of windows) run({ name: "window:open", payload: { windowId: w.id } } as StoreCommand);
  const issue = (serviceId: string, at: number, priority = "normal") => (run({ name: "ticket:issue", payload: { serviceId, priority, then: [] } } as never, at) as { ticket: { id: string } }).ticket.id;
  const checkIn = (bookingId: string, serviceId: string, slot: string, at: number) =>
    (run({ name: "ticket:checkIn", payload: { commandId: `in-${bookingId}`, priority: "normal", booking: { id: bookingId, serviceId, date: "2025-03-03", slot, name: "张*" } } }, at) as { ticket: { id: string } }).ticket.id;
  const snap = (): HallSnapshot => store.snapshotSync("h");
  return { config, store, run, issue, checkIn, snap, events };
}

const at = (hhmm: string) => instantOf("2025-03-03", hhmm, "Asia/Shanghai");
const MIN = 60_000;

const TEN_MIN = staticRates({ A: 600, B: 600 });

describe("expected wait (ETA)", () => {
  it("a guessed rush of priority tickets beyond capacity plays out for an hour, not forever", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }]);
    h.issue("A", T0);
    const now = T0 + 1000;
    // 12 arrivals an hour, all elderly, against one 10-minute window (6 an hour): the queue never clears.
    const rush = staticRates({ A: 600 }, { A: 12 / 3600 }, 1);
    const f = forecast(h.snap(), rush, now);
    const eta = f.newTicketSec.get("A")!;
    expect(eta).toBeGreaterThan(3600);
    expect(eta).toBeLessThan(3 * 3600);
  });

  it("follows the dispatch order over the windows that serve the service", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }, { id: "2", qualified: ["A"], serving: ["A"] }]);
    const ids = [0, 1, 2, 3].map((i) => h.issue("A", T0 + i * 1000));
    const now = T0 + 4000;
    const f = forecast(h.snap(), TEN_MIN, now, { futureArrivals: false });
    expect(ids.map((id) => f.waitSec.get(id))).toEqual([0, 0, 600, 600]);
    expect(f.order.get("A")).toEqual(ids);
    // A new ticket would be fifth: after two rounds of ten minutes.
    expect(f.newTicketSec.get("A")).toBe(1200);
  });

  it("counts the time a busy window still needs and lets priority tickets go first", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }]);
    const first = h.issue("A", T0);
    h.run({ name: "window:callNext", payload: { windowId: "1" } } as never, T0 + 1000);
    h.run({ name: "ticket:start", payload: { windowId: "1" } } as never, T0 + 1000);
    const normal = h.issue("A", T0 + 2000);
    const elderly = h.issue("A", T0 + 3000, "elderly");
    const now = T0 + 4 * 60_000 + 1000; // 4 minutes into a 10-minute call
    const f = forecast(h.snap(), TEN_MIN, now, { futureArrivals: false });
    expect(f.waitSec.has(first)).toBe(false);
    expect(f.waitSec.get(elderly)).toBeCloseTo(360, 6);
    expect(f.waitSec.get(normal)).toBeCloseTo(960, 6);
    expect(etaFor(h.snap(), TEN_MIN, now, normal, { futureArrivals: false })).toBeCloseTo(960, 6);
  });

  it("a window serving two services splits its time by the dispatch rule", () => {
    const h = hall([{ id: "1", qualified: ["A", "B"], serving: ["A", "B"] }]);
    const b = h.issue("B", T0); // B has waited longer, which outweighs A being the primary service
    const a = h.issue("A", T0 + 60_000);
    const now = T0 + 61_000;
    const f = forecast(h.snap(), TEN_MIN, now, { futureArrivals: false });
    expect(f.waitSec.get(b)).toBe(0);
    expect(f.waitSec.get(a)).toBe(600);
  });

  it("expected arrivals of priority tickets lengthen the wait of those behind", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }]);
    const ids = [0, 1, 2, 3, 4].map((i) => h.issue("A", T0 + i));
    const now = T0 + 10;
    const quiet = forecast(h.snap(), TEN_MIN, now);
    const busy = forecast(h.snap(), staticRates({ A: 600 }, { A: 30 / 3600 }, 0.5), now);
    expect(busy.waitSec.get(ids[4]!)!).toBeGreaterThan(quiet.waitSec.get(ids[4]!)!);
  });

  it("the naive predictor is tickets ahead × mean service ÷ windows serving", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }, { id: "2", qualified: ["A", "B"], serving: ["B"] }]);
    [0, 1, 2].forEach((i) => h.issue("A", T0 + i));
    const last = h.issue("A", T0 + 10);
    expect(naiveEtaSec(h.snap(), last, 600)).toBe(1800);
  });

  it("one QueueSummary carries every waiting ticket of the hall in call order", () => {
    const h = hall([{ id: "1", qualified: ["A", "B"], serving: ["A"] }, { id: "2", qualified: ["A", "B"], serving: ["B"] }]);
    [0, 1, 2].forEach((i) => h.issue("A", T0 + i));
    h.issue("B", T0 + 5);
    const now = T0 + 1000;
    const s = queueSummary(h.config, h.snap(), TEN_MIN, now, { futureArrivals: false });
    expect(s.hallId).toBe("h");
    expect(s.services.A).toMatchObject({ waiting: 3, windows: 1, order: ["A001", "A002", "A003"], etaSec: [0, 600, 1200], newTicketEtaSec: 1800 });
    expect(s.services.B).toMatchObject({ waiting: 1, windows: 1, order: ["B001"], etaSec: [0], newTicketEtaSec: 600 });
    expect(buildQueueSummary(h.config, h.snap(), forecast(h.snap(), TEN_MIN, now, { futureArrivals: false }), staffingAdvice(h.snap(), TEN_MIN))).toEqual(s);
    expect(s.staffing.map((a) => a.serviceId)).toEqual(["A", "B"]);
  });

  it("the summary says whether each service takes tickets now, and which queues are past their target", () => {
    const h = hall([{ id: "1", qualified: ["A", "B"], serving: ["A"] }]);
    h.issue("A", T0);
    h.issue("B", T0);
    const s = queueSummary(h.config, h.snap(), TEN_MIN, T0 + 60_000, { futureArrivals: false });
    expect(s.services.A).toMatchObject({ availability: "open", quotaLeft: 499, oldestWaitSec: 60, overTarget: false });
    // Nobody serves B: its citizen's wait is past any target the hall can keep.
    expect(s.services.B).toMatchObject({ availability: "open", oldestWaitSec: 60, overTarget: true });
    const later = queueSummary(h.config, h.snap(), TEN_MIN, T0 + 21 * 60_000, { futureArrivals: false });
    expect(later.services.A).toMatchObject({ oldestWaitSec: 21 * 60, overTarget: true });
    const night = queueSummary(h.config, h.snap(), TEN_MIN, instantOf("2025-03-03", "20:00", "Asia/Shanghai"), { futureArrivals: false });
    expect(night.services.A!.availability).toBe("closed");
  });

  it("a service no open window serves reports the horizon, not zero", () => {
    const h = hall([{ id: "1", qualified: ["A", "B"], serving: ["A"] }]);
    const b = h.issue("B", T0);
    const f = forecast(h.snap(), TEN_MIN, T0, { horizonSec: 3600 });
    expect(f.waitSec.get(b)).toBe(3600);
    expect(f.newTicketSec.get("B")).toBe(3600);
  });
});

describe("expected wait with bookings still to come (预约)", () => {
  /** One window serving A, busy from 10:01 with a 10-minute call (free at 10:11), and a walk-in who came at 10:02. */
  function busyAtTen() {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }]);
    h.issue("A", at("10:01"));
    h.run({ name: "window:callNext", payload: { windowId: "1" } } as never, at("10:01"));
    h.run({ name: "ticket:start", payload: { windowId: "1" } } as never, at("10:01"));
    const walkIn = h.issue("A", at("10:02"));
    return { ...h, walkIn };
  }

  it("a booking for 10:00 not checked in yet goes ahead of a walk-in who came at 10:02", () => {
    const h = busyAtTen();
    const now = at("10:03");
    const without = forecast(h.snap(), TEN_MIN, now, { futureArrivals: false });
    const booked: BookedArrival[] = [{ serviceId: "A", at: at("10:00"), bookingId: "bk1" }];
    const f = forecast(h.snap(), TEN_MIN, now, { futureArrivals: false, booked });
    expect(without.waitSec.get(h.walkIn)).toBe(8 * 60);
    expect(f.waitSec.get(h.walkIn)).toBe(18 * 60);
  });

  it("once the booking checks in at 10:05 its ticket is ahead of the walk-in, and the booking is not counted twice", () => {
    const h = busyAtTen();
    const ticket = h.checkIn("bk1", "A", "10:00", at("10:05"));
    const booked: BookedArrival[] = [{ serviceId: "A", at: at("10:00"), bookingId: "bk1" }];
    const f = forecast(h.snap(), TEN_MIN, at("10:05"), { futureArrivals: false, booked });
    expect(f.order.get("A")).toEqual([ticket, h.walkIn]);
    expect(f.waitSec.get(ticket)).toBe(6 * 60);
    expect(f.waitSec.get(h.walkIn)).toBe(16 * 60);
  });

  it("a booking whose slot starts later takes the window when it comes: a walk-in from before the slot goes first, one from after waits behind it", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }]);
    h.issue("A", at("09:55"));
    h.run({ name: "window:callNext", payload: { windowId: "1" } } as never, at("09:55"));
    const booked: BookedArrival[] = [{ serviceId: "A", at: at("10:00") }];
    // The window frees at 10:05; the booking (queued by 10:00) is then ahead of anyone who comes after 10:00.
    const before = forecast(h.snap(), TEN_MIN, at("09:58"), { futureArrivals: false, booked });
    expect(before.newTicketSec.get("A")).toBe(7 * 60);
    const after = forecast(h.snap(), TEN_MIN, at("10:01"), { futureArrivals: false, booked });
    expect(after.newTicketSec.get("A")).toBe(14 * 60);
  });

  it("plays the likelier day: a booking more likely to come than not comes, a less likely one does not", () => {
    const h = busyAtTen();
    const walkInWait = (weight: number) => forecast(h.snap(), TEN_MIN, at("10:03"), { futureArrivals: false, booked: [{ serviceId: "A", at: at("10:00"), weight }] }).waitSec.get(h.walkIn);
    expect(walkInWait(0.6)).toBe(18 * 60);
    expect(walkInWait(0.4)).toBe(8 * 60);
  });

  it("asking for a new ticket's wait leaves the call order alone: walk-ins expected before 10:30 go ahead of a booking for 10:30 checked in early", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }]);
    h.issue("A", at("10:05"));
    h.run({ name: "window:callNext", payload: { windowId: "1" } } as never, at("10:05"));
    const early = h.checkIn("bk1", "A", "10:30", at("10:05"));
    // One walk-in expected every 10 minutes: at 10:15, 10:25, 10:35; the window frees at 10:15.
    const rates = staticRates({ A: 600 }, { A: 1 / 600 });
    const withProbe = forecast(h.snap(), rates, at("10:05")).waitSec.get(early);
    expect(withProbe).toBe(forecast(h.snap(), rates, at("10:05"), { probes: false }).waitSec.get(early));
    // The walk-ins of 10:15 and 10:25 are called as they come, the booking (placed at 10:30) before the one of 10:35.
    expect(withProbe).toBe(30 * 60);
  });

  it("a booking of a service no open window serves changes nothing", () => {
    const h = busyAtTen();
    const f = forecast(h.snap(), TEN_MIN, at("10:03"), { futureArrivals: false, booked: [{ serviceId: "B", at: at("10:00") }] });
    expect(f.waitSec.get(h.walkIn)).toBe(8 * 60);
  });

  it("staffing advice counts the next hour's bookings, and the balancer lends a window before their queue forms", () => {
    // Window 3 serves B too, so window 2 is not B's only window (that one would keep its ten-minute calls for B's citizens).
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }, { id: "2", qualified: ["A", "B"], serving: ["B"] }, { id: "3", qualified: ["B"], serving: ["B"] }]);
    const now = at("10:00");
    // Twelve bookings of A for 10:00–10:55 against one 10-minute window: twice what it can do.
    const booked: BookedArrival[] = Array.from({ length: 12 }, (_, i) => ({ serviceId: "A", at: now + i * 5 * MIN }));
    expect(staffingAdvice(h.snap(), TEN_MIN, booked, now).find((a) => a.serviceId === "A")!.arrivalsPerHour).toBeCloseTo(12, 6);
    expect(proposeChanges({ snapshot: h.snap(), rates: TEN_MIN, now }).changes).toEqual([]);
    const plan = proposeChanges({ snapshot: h.snap(), rates: TEN_MIN, now, booked });
    expect(plan.changes).toMatchObject([{ windowId: "2", kind: "add", serviceId: "A", serving: ["B", "A"] }]);
  });
});

describe("bookings still to come, from the day's bookings", () => {
  const rule = { earlyMin: 30, lateMin: 15 };
  const booking = (id: string, slot: string, state: DayBooking["state"] = "booked"): DayBooking => ({ id, serviceId: "A", slotStart: at(slot), state });

  it("lists live bookings that can still check in on time, not those checked in, cancelled or past their on-time check-in", () => {
    const day = [booking("a", "09:00"), booking("b", "10:00"), booking("c", "10:00", "checkedIn"), booking("d", "10:30", "cancelled"), booking("e", "11:00")];
    expect(bookedArrivals(rule, day, at("09:50")).map((b) => b.bookingId)).toEqual(["b", "e"]);
  });

  it("the share that comes is measured on the day's bookings whose on-time check-in has closed, from a prior of 90 %", () => {
    expect(showUpShare(rule, [], at("09:00"))).toBeCloseTo(0.9, 6);
    const day = [...["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"].map((id) => booking(id, "09:00", "checkedIn")), ...["k", "l", "m", "n", "o", "p", "q", "r", "s", "t"].map((id) => booking(id, "09:00", "booked"))];
    // 10 came, 10 did not: (10 + 0.9 × 10) / (20 + 10).
    expect(showUpShare(rule, day, at("09:20"))).toBeCloseTo(19 / 30, 6);
    expect(showUpShare(rule, day, at("09:10"))).toBeCloseTo(0.9, 6);
  });

  it("a booking still missing after its slot started is less likely to come, the sooner this hall's citizens check in", () => {
    const day = [booking("a", "10:00")];
    const early = Array.from({ length: 50 }, (_, i) => -(10 + (i % 10)) * MIN);
    const before = bookedArrivals(rule, day, at("09:40"), early)[0]!.weight!;
    const late = bookedArrivals(rule, day, at("10:05"), early)[0]!.weight!;
    const lateNoHistory = bookedArrivals(rule, day, at("10:05"))[0]!.weight!;
    expect(before).toBeGreaterThan(0.8);
    expect(late).toBeLessThan(0.2);
    expect(lateNoHistory).toBeGreaterThan(late);
    expect(bookedArrivals(rule, day, at("10:16"))).toEqual([]);
  });

  it("the rate estimator leaves on-time check-ins out of the walk-in rate and measures when they came", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }]);
    const rates = new RateEstimator().configure(h.snap(), T0);
    h.issue("A", at("09:50"));
    h.checkIn("bk1", "A", "10:00", at("09:52"));
    h.checkIn("bk2", "A", "09:30", at("09:52"));
    rates.observeAll(h.events);
    expect(rates.arrivalPerSec("A", at("09:52")) * 3600).toBeGreaterThan(0);
    const one = new RateEstimator().configure(h.snap(), T0);
    one.observeAll(h.events.filter((e) => !(e.type === "ticket:issued" && e.ticket.appointment?.onTime)));
    expect(rates.arrivalPerSec("A", at("09:52"))).toBeCloseTo(one.arrivalPerSec("A", at("09:52")), 12);
    expect(rates.checkInOffsets()).toEqual([-8 * MIN]);
  });
});

/** A rates view with what the hall's own events would have measured: a spread of calls, a pause's expected end. */
function measured(base: RatesView, extra: { shape?: number[]; backInSec?: Record<string, number> }): RatesView {
  return { ...base, occupancyShape: () => extra.shape ?? [], backInSec: (w) => extra.backInSec?.[w] ?? null };
}

describe("expected waits shown to citizens: what the hall's own events add to the replay", () => {
  const pause = (h: ReturnType<typeof hall>, windowId: string, at: number) => h.run({ name: "window:pause", payload: { windowId, reason: "午休" } } as never, at);
  const auto = (h: ReturnType<typeof hall>) => h.run({ name: "balancer:setMode", payload: { mode: "auto" } } as never);

  it("a paused window comes back when the hall's pauses say it will, instead of leaving its queue beyond the horizon", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }]);
    pause(h, "1", T0);
    const t = h.issue("A", T0 + MIN);
    const rates = measured(TEN_MIN, { backInSec: { "1": 25 * 60 } });
    expect(forecast(h.snap(), rates, T0 + MIN, { pausedReturn: true }).waitSec.get(t)).toBe(25 * 60);
    expect(forecast(h.snap(), rates, T0 + MIN).waitSec.get(t)).toBe(8 * 3600);
  });

  it("in a hall the balancer runs in auto mode, a window with nothing of its own to call takes a queue it is qualified for", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }, { id: "2", qualified: ["A", "B"], serving: ["B"] }]);
    h.issue("A", T0);
    h.run({ name: "window:callNext", payload: { windowId: "1" } } as never, T0);
    const waiting = h.issue("A", T0 + MIN);
    const off = forecast(h.snap(), TEN_MIN, T0 + MIN, { lending: true, futureArrivals: false }).waitSec.get(waiting);
    auto(h);
    const lent = forecast(h.snap(), TEN_MIN, T0 + MIN, { lending: true, futureArrivals: false }).waitSec.get(waiting);
    expect(off).toBe(9 * 60);
    expect(lent).toBe(0);
  });

  it("a window the balancer would lend calls its own queue first, however long the other has waited", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }, { id: "2", qualified: ["A", "B"], serving: ["B"] }]);
    auto(h);
    h.issue("A", T0);
    h.run({ name: "window:callNext", payload: { windowId: "1" } } as never, T0);
    const a = h.issue("A", T0 + MIN);
    const b = h.issue("B", T0 + 5 * MIN);
    const f = forecast(h.snap(), TEN_MIN, T0 + 5 * MIN, { lending: true, futureArrivals: false });
    expect(f.waitSec.get(b)).toBe(0);
    // Window 1 frees at 9:10, before window 2 has done B's citizen.
    expect(f.waitSec.get(a)).toBe(5 * 60);
  });

  it("a window is lent to a queue once its longest-waiting citizen has waited as long as this hall's queues wait for one", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }, { id: "2", qualified: ["A", "B"], serving: ["B"] }]);
    auto(h);
    h.issue("A", T0);
    h.run({ name: "window:callNext", payload: { windowId: "1" } } as never, T0);
    const waiting = h.issue("A", T0 + 10_000);
    const rates: RatesView = { ...TEN_MIN, lendAfterSec: () => 30 };
    expect(forecast(h.snap(), rates, T0 + 10_000, { lending: true, futureArrivals: false }).waitSec.get(waiting)).toBe(30);
  });

  it("the first of several busy windows frees sooner than their mean remaining times say", () => {
    const h = hall([1, 2, 3].map((i) => ({ id: String(i), qualified: ["A"], serving: ["A"] })));
    for (const w of ["1", "2", "3"]) {
      h.issue("A", T0);
      h.run({ name: "window:callNext", payload: { windowId: w } } as never, T0);
    }
    const next = h.issue("A", T0 + 1000);
    // Calls of this hall last from a fifth of their mean to nearly twice it.
    const rates = measured(TEN_MIN, { shape: [0.2, 0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6, 1.8] });
    const mean = forecast(h.snap(), rates, T0 + 1000, { futureArrivals: false }).waitSec.get(next)!;
    const sampled = forecast(h.snap(), rates, T0 + 1000, { futureArrivals: false, paths: 15 }).waitSec.get(next)!;
    expect(mean).toBeCloseTo(599, 6);
    expect(sampled).toBeLessThan(0.75 * mean);
    expect(sampled).toBeGreaterThan(0);
  });

  it("without a measured spread of calls, sampled days are the mean day", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }]);
    h.issue("A", T0);
    h.run({ name: "window:callNext", payload: { windowId: "1" } } as never, T0);
    const next = h.issue("A", T0 + MIN);
    expect(forecast(h.snap(), TEN_MIN, T0 + MIN, { paths: 15 }).waitSec.get(next)).toBe(forecast(h.snap(), TEN_MIN, T0 + MIN).waitSec.get(next));
  });

  it("the same hall at the same moment is shown the same waits", () => {
    const h = hall([1, 2].map((i) => ({ id: String(i), qualified: ["A"], serving: ["A"] })));
    for (const w of ["1", "2"]) {
      h.issue("A", T0);
      h.run({ name: "window:callNext", payload: { windowId: w } } as never, T0);
    }
    [1, 2, 3].forEach((i) => h.issue("A", T0 + i * 1000));
    const rates = measured(staticRates({ A: 600 }, { A: 6 / 3600 }), { shape: [0.3, 0.7, 1, 1.3, 1.7] });
    expect(queueSummary(h.config, h.snap(), rates, T0 + 5000)).toEqual(queueSummary(h.config, h.snap(), rates, T0 + 5000));
  });

  it("the waits shown (etaFor, queueSummary) count a paused window back; the balancer's plain forecast does not", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }]);
    pause(h, "1", T0);
    const t = h.issue("A", T0 + MIN);
    const rates = measured(TEN_MIN, { backInSec: { "1": 25 * 60 } });
    expect(etaFor(h.snap(), rates, T0 + MIN, t)).toBe(25 * 60);
    expect(queueSummary(h.config, h.snap(), rates, T0 + MIN).services.A!.etaSec).toEqual([25 * 60]);
    expect(forecast(h.snap(), rates, T0 + MIN).waitSec.get(t)).toBe(8 * 3600);
  });
});

describe("what the rate estimator learns from the hall's events for the forecast", () => {
  it("an arrival counts towards the rate a few seconds after it came, so the forecast made as its ticket is issued does not read it as a rise", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }]);
    const rates = new RateEstimator().configure(h.snap(), T0);
    h.issue("A", T0 + 30 * MIN);
    rates.observeAll(h.events);
    const before = rates.arrivalPerSec("A", T0 + 30 * MIN - 1);
    expect(rates.arrivalPerSec("A", T0 + 30 * MIN)).toBe(before);
    expect(rates.arrivalPerSec("A", T0 + 30 * MIN + 5_000)).toBeGreaterThan(before);
  });

  it("a window given a service whose citizens already wait tells how long the longest had waited; one given a quiet service tells nothing", () => {
    const h = hall([{ id: "1", qualified: ["A", "B"], serving: ["A"] }, { id: "2", qualified: ["A", "B"], serving: ["B"] }]);
    const rates = new RateEstimator().configure(h.snap(), T0);
    h.run({ name: "window:setServing", payload: { windowId: "1", serving: ["A", "B"] } } as never, T0);
    h.issue("A", T0 + MIN);
    h.issue("A", T0 + 2 * MIN);
    h.run({ name: "window:setServing", payload: { windowId: "2", serving: ["B", "A"] } } as never, T0 + 2 * MIN + 40_000);
    rates.observeAll(h.events);
    expect(rates.lendAfterSec()).toBe(100);
    expect(new RateEstimator().lendAfterSec()).toBe(0);
  });

  it("before any pause has ended, a paused window is expected back 30 minutes after it paused", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }]);
    const rates = new RateEstimator().configure(h.snap(), T0);
    h.run({ name: "window:pause", payload: { windowId: "1", reason: "午休" } } as never, at("12:00"));
    rates.observeAll(h.events);
    expect(rates.backInSec("1", at("12:10"))).toBe(20 * 60);
    expect(rates.backInSec("2", at("12:10"))).toBeNull();
  });

  it("a paused window is expected back after what this hall's pauses have lasted", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }, { id: "2", qualified: ["A"], serving: ["A"] }]);
    const rates = new RateEstimator().configure(h.snap(), T0);
    h.run({ name: "window:pause", payload: { windowId: "1", reason: "午休" } } as never, at("11:30"));
    h.run({ name: "window:resume", payload: { windowId: "1" } } as never, at("12:30"));
    h.run({ name: "window:pause", payload: { windowId: "2", reason: "午休" } } as never, at("12:30"));
    rates.observeAll(h.events);
    // Ten minutes in: the hour-long pause has 50 minutes left, the prior's 30 minutes 20.
    expect(rates.backInSec("2", at("12:40"))).toBe(35 * 60);
    // Past the prior: only the hour-long pause says how long it lasts.
    expect(rates.backInSec("2", at("13:10"))).toBe(20 * 60);
  });

  it("a window away longer than any pause this hall has seen is expected to stay away as long again", () => {
    const h = hall([{ id: "1", qualified: ["A"], serving: ["A"] }]);
    const rates = new RateEstimator().configure(h.snap(), T0);
    h.run({ name: "window:pause", payload: { windowId: "1", reason: "夜间" } } as never, at("09:00"));
    rates.observeAll(h.events);
    expect(rates.backInSec("1", at("11:00"))).toBe(2 * 3600);
  });

  it("how calls spread: each call's time over its service's mean when it ended, for the hall's calls together, ascending", () => {
    const h = hall([{ id: "1", qualified: ["A", "B"], serving: ["A", "B"] }]);
    const rates = new RateEstimator({ priorWeight: 0 }).configure(h.snap(), T0);
    let at0 = T0;
    const call = (serviceId: string, minutes: number) => {
      h.issue(serviceId, at0);
      h.run({ name: "window:callNext", payload: { windowId: "1" } } as never, at0);
      h.run({ name: "ticket:start", payload: { windowId: "1" } } as never, at0);
      h.run({ name: "ticket:finish", payload: { windowId: "1" } } as never, (at0 += minutes * MIN));
    };
    call("A", 10);
    call("B", 4);
    call("A", 30);
    rates.observeAll(h.events);
    // A: 10 (its mean then 10), B: 4 (4), A: 30 (mean of 10 and 30: 20).
    expect(rates.occupancyShape()).toEqual([1, 1, 1.5]);
  });
});
