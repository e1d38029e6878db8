import { describe, expect, it } from "vitest";
import type { HallSnapshot } from "../protocol/index.js";
import { instantOf } from "../server/domain/clock.js";
import type { StoreCommand } from "../server/domain/hall-commands.js";
import { HallConfig } from "../server/domain/config.js";
import { buildQueueSummary, etaFor, forecast, naiveEtaSec, queueSummary } from "../server/domain/eta.js";
import { staticRates } from "../server/domain/rates.js";
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
  const run = (cmd: StoreCommand, at = T0) => store.executeSync("h", { ...cmd, payload: { commandId: `cmd-${String(++n).padStart(6, "0")}`, ...cmd.payload } } as StoreCommand, { now: at, by: "staff", staffId: null, newTicketId: `t${String(n).padStart(4, "0")}` }).event;
  for (const w of windows) run({ name: "window:open", payload: { windowId: w.id } } as StoreCommand);
  const issue = (serviceId: string, at: number, priority = "normal") => (run({ name: "ticket:issue", payload: { serviceId, priority, then: [] } } as never, at) as { ticket: { id: string } }).ticket.id;
  const snap = (): HallSnapshot => store.snapshotSync("h");
  return { config, store, run, issue, snap };
}

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
