/**
 * Balancing never makes a service's waits worse than its own windows would: a lending keeps the
 * lender's own queue within its target, and the only window qualified for a service (帮办代办,
 * 办不成事) is lent only within a small budget of delay to that service's citizens, and gives
 * its borrowed services back as soon as one of them waits.
 */
import { describe, expect, it } from "vitest";
import type { HallEvent, HallSnapshot } from "../protocol/index.js";
import { DEFAULT_BALANCER_OPTIONS, proposeChanges } from "../server/domain/balancer.js";
import { instantOf } from "../server/domain/clock.js";
import { HallConfig, type HallConfigInput } from "../server/domain/config.js";
import type { StoreCommand } from "../server/domain/hall-commands.js";
import { HallBalancer } from "../server/domain/hall-balancer.js";
import { staticRates } from "../server/domain/rates.js";
import { MemoryStore } from "../server/store/memory/memory-store.js";

const T0 = instantOf("2025-03-03", "09:00", "Asia/Shanghai");
const MIN = 60_000;

function hall(windows: HallConfigInput["windows"], services: HallConfigInput["services"]) {
  const config = HallConfig.parse({ id: "h", name: { zh: "大厅", en: "Hall" }, services, windows, balancer: { mode: "auto" } });
  const store = new MemoryStore();
  store.loadHallSync(config, T0);
  const events: HallEvent[] = [];
  let n = 0;
  const run = (cmd: StoreCommand, at = T0, by: "staff" | "balancer" = "staff") => {
    const { event, committed } = store.executeSync("h", { ...cmd, payload: { commandId: `cmd-${String(++n).padStart(6, "0")}`, ...cmd.payload } } as StoreCommand, { now: at, by, staffId: null, newTicketId: `t${String(n).padStart(4, "0")}` });
    events.push(...committed);
    return event;
  };
  for (const w of config.windows) run({ name: "window:open", payload: { windowId: w.id } } as never);
  const issue = (serviceId: string, at: number) => (run({ name: "ticket:issue", payload: { serviceId, priority: "normal", then: [] } } as never, at) as { ticket: { id: string } }).ticket.id;
  const serve = (windowId: string, serving: string[], at: number) => run({ name: "balancer:apply", payload: { windowId, serving, reason: { zh: "测试", en: "test" } } } as never, at, "balancer");
  const snap = (): HallSnapshot => store.snapshotSync("h");
  return { config, run, issue, serve, snap, events };
}

const SOCIAL = { id: "A", prefix: "A", name: { zh: "社保业务", en: "Social insurance" }, targetWaitMin: 20, serviceMin: 10 };
const MEDICAL = { id: "B", prefix: "B", name: { zh: "医保业务", en: "Medical insurance" }, targetWaitMin: 20, serviceMin: 10 };
const ASSIST = { id: "H", prefix: "H", name: { zh: "帮办代办", en: "Assisted service" }, targetWaitMin: 15, serviceMin: 15 };

/** Windows 1 and 2 serve social insurance; window 3 is the only one for 帮办代办, qualified for social insurance too. */
const assistHall = () =>
  hall(
    [
      { id: "1", label: { zh: "1号窗口", en: "Window 1" }, qualified: ["A"], serving: ["A"] },
      { id: "2", label: { zh: "2号窗口", en: "Window 2" }, qualified: ["A"], serving: ["A"] },
      { id: "3", label: { zh: "3号窗口", en: "Window 3" }, qualified: ["H", "A"], serving: ["H"] },
    ],
    [SOCIAL, ASSIST],
  );

/** A social-insurance rush of twelve. */
const rush = (h: ReturnType<typeof assistHall>, at = T0) => {
  for (let i = 0; i < 12; i++) h.issue("A", at + i * 1000);
};

