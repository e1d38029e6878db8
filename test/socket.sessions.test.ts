import { describe, expect, it } from "vitest";
import type { HallError } from "../protocol/index.js";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import { testHall } from "./helpers/hall.js";
import { call, cid, startTestServer, type Client } from "./helpers/server.js";

/** Resolves with what the server said when it closed a staff connection. */
const ended = (socket: Client) =>
  new Promise<{ error: HallError; reason: string }>((resolve) => {
    let error: HallError | null = null;
    socket.on("session:ended", (e) => (error = e));
    socket.once("disconnect", (reason) => resolve({ error: error!, reason }));
  });

describe("one counter per window and one window per staff member", async () => {
  const t = await startTestServer();

  it("a second sign-in at a window closes the first, which is told why", async () => {
    const first = await t.counter("alice", "1");
    const told = ended(first);
    const second = await t.counter("bob", "1");
    expect(await told).toEqual({ error: expect.objectContaining({ code: "SESSION_REPLACED" }), reason: "io server disconnect" });
    expect(second.connected).toBe(true);
  });

  it("a staff member who signs in at another window leaves the first", async () => {
    const atThree = await t.counter("alice", "3");
    const told = ended(atThree);
    const atFour = await t.counter("alice", "4");
    expect((await told).error.code).toBe("SESSION_REPLACED");
    expect((await call(atFour, "window:pause", { commandId: cid(), windowId: "4", reason: "break" })).ok).toBe(true);
  });

  it("managers are not displaced by each other", async () => {
    const a = await t.manager();
    const b = await t.manager();
    expect((await call(a, "hall:snapshot", {})).ok).toBe(true);
    expect((await call(b, "hall:snapshot", {})).ok).toBe(true);
  });
});

describe("a staff session is checked on every command", () => {
  it("past its expiry the next command is refused with SESSION_ENDED and the connection closed", async () => {
    const clock = new ManualClock(instantOf("2026-11-23", "09:00", "Asia/Shanghai"));
    const t = await startTestServer({ clock, sessionHours: 1 });
    const counter = await t.counter("alice", "1");
    expect((await call(counter, "window:pause", { commandId: cid(), windowId: "1", reason: "break" })).ok).toBe(true);
    clock.advance(61 * 60_000);
    const told = ended(counter);
    expect(await call(counter, "window:resume", { commandId: cid(), windowId: "1" })).toMatchObject({ ok: false, error: { code: "SESSION_ENDED" } });
    expect((await told).error.code).toBe("SESSION_ENDED");
  });

  it("an account removed from the hall's staff can no longer act on an open connection", async () => {
    const t = await startTestServer();
    const counter = await t.counter("bob", "2");
    t.server.ctx.halls.set(t.hall.id, testHall({ staff: t.hall.staff.filter((s) => s.id !== "bob") }));
    expect(await call(counter, "window:open", { commandId: cid(), windowId: "2" })).toMatchObject({ ok: false, error: { code: "SESSION_ENDED" } });
  });

  it("a role taken away ends a manager's session", async () => {
    const t = await startTestServer();
    const manager = await t.manager();
    t.server.ctx.halls.set(t.hall.id, testHall({ staff: t.hall.staff.map((s) => (s.id === "boss" ? { ...s, roles: ["counter" as const] } : s)) }));
    expect(await call(manager, "balancer:setMode", { commandId: cid(), mode: "off" })).toMatchObject({ ok: false, error: { code: "SESSION_ENDED" } });
  });
});

describe("signing out", () => {
  it("ends the session on its open connection and refuses its token at the next handshake", async () => {
    const t = await startTestServer();
    const token = await t.login("alice");
    const counter = await t.client({ role: "counter", token, windowId: "1" });
    const out = await fetch(`${t.url}/api/halls/${t.hall.id}/logout`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect(out.ok).toBe(true);
    expect(await call(counter, "window:pause", { commandId: cid(), windowId: "1", reason: "break" })).toMatchObject({ ok: false, error: { code: "SESSION_ENDED" } });
    await expect(t.client({ role: "counter", token, windowId: "1" })).rejects.toMatchObject({ data: { code: "SESSION_ENDED" } });
  });
});
