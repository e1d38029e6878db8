import { describe, expect, it } from "vitest";
import type { HallEvent, HallSnapshot } from "../protocol/index.js";
import { HallBalancer } from "../server/domain/hall-balancer.js";
import { LocalHallLock } from "../server/balancer/lock.js";
import { BalancerRunner } from "../server/balancer/balancer-runner.js";
import { proposeChanges } from "../server/domain/balancer.js";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import type { StoreCommand } from "../server/domain/hall-commands.js";
import { HallConfig } from "../server/domain/config.js";
import { staticRates } from "../server/domain/rates.js";
import { simulateDay } from "../server/sim/engine.js";
import { parseScenario } from "../server/sim/scenario.js";
import { MemoryStore } from "../server/store/memory/memory-store.js";

const T0 = instantOf("2025-03-03", "09:00", "Asia/Shanghai");
const MIN = 60_000;

/** Windows 1 and 2 serve A; windows 3 and 4 serve B, and window 3 is qualified for A too. */
function hall(mode: "off" | "suggest" | "auto" = "auto") {
  const config = HallConfig.parse({
    id: "h",
    name: { zh: "大厅", en: "Hall" },
    services: [
      { id: "A", prefix: "A", name: { zh: "社保业务", en: "Social insurance" }, targetWaitMin: 20, serviceMin: 10 },
      { id: "B", prefix: "B", name: { zh: "医保业务", en: "Medical insurance" }, targetWaitMin: 20, serviceMin: 10 },
    ],
    windows: [
      { id: "1", label: { zh: "1号窗口", en: "Window 1" }, qualified: ["A"], serving: ["A"] },
      { id: "2", label: { zh: "2号窗口", en: "Window 2" }, qualified: ["A"], serving: ["A"] },
      { id: "3", label: { zh: "3号窗口", en: "Window 3" }, qualified: ["B", "A"], serving: ["B"] },
      { id: "4", label: { zh: "4号窗口", en: "Window 4" }, qualified: ["B"], serving: ["B"] },
    ],
    balancer: { mode },
  });
  const store = new MemoryStore();
  store.loadHallSync(config, T0);
  let n = 0;
  const run = (cmd: StoreCommand, at = T0, by: "staff" | "balancer" | "manager" = "staff") =>
    store.executeSync("h", { ...cmd, payload: { commandId: `cmd-${String(++n).padStart(6, "0")}`, ...cmd.payload } } as StoreCommand, { now: at, by, staffId: null, newTicketId: `t${String(n).padStart(4, "0")}` }).event;
  for (const w of ["1", "2", "3", "4"]) run({ name: "window:open", payload: { windowId: w } } as never);
  const issue = (serviceId: string, at: number) => (run({ name: "ticket:issue", payload: { serviceId, priority: "normal", then: [] } } as never, at) as { ticket: { id: string } }).ticket.id;
  const snap = (): HallSnapshot => store.snapshotSync("h");
  return { config, store, run, issue, snap };
}

const RATES = staticRates({ A: 600, B: 600 });

