import { describe, expect, it } from "vitest";
import { call, cid, nextEvent, startTestServer } from "./helpers/server.js";
import { TOKENS } from "./helpers/hall.js";
import type { HallEvent, HallSnapshot, QueueSummary, Ticket } from "../protocol/index.js";

describe("a visit over Socket.IO", async () => {
  const t = await startTestServer();

  it("a kiosk ticket called at a counter reaches the board live", async () => {
    const board = await t.client({ role: "display", deviceToken: TOKENS.board });
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const counter = await t.counter("alice", "1");

    const issued = await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
    expect(issued.ok).toBe(true);
    const ticket = (issued as { data: { ticket: Ticket } }).data.ticket;
    expect(ticket.number).toBe("A001");
    expect(ticket.channel).toBe("kiosk");

    const seen = nextEvent(board, (e) => e.type === "ticket:called");
    const called = await call(counter, "window:callNext", { commandId: cid(), windowId: "1" });
    expect(called.ok).toBe(true);
    const event = await seen;
    expect(event.type === "ticket:called" && event.ticket.id).toBe(ticket.id);
    expect(event.type === "ticket:called" && event.window.id).toBe("1");
  });

  it("a counter that connects is signed in to its window and the window opens", async () => {
    const manager = await t.manager();
    await t.counter("bob", "2");
    const snap = await call<HallSnapshot>(manager, "hall:snapshot", {});
    const w2 = snap.ok ? snap.data.windows.find((w) => w.id === "2") : undefined;
    expect(w2?.staffId).toBe("bob");
    expect(w2?.state).toBe("open");
  });

  it("a double-pressed call-next does not skip a citizen", async () => {
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const counter = await t.counter("alice", "4");
    await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "medical" });
    await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "medical" });
    const press = cid();
    const [a, b] = await Promise.all([call(counter, "window:callNext", { commandId: press, windowId: "4" }), call(counter, "window:callNext", { commandId: press, windowId: "4" })]);
    expect(a).toEqual(b);
    const snap = await call<HallSnapshot>(counter, "hall:snapshot", {});
    const waiting = snap.ok ? snap.data.tickets.filter((x) => x.serviceId === "medical" && x.state === "waiting") : [];
    expect(waiting).toHaveLength(1);
  });

  it("the tracker of a ticket sees it called with its window", async () => {
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const res = await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "estate" });
    const ticket = (res as { data: { ticket: Ticket } }).data.ticket;
    const tracker = await t.client({ role: "tracker", ticketId: ticket.id });
    const counter = await t.counter("bob", "3");
    const seen = nextEvent(tracker, (e) => e.type === "ticket:called");
    await call(counter, "window:callNext", { commandId: cid(), windowId: "3" });
    const e = await seen;
    expect(e.type === "ticket:called" && e.window.label.zh).toBe("3号窗口");
  });

  it("a snapshot's seq matches the last event a board received", async () => {
    const board = await t.client({ role: "display", deviceToken: TOKENS.board });
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const seen = nextEvent(board, (e) => e.type === "ticket:issued");
    await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
    const e = await seen;
    const snap = await call<HallSnapshot>(board, "hall:snapshot", {});
    expect(snap.ok && snap.data.seq).toBe(e.seq);
  });
});

describe("a window's LED strip", async () => {
  const t = await startTestServer({ queueSummaryMs: 20 });

  it("gets the events of its own window only, and no expected waits", async () => {
    const events: HallEvent[] = [];
    const summaries: QueueSummary[] = [];
    await t.client({ role: "display", deviceToken: TOKENS.strip1 }, (c) => {
      c.on("hall:event", (e) => events.push(e));
      c.on("hall:queue", (q) => summaries.push(q));
    });
    const board = await t.client({ role: "display", deviceToken: TOKENS.board });
    const boardSummary = new Promise((resolve) => board.once("hall:queue", resolve));
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    await t.counter("bob", "2");
    const counter = await t.counter("alice", "1");
    await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
    const onBoard = nextEvent(board, (e) => e.type === "ticket:called");
    await call(counter, "window:callNext", { commandId: cid(), windowId: "1" });
    const called = await onBoard;
    await boardSummary;
    await new Promise((r) => setTimeout(r, 100));

    expect(events.map((e) => e.seq)).toContain(called.seq);
    expect(events.every((e) => "window" in e && e.window?.id === "1")).toBe(true);
    expect(summaries).toEqual([]);
  });
});

describe("a counter's feed", async () => {
  const t = await startTestServer({ queueSummaryMs: 20 });
  const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
  const issue = async (serviceId: string) => {
    const r = await call<{ ticket: Ticket }>(kiosk, "ticket:issue", { commandId: cid(), serviceId });
    if (!r.ok) throw new Error(r.error.message);
    return r.data.ticket;
  };

  it("gets its own window's events and the hall's parked tickets, not the other windows' calls", async () => {
    const events: HallEvent[] = [];
    let summary: QueueSummary | null = null;
    const alice = await t.client({ role: "counter", token: await t.login("alice"), windowId: "1" }, (c) => {
      c.on("hall:event", (e) => events.push(e));
      c.once("hall:queue", (q) => (summary = q));
    });
    const bob = await t.counter("bob", "2");
    const medical = await issue("medical");
    const social = await issue("social");
    await call(bob, "window:callNext", { commandId: cid(), windowId: "2" });
    await call(bob, "ticket:park", { commandId: cid(), windowId: "2", reason: "缺材料", missingDocs: ["身份证复印件"] });
    // Events reach one socket in order: once its own call arrives, anything sent before has too.
    const own = nextEvent(alice, (e) => e.type === "ticket:called");
    await call(alice, "window:callNext", { commandId: cid(), windowId: "1" });
    await own;

    const seen = events.map((e) => `${e.type} ${"ticket" in e ? e.ticket.number : ""}`);
    expect(seen).toContain(`ticket:parked ${medical.number}`);
    expect(seen).toContain(`ticket:called ${social.number}`);
    expect(seen).not.toContain(`ticket:called ${medical.number}`);
    expect(seen.filter((x) => x.startsWith("ticket:issued"))).toEqual([]);
    expect(summary).toMatchObject({ hallId: t.hall.id, services: { social: expect.any(Object) } });
  });

  it("hears the rating a citizen gives the ticket it served, and another counter does not", async () => {
    const ticket = await issue("medical");
    const bob = await t.counter("bob", "2");
    const other = await t.counter("alice", "4");
    const elsewhere: HallEvent[] = [];
    other.on("hall:event", (e) => elsewhere.push(e));
    const pad = await t.client({ role: "pad", deviceToken: TOKENS.pad2 });
    await call(bob, "window:callNext", { commandId: cid(), windowId: "2" });
    await call(bob, "ticket:finish", { commandId: cid(), windowId: "2" });
    const rated = nextEvent(bob, (e) => e.type === "ticket:rated");
    expect(await call(pad, "ticket:rate", { commandId: cid(), windowId: "2", ticketId: ticket.id, rating: 5 })).toMatchObject({ ok: true });
    expect(await rated).toMatchObject({ ticket: { id: ticket.id, rating: 5 } });
    expect(elsewhere.filter((e) => e.type === "ticket:rated")).toEqual([]);
  });
});
