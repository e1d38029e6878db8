import { describe, expect, it } from "vitest";
import { HallFeed, WindowFeed } from "../protocol/feed.js";
import { emptyStats, type HallEvent, type HallSnapshot, type Ticket, type Window } from "../protocol/index.js";
import { snapshotAt, ticketWith, windowWith } from "./helpers/entities.js";

const snapshot = (seq: number): HallSnapshot => snapshotAt(seq);
const ev = (seq: number): HallEvent => ({ type: "balancer:modeChanged", hallId: "h", seq, epoch: "2026-11-23.0", at: seq, mode: "auto" });

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

  it("resyncs when an event of another epoch comes at or below its seq: the hall's log went back (a restored store)", () => {
    const f = new HallFeed();
    f.reset(snapshot(10), 0);
    expect(f.push({ ...ev(8), epoch: "2026-11-23.1" }, 0)).toEqual([]);
    expect(f.status).toBe("resyncing");
    f.reset({ ...snapshot(8), epoch: "2026-11-23.1" }, 0);
    expect(f.push({ ...ev(9), epoch: "2026-11-23.1" }, 0).map((e) => e.seq)).toEqual([9]);
  });

  it("resyncs when the next event belongs to another epoch", () => {
    const f = new HallFeed();
    f.reset(snapshot(10), 0);
    expect(f.push({ ...ev(11), epoch: "2026-11-23.1" }, 0)).toEqual([]);
    expect(f.status).toBe("resyncing");
  });

  it("drops what it held of the old log when the fresh snapshot is of another epoch", () => {
    const f = new HallFeed(1000);
    f.reset(snapshot(10), 0);
    f.push(ev(14), 0);
    f.push({ ...ev(3), epoch: "2026-11-23.1" }, 0);
    expect(f.reset({ ...snapshot(3), epoch: "2026-11-23.1" }, 0)).toEqual([]);
    expect(f.needsResync(5000)).toBe(false);
    expect(f.status).toBe("live");
  });
});

describe("a new business day", () => {
  it("is applied like any event: the date and figures restart, the feed stays live", () => {
    const f = new HallFeed();
    f.reset({ ...snapshot(3), stats: { ...emptyStats(), issued: { s: 7 } } }, 0);
    expect(f.push({ type: "hall:dayStarted", hallId: "h", seq: 4, epoch: "2026-11-24.0", at: 4, businessDate: "2026-11-24" }, 0).map((e) => e.seq)).toEqual([4]);
    expect(f.status).toBe("live");
    expect(f.snapshot).toMatchObject({ seq: 4, businessDate: "2026-11-24", stats: { issued: {} } });
  });
});