describe("balancer", () => {
  it("a window with a quiet queue helps a service whose queue explodes, and says why in both languages", () => {
    const h = hall();
    for (let i = 0; i < 12; i++) h.issue("A", T0 + i * 1000);
    const plan = proposeChanges({ snapshot: h.snap(), rates: RATES, now: T0 + 20_000 });
    expect(plan.changes).toHaveLength(1);
    const c = plan.changes[0]!;
    expect(c).toMatchObject({ windowId: "3", kind: "add", serviceId: "A", from: ["B"], serving: ["B", "A"] });
    expect(c.reason.zh).toContain("社保业务");
    expect(c.reason.zh).toContain("3号窗口");
    expect(c.reason.en).toContain("Social insurance");
    expect(c.reason.en).toMatch(/target/);
    expect(plan.pressure.A!.pressure).toBeGreaterThan(1);
  });

  it("the reason says what the lender's own queue should expect once it helps, against its target", () => {
    const h = hall();
    for (let i = 0; i < 12; i++) h.issue("A", T0 + i * 1000);
    const { reason } = proposeChanges({ snapshot: h.snap(), rates: RATES, now: T0 + 20_000 }).changes[0]!;
    expect(reason.zh).toMatch(/3号窗口本身业务（医保业务）加办后预计等待约\d+分钟（目标20分钟），借出后仍在目标内/);
    expect(reason.en).toMatch(/Window 3's own queues \(Medical insurance\) would expect about \d+ min against a 20 min target with it, still within target/);
  });

  it("a service nobody waits for and no window serves does not pull a window from citizens who wait", () => {
    const h = hall();
    for (let i = 0; i < 12; i++) h.issue("A", T0 + i * 1000);
    // B's windows close: B has no window but nobody waits for it.
    h.run({ name: "window:close", payload: { windowId: "3" } } as never, T0 + 15_000);
    h.run({ name: "window:close", payload: { windowId: "4" } } as never, T0 + 15_000);
    const plan = proposeChanges({ snapshot: h.snap(), rates: RATES, now: T0 + 20_000 });
    expect(plan.pressure.B!.pressure).toBe(0);
    expect(plan.changes.map((c) => c.serviceId)).not.toContain("B");
  });

  it("does nothing while every queue is within reach of its target", () => {
    const h = hall();
    h.issue("A", T0);
    h.issue("B", T0);
    expect(proposeChanges({ snapshot: h.snap(), rates: RATES, now: T0 + 1000 }).changes).toEqual([]);
  });

  const lent = () => {
    const h = hall();
    h.run({ name: "balancer:apply", payload: { windowId: "3", serving: ["B", "A"], reason: { zh: "测试", en: "test" } } } as never, T0, "balancer");
    return h;
  };
  /** A's queue is empty; B's is long enough to put B over its target. */
  const bOverTarget = (h: ReturnType<typeof hall>, at: number) => {
    for (let i = 0; i < 6; i++) h.issue("B", at + i);
  };
  const lastChangeAt = { "3": T0 };

  it("a borrowed service stays while the lender's own queue is within target, however quiet the borrowed one is", () => {
    const h = lent();
    h.issue("B", T0 + 11 * MIN);
    expect(proposeChanges({ snapshot: h.snap(), rates: staticRates({ A: 600, B: 600 }, { A: 3 / 3600 }), now: T0 + 11 * MIN, lastChangeAt }).changes).toEqual([]);
  });

  it("a borrowed service goes back once the lender's own queue is over target, its own queue has eased and the other windows can carry it", () => {
    const h = lent();
    bOverTarget(h, T0 + 11 * MIN);
    const plan = proposeChanges({ snapshot: h.snap(), rates: staticRates({ A: 600, B: 600 }, { A: 3 / 3600 }), now: T0 + 11 * MIN, lastChangeAt });
    expect(plan.changes).toMatchObject([{ windowId: "3", kind: "drop", serviceId: "A", serving: ["B"] }]);
    expect(plan.changes[0]!.reason.zh).toMatch(/3号窗口本身业务医保业务预计等待约\d+分钟，已超过目标20分钟；社保业务排队已缓解/);
    expect(plan.changes[0]!.reason.en).toContain("eased");
  });

  it("a borrowed service does not go back before the dwell time (no flapping)", () => {
    const h = lent();
    bOverTarget(h, T0 + MIN);
    expect(proposeChanges({ snapshot: h.snap(), rates: staticRates({ A: 600, B: 600 }, { A: 3 / 3600 }), now: T0 + MIN, lastChangeAt }).changes).toEqual([]);
  });

  it("a borrowed service does not go back while the other windows could not carry its arrivals alone", () => {
    const h = lent();
    bOverTarget(h, T0 + 11 * MIN);
    expect(proposeChanges({ snapshot: h.snap(), rates: staticRates({ A: 600, B: 600 }, { A: 12 / 3600 }), now: T0 + 11 * MIN, lastChangeAt }).changes).toEqual([]);
  });

  it("never takes a service away from a window in the middle of serving one of its tickets", () => {
    const h = lent();
    const t = h.issue("A", T0 + 1000);
    h.run({ name: "window:callNext", payload: { windowId: "3" } } as never, T0 + 2000);
    h.run({ name: "ticket:start", payload: { windowId: "3" } } as never, T0 + 2000);
    const now = T0 + 30 * MIN;
    bOverTarget(h, now - 1000);
    const rates = staticRates({ A: 600, B: 600 }, { A: 3 / 3600 });
    expect(proposeChanges({ snapshot: h.snap(), rates, now, lastChangeAt }).changes.filter((c) => c.windowId === "3")).toEqual([]);
    // A manager's or balancer's change mid-service does not touch the ticket being served.
    h.run({ name: "balancer:apply", payload: { windowId: "3", serving: ["B"], reason: { zh: "测试", en: "test" } } } as never, now, "balancer");
    expect(h.snap().tickets.find((x) => x.id === t)).toMatchObject({ state: "serving", windowId: "3" });
    expect(h.snap().windows.find((w) => w.id === "3")!.ticketId).toBe(t);
    // Once the ticket is finished the drop may happen.
    const h2 = lent();
    bOverTarget(h2, now - 1000);
    expect(proposeChanges({ snapshot: h2.snap(), rates, now, lastChangeAt }).changes).toMatchObject([{ windowId: "3", kind: "drop" }]);
  });

  it("over a simulated busy morning no window changes its services more often than the dwell time allows", () => {
    const sc = parseScenario({
      name: "two-queues",
      open: "09:00",
      close: "13:00",
      services: [
        { id: "A", prefix: "A", name: { zh: "甲", en: "A" }, serviceMin: { mean: 8, cv: 0.6 }, targetWaitMin: 20, arrivals: [{ from: "09:00", to: "10:30", perHour: 30 }, { from: "10:30", to: "12:30", perHour: 8 }] },
        { id: "B", prefix: "B", name: { zh: "乙", en: "B" }, serviceMin: { mean: 8, cv: 0.6 }, targetWaitMin: 20, arrivals: [{ from: "09:00", to: "12:30", perHour: 10 }] },
      ],
      windows: [
        { id: "1", label: { zh: "1", en: "1" }, qualified: ["A", "B"], initial: ["A"] },
        { id: "2", label: { zh: "2", en: "2" }, qualified: ["A", "B"], initial: ["A"] },
        { id: "3", label: { zh: "3", en: "3" }, qualified: ["B", "A"], initial: ["B"] },
        { id: "4", label: { zh: "4", en: "4" }, qualified: ["B", "A"], initial: ["B"] },
      ],
    });
    const changes: HallEvent[] = [];
    const r = simulateDay(sc, "dynamic", 7, { eta: false, onEvent: (e) => e.type === "window:changed" && e.change === "servingChanged" && changes.push(e) });
    expect(r.balancerChanges).toBeGreaterThan(0);
    const last = new Map<string, number>();
    for (const e of changes) {
      if (e.type !== "window:changed") continue;
      expect(e.by).toBe("balancer");
      expect(e.reason?.zh.length).toBeGreaterThan(0);
      expect(e.reason?.en.length).toBeGreaterThan(0);
      const prev = last.get(e.window.id);
      if (prev !== undefined) expect(e.at - prev).toBeGreaterThanOrEqual(10 * MIN);
      last.set(e.window.id, e.at);
    }
  });
});

describe("balancer modes", () => {
  function pressed(mode: "off" | "suggest" | "auto") {
    const h = hall(mode);
    const brain = new HallBalancer(h.config);
    brain.begin(h.snap(), T0);
    for (let i = 0; i < 12; i++) brain.observe(h.store.executeSync("h", { name: "ticket:issue", payload: { commandId: `issue-${String(i).padStart(4, "0")}`, serviceId: "A", priority: "normal", then: [] } }, { now: T0 + i * 1000, by: "kiosk", staffId: null, newTicketId: `x${i}` }).event);
    return { h, brain, now: T0 + 20_000 };
  }

  it("off: the balancer changes nothing", () => {
    const { h, brain, now } = pressed("off");
    expect(brain.round(h.snap(), now).commands).toEqual([]);
  });

  it("auto: the change is applied at once and logged with its reason", () => {
    const { h, brain, now } = pressed("auto");
    const { commands } = brain.round(h.snap(), now);
    expect(commands.map((c) => c.name)).toEqual(["balancer:apply"]);
    const e = h.store.executeSync("h", commands[0]!, { now, by: "balancer", staffId: null }).event;
    expect(e).toMatchObject({ type: "window:changed", change: "servingChanged", by: "balancer", window: { id: "3", serving: ["B", "A"] } });
    expect(e.type === "window:changed" && e.reason?.en).toContain("Social insurance");
  });

  it("suggest: the change waits for the manager, is not repeated, and approval applies it", async () => {
    const { h, brain, now } = pressed("suggest");
    const { commands } = brain.round(h.snap(), now);
    expect(commands.map((c) => c.name)).toEqual(["balancer:suggest"]);
    h.store.executeSync("h", commands[0]!, { now, by: "balancer", staffId: null });
    const s = h.snap();
    expect(s.windows.find((w) => w.id === "3")!.serving).toEqual(["B"]);
    expect(s.balancer.suggestions).toHaveLength(1);
    expect(s.balancer.suggestions[0]!.reason.zh).toContain("社保业务");
    expect(brain.round(h.snap(), now + 30_000).commands).toEqual([]);
    const approved = h.store.executeSync("h", { name: "balancer:decide", payload: { commandId: "approve-0001", suggestionId: s.balancer.suggestions[0]!.id, approve: true } }, { now: now + MIN, by: "manager", staffId: "m1" }).event;
    expect(approved).toMatchObject({ type: "balancer:suggestionClosed", outcome: "approved", window: { id: "3", serving: ["B", "A"] } });
    const after = h.snap();
    expect(after.balancer.suggestions).toEqual([]);
    expect(after.windows.find((w) => w.id === "3")!.serving).toEqual(["B", "A"]);
  });

  it("with several nodes only the holder of the hall's lock acts", async () => {
    const h = hall("auto");
    for (let i = 0; i < 12; i++) h.issue("A", T0 + i * 1000);
    const clock = new ManualClock(T0 + 20_000);
    const lock = new LocalHallLock(() => clock.now());
    const nodes = [0, 1, 2].map(() => new BalancerRunner({ store: h.store, config: h.config, lock: lock.holder(), clock }));
    const rounds = [];
    for (const n of nodes) rounds.push(await n.tick());
    expect(rounds.filter((r) => r !== null)).toHaveLength(1);
    expect(rounds[0]!.commands.map((c) => c.name)).toEqual(["balancer:apply"]);
    expect(h.snap().windows.find((w) => w.id === "3")!.serving).toEqual(["B", "A"]);
    // Every node measured the hall all the same, and can publish expected waits.
    const summary = await nodes[2]!.summarize(clock.now());
    expect(summary.services.A!.waiting).toBe(12);
    expect((await nodes[1]!.staffing(clock.now())).map((a) => a.serviceId)).toEqual(["A", "B"]);
    // After the holder stops renewing, another node takes over.
    clock.advance(60 * MIN);
    expect(await nodes[1]!.tick()).not.toBeNull();
  });
});
