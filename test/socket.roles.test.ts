import { describe, expect, it } from "vitest";
import type { HallSnapshot, Ticket } from "../protocol/index.js";
import { TOKENS } from "./helpers/hall.js";
import { call, cid, startTestServer, type Client } from "./helpers/server.js";

const seqOf = async (c: Client) => {
  const s = await call<HallSnapshot>(c, "hall:snapshot", {});
  if (!s.ok) throw new Error(s.error.message);
  return s.data.seq;
};

describe("who may do what", async () => {
  const t = await startTestServer();
  const manager = await t.manager();
  const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
  const issue = async (serviceId = "social") => {
    const r = await call(kiosk, "ticket:issue", { commandId: cid(), serviceId });
    if (!r.ok) throw new Error(r.error.message);
    return (r.data as { ticket: Ticket }).ticket;
  };

  it("a hall board can read the hall but never change it", async () => {
    const board = await t.client({ role: "display", deviceToken: TOKENS.board });
    const before = await seqOf(manager);
    const res = await call(board, "ticket:issue", { commandId: cid(), serviceId: "social" });
    expect(res).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect((await call(board, "window:callNext", { commandId: cid(), windowId: "1" })).ok).toBe(false);
    expect(await seqOf(board)).toBe(before);
  });

  it("a tracker follows its own ticket only and cannot act", async () => {
    const mine = await issue();
    const other = await issue();
    const tracker = await t.client({ role: "tracker", ticketId: mine.id });
    expect(await call(tracker, "ticket:get", { ticketId: mine.id })).toMatchObject({ ok: true, data: { id: mine.id } });
    expect(await call(tracker, "ticket:get", { ticketId: other.id })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await call(tracker, "hall:snapshot", {})).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await call(tracker, "ticket:cancel", { commandId: cid(), ticketId: mine.id })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("a tracker with an unknown ticket id is refused at the handshake", async () => {
    await expect(t.client({ role: "tracker", ticketId: "not-a-real-ticket" })).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });

  it("a kiosk issues tickets as kiosk but cannot call them", async () => {
    const ticket = await issue();
    expect(ticket.channel).toBe("kiosk");
    expect(await call(kiosk, "window:callNext", { commandId: cid(), windowId: "1" })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("a counter acts only on the window it signed in to", async () => {
    const counter = await t.counter("alice", "1");
    await issue("medical");
    expect(await call(counter, "window:callNext", { commandId: cid(), windowId: "2" })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await call(counter, "window:setServing", { commandId: cid(), windowId: "1", serving: ["medical"] })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await call(counter, "balancer:setMode", { commandId: cid(), mode: "auto" })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("a rating pad rates only tickets finished at its own window", async () => {
    const pad2 = await t.client({ role: "pad", deviceToken: TOKENS.pad2 });
    const counter = await t.counter("bob", "1");
    await call(counter, "window:callNext", { commandId: cid(), windowId: "1" }).catch(() => undefined);
    const done = await call(counter, "ticket:finish", { commandId: cid(), windowId: "1" });
    expect(done.ok).toBe(true);
    const ticketId = done.ok ? (done.data as { ticket: Ticket }).ticket.id : "";
    expect(await call(pad2, "ticket:rate", { commandId: cid(), windowId: "1", ticketId, rating: 5 })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const pad1 = await t.client({ role: "pad", deviceToken: TOKENS.pad1 });
    expect(await call(pad1, "ticket:rate", { commandId: cid(), windowId: "1", ticketId, rating: 5 })).toMatchObject({ ok: true });
    expect(await call(pad1, "ticket:rate", { commandId: cid(), windowId: "1", ticketId, rating: 1 })).toMatchObject({ ok: false, error: { code: "ALREADY_RATED" } });
  });

  it("a manager can move a window to other qualified services but not unqualified ones", async () => {
    expect(await call(manager, "window:setServing", { commandId: cid(), windowId: "2", serving: ["social", "medical"] })).toMatchObject({ ok: true });
    expect(await call(manager, "window:setServing", { commandId: cid(), windowId: "2", serving: ["estate"] })).toMatchObject({ ok: false, error: { code: "NOT_QUALIFIED" } });
  });

  it("a staff account without the manager role cannot connect as manager", async () => {
    const token = await t.login("alice");
    await expect(t.client({ role: "manager", token })).rejects.toMatchObject({ data: { code: "FORBIDDEN" } });
  });

  it("forged or missing credentials are refused with a code", async () => {
    await expect(t.client({ role: "manager", token: "forged.token" })).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
    await expect(t.client({ role: "kiosk", deviceToken: "wrong-token-0000000" })).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
    await expect(t.client({ role: "kiosk", deviceToken: TOKENS.board })).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
    await expect(t.client({ role: "wizard" })).rejects.toMatchObject({ data: { code: "VALIDATION" } });
    await expect(t.client({ role: "display", deviceToken: TOKENS.board, hallId: "nowhere" })).rejects.toMatchObject({ data: { code: "UNKNOWN_HALL" } });
  });
});