describe("the only window qualified for a service", () => {
  it("is lent only for calls short enough to keep its own citizens' extra wait within budget", () => {
    const h = assistHall();
    rush(h);
    const now = T0 + 20_000;
    // Ten-minute calls for a dwell time would add 600 × 600 ÷ 3600 = 100 s on average, over 7 % of 15 minutes (63 s).
    expect(proposeChanges({ snapshot: h.snap(), rates: staticRates({ A: 600, H: 900 }), now }).changes).toEqual([]);
    // Four-minute calls would add 40 s.
    expect(proposeChanges({ snapshot: h.snap(), rates: staticRates({ A: 240, H: 900 }), now }).changes).toMatchObject([{ windowId: "3", kind: "add", serviceId: "A", serving: ["H", "A"] }]);
  });

  it("is not lent while one of its own citizens waits", () => {
    const h = assistHall();
    rush(h);
    h.issue("H", T0 + 15_000);
    expect(proposeChanges({ snapshot: h.snap(), rates: staticRates({ A: 240, H: 900 }), now: T0 + 20_000 }).changes).toEqual([]);
  });

  it("is not lent once its borrowed calls of the last hour have used the budget", () => {
    const h = assistHall();
    rush(h);
    expect(proposeChanges({ snapshot: h.snap(), rates: staticRates({ A: 240, H: 900 }), now: T0 + 20_000, borrowedDelaySec: { "3": 30 } }).changes).toEqual([]);
  });

  it("gives its borrowed services back at once when one of its own citizens waits, within the dwell time and in the middle of a borrowed call", () => {
    const h = assistHall();
    h.serve("3", ["H", "A"], T0);
    rush(h, T0 + 1000);
    h.run({ name: "window:callNext", payload: { windowId: "3" } } as never, T0 + 20_000);
    h.run({ name: "ticket:start", payload: { windowId: "3" } } as never, T0 + 20_000);
    h.issue("H", T0 + 2 * MIN);
    const plan = proposeChanges({ snapshot: h.snap(), rates: staticRates({ A: 240, H: 900 }), now: T0 + 2 * MIN, lastChangeAt: { "3": T0 } });
    expect(plan.changes).toMatchObject([{ windowId: "3", kind: "recall", serviceId: "A", serving: ["H"] }]);
    expect(plan.changes[0]!.reason.zh).toBe("帮办代办有1人等候，只有3号窗口能办理，3号窗口暂停加办社保业务，下一位先办帮办代办。");
    expect(plan.changes[0]!.reason.en).toBe("1 waiting for Assisted service, which only Window 3 can serve: Window 3 stops serving Social insurance and calls Assisted service next.");
  });

  it("gives its borrowed services back after the dwell time once its budget is spent", () => {
    const h = assistHall();
    h.serve("3", ["H", "A"], T0);
    rush(h, T0 + 1000);
    const spent = { "3": 0.07 * 15 * 60 + 1 };
    const rates = staticRates({ A: 240, H: 900 });
    expect(proposeChanges({ snapshot: h.snap(), rates, now: T0 + MIN, lastChangeAt: { "3": T0 }, borrowedDelaySec: spent }).changes).toEqual([]);
    const plan = proposeChanges({ snapshot: h.snap(), rates, now: T0 + 11 * MIN, lastChangeAt: { "3": T0 }, borrowedDelaySec: spent });
    expect(plan.changes).toMatchObject([{ windowId: "3", kind: "recall", serviceId: "A", serving: ["H"] }]);
    expect(plan.changes[0]!.reason.zh).toContain("3号窗口是唯一能办理帮办代办的窗口");
  });
});

describe("the borrowed delay HallBalancer measures", () => {
  it("is Σ (borrowed call within the last hour)² ÷ 2 h per window: a citizen's mean extra wait for such a call to end", () => {
    const h = assistHall();
    const brain = new HallBalancer(h.config);
    brain.begin(h.snap(), T0);
    h.serve("3", ["H", "A"], T0);
    h.issue("A", T0);
    h.run({ name: "window:callNext", payload: { windowId: "3" } } as never, T0);
    h.run({ name: "ticket:start", payload: { windowId: "3" } } as never, T0);
    h.run({ name: "ticket:finish", payload: { windowId: "3" } } as never, T0 + 10 * MIN);
    // A call of its own service is no borrowed call.
    h.issue("H", T0 + 10 * MIN);
    h.run({ name: "window:callNext", payload: { windowId: "3" } } as never, T0 + 10 * MIN);
    h.run({ name: "ticket:start", payload: { windowId: "3" } } as never, T0 + 10 * MIN);
    h.run({ name: "ticket:finish", payload: { windowId: "3" } } as never, T0 + 30 * MIN);
    for (const e of h.events) brain.observe(e);
    expect(brain.borrowedDelaySec(T0 + 30 * MIN)).toEqual({ "3": (600 * 600) / 7200 });
    // Five minutes of the call are still within the hour at 10:05.
    expect(brain.borrowedDelaySec(T0 + 65 * MIN)).toEqual({ "3": (300 * 300) / 7200 });
    expect(brain.borrowedDelaySec(T0 + 80 * MIN)).toEqual({});
  });
});

describe("a lending and the lender's own queue", () => {
  /** Windows 1 and 2 serve social insurance, windows 3 and 4 medical insurance; window 3 is qualified for social insurance too. */
  const twoQueues = () =>
    hall(
      [
        { id: "1", label: { zh: "1号窗口", en: "Window 1" }, qualified: ["A"], serving: ["A"] },
        { id: "2", label: { zh: "2号窗口", en: "Window 2" }, qualified: ["A"], serving: ["A"] },
        { id: "3", label: { zh: "3号窗口", en: "Window 3" }, qualified: ["B", "A"], serving: ["B"] },
        { id: "4", label: { zh: "4号窗口", en: "Window 4" }, qualified: ["B"], serving: ["B"] },
      ],
      [SOCIAL, MEDICAL],
    );
  const RATES = staticRates({ A: 600, B: 600 });

  it("is not made when the forecast says the lender's own queue would then go over its target", () => {
    // Social insurance has waited half an hour: window 3 would call it first and leave medical insurance to window 4.
    const h = twoQueues();
    rush(h);
    const now = T0 + 30 * MIN;
    for (let i = 0; i < 3; i++) h.issue("B", now - 1000 + i);
    const plan = proposeChanges({ snapshot: h.snap(), rates: RATES, now });
    expect(plan.pressure.B!.pressure).toBeLessThanOrEqual(DEFAULT_BALANCER_OPTIONS.keepAt);
    expect(plan.changes).toEqual([]);
  });

  it("is made when the lender's own queue stays within its target with it", () => {
    const h = twoQueues();
    rush(h);
    const now = T0 + 30 * MIN;
    h.issue("B", now - 1000);
    expect(proposeChanges({ snapshot: h.snap(), rates: RATES, now }).changes).toMatchObject([{ windowId: "3", kind: "add", serviceId: "A", serving: ["B", "A"] }]);
  });
});
