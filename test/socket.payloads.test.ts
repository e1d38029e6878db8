import { describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import type { HallSnapshot } from "../protocol/index.js";
import { TOKENS } from "./helpers/hall.js";
import { call, cid, startTestServer } from "./helpers/server.js";

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