describe("a window's own feed (LED strip, rating pad, counter)", () => {
  const win = (id: string, ticketId: string | null, rev = 0): Window => windowWith(id, { ticketId, rev });
  const ticket = (id: string, state: Ticket["state"]): Ticket => ticketWith(id, { state, calledAt: state === "called" ? 1 : null, endedAt: state === "finished" ? 2 : null });
  const start = () => ({ ...snapshot(10), windows: [win("1", null), win("2", null)] });
  const called = (seq: number, id: string, rev = 0, epoch = "2026-11-23.0"): HallEvent => ({ type: "ticket:called", hallId: "h", seq, epoch, at: seq, ticket: ticket(id, "called"), window: win("1", id, rev), recall: false, waitSec: 0, chosen: null });

  it("applies its window's events across the hall's other seqs, without waiting for them", () => {
    const f = new WindowFeed("1");
    f.reset(start(), 0);
    expect(f.push(called(15, "a"), 0).map((e) => e.seq)).toEqual([15]);
    expect(f.needsResync(10_000)).toBe(false);
    const s = f.snapshot!;
    expect(s.windows.find((w) => w.id === "1")!.ticketId).toBe("a");
    expect(s.tickets.map((t) => t.id)).toEqual(["a"]);
  });

  it("keeps the newest state when an older event arrives late", () => {
    const f = new WindowFeed("1");
    f.reset(start(), 0);
    f.push(called(20, "b"), 0);
    expect(f.push(called(15, "a"), 0)).toEqual([]);
    expect(f.snapshot!.windows.find((w) => w.id === "1")!.ticketId).toBe("b");
  });

  it("drops a ticket once it has ended", () => {
    const f = new WindowFeed("1");
    f.reset(start(), 0);
    f.push(called(11, "a"), 0);
    f.push({ type: "ticket:finished", hallId: "h", seq: 12, epoch: "2026-11-23.0", at: 12, ticket: ticket("a", "finished"), window: win("1", null), serviceId: "s", serviceSec: 60 }, 0);
    expect(f.snapshot!.tickets).toEqual([]);
    expect(f.snapshot!.windows.find((w) => w.id === "1")!.ticketId).toBeNull();
  });

  it("holds events that come before its first snapshot and applies the newer ones", () => {
    const f = new WindowFeed("1");
    expect(f.push(called(9, "old"), 0)).toEqual([]);
    expect(f.push(called(12, "a"), 0)).toEqual([]);
    expect(f.reset(start(), 0).map((e) => e.seq)).toEqual([12]);
    expect(f.snapshot!.windows.find((w) => w.id === "1")!.ticketId).toBe("a");
  });

  it("shows a parked ticket whose event came late, behind a newer event of the window", () => {
    const f = new WindowFeed("1");
    f.reset(start(), 0);
    f.push(called(20, "b"), 0);
    const parked: HallEvent = { type: "ticket:parked", hallId: "h", seq: 15, epoch: "2026-11-23.0", at: 15, ticket: ticket("p", "parked"), window: win("1", null) };
    expect(f.push(parked, 0)).toEqual([]);
    expect(f.snapshot!.tickets.find((t) => t.id === "p")?.state).toBe("parked");
    expect(f.snapshot!.windows.find((w) => w.id === "1")!.ticketId).toBe("b");
  });

  it("counts the staff member's finished tickets once, however often an event arrives", () => {
    const f = new WindowFeed("1");
    f.reset(start(), 0);
    const finished: HallEvent = { type: "ticket:finished", hallId: "h", seq: 12, epoch: "2026-11-23.0", at: 12, ticket: ticket("a", "finished"), window: win("1", null), serviceId: "s", serviceSec: 60 };
    f.push(called(11, "a"), 0);
    f.push(finished, 0);
    f.push(finished, 0);
    expect(f.snapshot!.stats.byStaff.a).toEqual({ served: 1, serviceSecSum: 60, ratings: [0, 0, 0, 0, 0] });
  });

  it("asks for a fresh snapshot when a new business day starts", () => {
    const f = new WindowFeed("1");
    f.reset(start(), 0);
    f.push({ type: "hall:dayStarted", hallId: "h", seq: 11, epoch: "2026-11-24.0", at: 11, businessDate: "2026-11-24" }, 0);
    expect(f.status).toBe("resyncing");
  });

  it("a skipped revision of its window is a missed event: it waits a moment for it, then resyncs", () => {
    const f = new WindowFeed("1", 1000);
    f.reset(start(), 0);
    f.push(called(11, "a", 1), 0);
    expect(f.push(called(14, "b", 3), 100).map((e) => e.seq)).toEqual([14]);
    expect(f.needsResync(1000)).toBe(false);
    expect(f.needsResync(1100)).toBe(true);
    expect(f.status).toBe("resyncing");
    expect(f.gaps).toBe(1);
  });

  it("a skipped revision whose event arrives late is no reason to resync", () => {
    const f = new WindowFeed("1", 1000);
    f.reset(start(), 0);
    f.push(called(11, "a", 1), 0);
    f.push(called(14, "b", 3), 0);
    f.push({ type: "ticket:started", hallId: "h", seq: 12, epoch: "2026-11-23.0", at: 12, ticket: ticket("a", "serving"), window: win("1", "a", 2) }, 500);
    expect(f.needsResync(5000)).toBe(false);
    expect(f.snapshot!.windows.find((w) => w.id === "1")!.ticketId).toBe("b");
  });

  it("counts revisions on from the snapshot's: the window's next event after a resync is no gap", () => {
    const f = new WindowFeed("1", 0);
    f.reset({ ...start(), windows: [win("1", null, 5), win("2", null)] }, 0);
    f.push(called(11, "a", 6), 0);
    expect(f.needsResync(0)).toBe(false);
  });

  it("follows only its own window's revisions: the other windows' events a counter's parked list brings skip by design", () => {
    const f = new WindowFeed("1", 0);
    f.reset(start(), 0);
    const parked: HallEvent = { type: "ticket:parked", hallId: "h", seq: 11, epoch: "2026-11-23.0", at: 11, ticket: ticket("p", "parked"), window: win("2", null, 7) };
    expect(f.push(parked, 0).map((e) => e.seq)).toEqual([11]);
    expect(f.needsResync(0)).toBe(false);
  });

  it("resyncs at once on an event of another epoch (the hall's log went back)", () => {
    const f = new WindowFeed("1");
    f.reset(start(), 0);
    expect(f.push(called(4, "a", 1, "2026-11-23.1"), 0)).toEqual([]);
    expect(f.status).toBe("resyncing");
    expect(f.reset({ ...start(), seq: 4, epoch: "2026-11-23.1" }, 0)).toEqual([]);
    expect(f.push(called(5, "b", 1, "2026-11-23.1"), 0).map((e) => e.seq)).toEqual([5]);
  });
});
