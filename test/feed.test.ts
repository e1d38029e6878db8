import { describe, expect, it } from "vitest";
import { HallFeed } from "../protocol/feed.js";
import { emptyStats, type HallEvent, type HallSnapshot } from "../protocol/index.js";

const snapshot = (seq: number): HallSnapshot => ({
  hallId: "h",
  name: { zh: "厅", en: "Hall" },
  timezone: "Asia/Shanghai",
  seq,
  businessDate: "2026-11-23",
  at: 0,
  services: [],
  priorityClasses: [],
  windows: [],
  tickets: [],
  recentCalls: [],
  stats: emptyStats(),
  balancer: { mode: "off", suggestions: [] },
});
const ev = (seq: number): HallEvent => ({ type: "balancer:modeChanged", hallId: "h", seq, at: seq, mode: "auto" });

describe("a screen's hall feed", () => {
  it("applies events in order", () => {
    const f = new HallFeed();
    f.reset(snapshot(0), 0);
    expect(f.push(ev(1), 0).map((e) => e.seq)).toEqual([1]);
    expect(f.push(ev(2), 0).map((e) => e.seq)).toEqual([2]);
    expect(f.snapshot!.seq).toBe(2);
  });

  it("waits for a late event instead of resyncing", () => {
    const f = new HallFeed(1000);
    f.reset(snapshot(0), 0);
    expect(f.push(ev(2), 0)).toEqual([]);
    expect(f.needsResync(500)).toBe(false);
    expect(f.push(ev(1), 600).map((e) => e.seq)).toEqual([1, 2]);
    expect(f.needsResync(5000)).toBe(false);
    expect(f.gaps).toBe(0);
  });

  it("asks for a snapshot when a missing event never comes", () => {
    const f = new HallFeed(1000);
    f.reset(snapshot(0), 0);
    f.push(ev(3), 0);
    expect(f.needsResync(1000)).toBe(true);
    expect(f.gaps).toBe(1);
    f.reset(snapshot(3), 1100);
    expect(f.status).toBe("live");
    expect(f.push(ev(4), 1200).map((e) => e.seq)).toEqual([4]);
  });

  it("ignores events the snapshot already holds", () => {
    const f = new HallFeed();
    f.reset(snapshot(5), 0);
    expect(f.push(ev(4), 0)).toEqual([]);
    expect(f.push(ev(5), 0)).toEqual([]);
    expect(f.snapshot!.seq).toBe(5);
  });

  it("keeps events that arrive before the first snapshot", () => {
    const f = new HallFeed();
    f.push(ev(6), 0);
    f.push(ev(7), 0);
    expect(f.reset(snapshot(5), 0).map((e) => e.seq)).toEqual([6, 7]);
  });
});

describe("a new business day", () => {
  it("makes the feed ask for a fresh snapshot", () => {
    const f = new HallFeed();
    f.reset(snapshot(3), 0);
    f.push({ type: "hall:dayStarted", hallId: "h", seq: 4, at: 4, businessDate: "2026-11-24" }, 0);
    expect(f.status).toBe("resyncing");
  });
});
