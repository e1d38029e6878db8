import { describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import type { HallSnapshot } from "../protocol/index.js";
import { TOKENS } from "./helpers/hall.js";
import { call, cid, nextEvent, startTestServer } from "./helpers/server.js";

describe("bad input changes nothing and never crashes the server", async () => {
  const t = await startTestServer();
  const manager = await t.manager();
  const seq = async () => {
    const s = await call<HallSnapshot>(manager, "hall:snapshot", {});
    return s.ok ? s.data.seq : -1;
  };

  const bad: [string, unknown][] = [
    ["ticket:issue", null],
    ["ticket:issue", "social"],
    ["ticket:issue", { serviceId: "social" }],
    ["ticket:issue", { commandId: cid(), serviceId: 42 }],
    ["ticket:issue", { commandId: cid(), serviceId: "social", priority: "x".repeat(500) }],
    ["ticket:issue", { commandId: cid(), serviceId: "../../etc" }],
    ["window:callNext", { commandId: cid() }],
    ["window:setServing", { commandId: cid(), windowId: "1", serving: [] }],
    ["ticket:park", { commandId: cid(), windowId: "1", reason: "" }],
    ["ticket:rate", { commandId: cid(), windowId: "1", ticketId: "x", rating: 6 }],
    ["ticket:transfer", { commandId: cid(), windowId: "1" }],
    ["balancer:setMode", { commandId: cid(), mode: "chaos" }],
  ];

  it.each(bad)("%s with a malformed payload is refused with VALIDATION", async (event, payload) => {
    const before = await seq();
    const res = await call(manager, event, payload);
    expect(res).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
    expect(await seq()).toBe(before);
  });

  it("unknown services, windows and tickets are refused with their own codes", async () => {
    expect(await call(manager, "ticket:issue", { commandId: cid(), serviceId: "nope" })).toMatchObject({ ok: false, error: { code: "UNKNOWN_SERVICE" } });
    expect(await call(manager, "window:open", { commandId: cid(), windowId: "99" })).toMatchObject({ ok: false, error: { code: "UNKNOWN_WINDOW" } });
    expect(await call(manager, "ticket:resume", { commandId: cid(), ticketId: "nope" })).toMatchObject({ ok: false, error: { code: "UNKNOWN_TICKET" } });
    expect(await call(manager, "ticket:issue", { commandId: cid(), serviceId: "social", priority: "vip" })).toMatchObject({ ok: false, error: { code: "UNKNOWN_PRIORITY" } });
  });

  it("commands without an ack callback, unknown events and binary junk leave the server running", async () => {
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const raw = kiosk as unknown as Socket;
    raw.emit("ticket:issue", { commandId: cid(), serviceId: "social" });
    raw.emit("ticket:issue");
    raw.emit("no:such:event", { a: 1 }, () => {});
    raw.emit("hall:snapshot", Buffer.from([1, 2, 3]), () => {});
    raw.emit("ticket:issue", { commandId: cid(), serviceId: "social", then: new Array(1000).fill("social") }, () => {});
    const res = await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
    expect(res.ok).toBe(true);
  });

  it("a command sent with an extra argument before its ack is refused and calls nobody", async () => {
    const counter = await t.counter("alice", "1");
    await call(counter, "window:open", { commandId: cid(), windowId: "1" });
    await call(manager, "ticket:issue", { commandId: cid(), serviceId: "social" });
    const before = await seq();
    const res = await (counter as unknown as Socket).timeout(5000).emitWithAck("window:callNext", { commandId: cid(), windowId: "1" }, -1);
    expect(res).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
    expect(await seq()).toBe(before);
  });

  it("a snapshot asked for with only an ack callback is answered", async () => {
    const res = (await (manager as unknown as Socket).timeout(5000).emitWithAck("hall:snapshot")) as { ok: boolean; data?: HallSnapshot };
    expect(res.ok).toBe(true);
    expect(res.data?.hallId).toBe(t.hall.id);
  });

  it("a command without an ack callback is not carried out, since it cannot be answered", async () => {
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const before = await seq();
    (kiosk as unknown as Socket).emit("ticket:issue", { commandId: cid(), serviceId: "social" });
    // A later call on the same connection is handled after the first: by then it would have committed.
    expect((await call(kiosk, "ticket:get", { ticketId: "none" })).ok).toBe(false);
    expect(await seq()).toBe(before);
  });

  it("a payload over the size limit drops only that connection", async () => {
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const closed = new Promise((resolve) => kiosk.once("disconnect", resolve));
    (kiosk as unknown as Socket).emit("ticket:issue", { commandId: cid(), serviceId: "x".repeat(200_000) });
    await closed;
    expect((await call(manager, "hall:snapshot", {})).ok).toBe(true);
  });
});

describe("free text is one plain line: a reason cannot reorder or break what a board shows", async () => {
  const t = await startTestServer();
  const manager = await t.manager();
  const board = await t.client({ role: "display", deviceToken: TOKENS.board });
  const counter = await t.counter("alice", "1");
  const seq = async () => {
    const s = await call<HallSnapshot>(manager, "hall:snapshot", {});
    return s.ok ? s.data.seq : -1;
  };
  const calledAtWindow1 = async () => {
    expect((await call(manager, "ticket:issue", { commandId: cid(), serviceId: "social" })).ok).toBe(true);
    expect((await call(counter, "window:callNext", { commandId: cid(), windowId: "1" })).ok).toBe(true);
  };

  it("a park reason with a right-to-left override and control characters arrives stripped on the event", async () => {
    await calledAtWindow1();
    const seen = nextEvent(board, (e) => e.type === "ticket:parked");
    const res = await call(counter, "ticket:park", {
      commandId: cid(),
      windowId: "1",
      reason: " \u202E缺少\u0000材料\u0007\r\n请补齐\u2066原件\u2069\u200F\t",
      missingDocs: ["\u202D身份证\u202C", "户口本\u0085", "\u061Cproof\u009Bof\u200Eaddress"],
    });
    expect(res.ok).toBe(true);
    const event = await seen;
    expect(event).toMatchObject({ type: "ticket:parked", ticket: { parkReason: "缺少材料 请补齐原件", missingDocs: ["身份证", "户口本", "proofofaddress"] } });
    expect(res).toMatchObject({ ok: true, data: { ticket: { parkReason: "缺少材料 请补齐原件" } } });
  });

  it("a park reason made only of control and bidi characters is refused, and so is such a missing document", async () => {
    await calledAtWindow1();
    const before = await seq();
    const hiddenOnly = "\u202E\u202A\u2066\u2069\u200E\u200F\u061C\u0000\u001B\u007F\u0085\u009F\n\r\t \u200B\uFEFF";
    expect(await call(counter, "ticket:park", { commandId: cid(), windowId: "1", reason: hiddenOnly })).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
    expect(await call(counter, "ticket:park", { commandId: cid(), windowId: "1", reason: "材料不全", missingDocs: ["身份证", "\u202E\u0000"] })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION" },
    });
    expect(await seq()).toBe(before);
    expect((await call(counter, "ticket:finish", { commandId: cid(), windowId: "1" })).ok).toBe(true);
  });

  it("a pause reason is stripped the same way, and its 200-character limit counts what a screen shows", async () => {
    const shown = "午休".repeat(100);
    const paused = await call(counter, "window:pause", { commandId: cid(), windowId: "1", reason: `\u202E${shown}\u2069\n` });
    expect(paused).toMatchObject({ ok: true, data: { type: "window:changed", window: { pauseReason: shown } } });
    expect((await call(counter, "window:resume", { commandId: cid(), windowId: "1" })).ok).toBe(true);
    expect(await call(counter, "window:pause", { commandId: cid(), windowId: "1", reason: `${shown}!` })).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
  });
});
