/**
 * Staff credentials over REST: what a session token must look like, who may read the hall
 * snapshot, signing out, and sign-in that does not tell which staff ids exist.
 */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { HallSnapshot } from "../protocol/index.js";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import { authenticateStaff, currentStaff, DUMMY_PASSWORD_HASH, SessionSigner, verifyPassword, type StaffSession } from "../server/transport/auth.js";
import { PASSWORD, TOKENS, testHall } from "./helpers/hall.js";
import { startTestServer } from "./helpers/server.js";

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as StaffSession;

describe("session tokens", () => {
  const signer = new SessionSigner("test-secret-0123456789");
  const now = Date.parse("2026-11-23T02:00:00Z");
  const token = signer.sign({ hallId: "t1", staffId: "alice", roles: ["counter"], exp: now + 3600_000 });

  it("a token is exactly its claims and its signature: anything added to it is refused", () => {
    expect(signer.verify(token, now)).toMatchObject({ staffId: "alice" });
    for (const bad of [`${token}.anything`, `${token}.`, `.${token}`, `${token} `, ` ${token}`, `${token}\n`, token.replace(".", ".."), `${token}=`, `x.${token}`]) {
      expect(signer.verify(bad, now), bad).toBeNull();
    }
  });

  it("a token signed with another secret, altered, or expired is refused", () => {
    const [body, mac] = token.split(".") as [string, string];
    expect(new SessionSigner("another-secret-0123456789").verify(token, now)).toBeNull();
    expect(signer.verify(`${body}.${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`, now)).toBeNull();
    expect(signer.verify(token, now + 3600_000)).toBeNull();
  });

  it("a correctly signed token whose claims are not a session is refused", () => {
    const mac = (body: string) => createHmac("sha256", "test-secret-0123456789").update(body).digest("base64url");
    for (const claims of [{ hallId: "t1", staffId: "alice", roles: ["counter"], exp: now + 3600_000 }, { hallId: "t1", staffId: "alice", roles: ["root"], exp: now + 3600_000, sid: "s".repeat(22) }, "just a string"]) {
      const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
      expect(signer.verify(`${body}.${mac(body)}`, now)).toBeNull();
    }
  });

  it("every sign-in gets its own random session id", () => {
    const again = signer.sign({ hallId: "t1", staffId: "alice", roles: ["counter"], exp: now + 3600_000 });
    const [a, b] = [claimsOf(token).sid, claimsOf(again).sid];
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(b).not.toBe(a);
  });
});

describe("currentStaff: whether a token's staff member still holds in the hall", () => {
  const hall = testHall();
  const now = Date.parse("2026-11-23T02:00:00Z");
  const session: StaffSession = { hallId: "t1", staffId: "boss", roles: ["manager", "counter"], exp: now + 60_000, sid: "s".repeat(22) };

  it("a listed staff member with the token's roles, before expiry, holds", () => {
    expect(currentStaff(hall, session, now)).toEqual({ ok: true, staff: hall.staff.find((s) => s.id === "boss") });
  });

  it("an expired token, another hall's, a removed account or a removed role ends the session", () => {
    const ended = { ok: false, code: "SESSION_ENDED", message: expect.any(String) };
    expect(currentStaff(hall, session, now + 60_000)).toEqual(ended);
    expect(currentStaff(testHall({ id: "t2" }), session, now)).toEqual(ended);
    expect(currentStaff(testHall({ staff: hall.staff.filter((s) => s.id !== "boss") }), session, now)).toEqual(ended);
    expect(currentStaff(testHall({ staff: hall.staff.map((s) => (s.id === "boss" ? { ...s, roles: ["counter" as const] } : s)) }), session, now)).toEqual(ended);
  });
});

describe("signing in does not tell which staff ids exist", () => {
  const hall = testHall();

  it("an unknown staff id is checked with one scrypt, like a known one", async () => {
    const checked: string[] = [];
    const counting = (password: string, stored: string) => (checked.push(stored), verifyPassword(password, stored));
    expect(await authenticateStaff(hall, "nobody", PASSWORD, counting)).toBeNull();
    expect(checked).toEqual([DUMMY_PASSWORD_HASH]);
    expect(await authenticateStaff(hall, "alice", "wrong", counting)).toBeNull();
    expect(await authenticateStaff(hall, "alice", PASSWORD, counting)).toMatchObject({ id: "alice" });
    expect(checked).toHaveLength(3);
    expect(checked[1]).toBe(hall.staff[0]!.passwordHash);
    // The dummy costs what a real hash costs: same parameters, same key length.
    expect(Buffer.from(DUMMY_PASSWORD_HASH.split("$")[2]!, "base64")).toHaveLength(Buffer.from(hall.staff[0]!.passwordHash.split("$")[2]!, "base64").length);
    expect(await verifyPassword(PASSWORD, DUMMY_PASSWORD_HASH)).toBe(false);
  });

  it("a wrong password for an unknown id takes about as long over REST as for a known id", async () => {
    const t = await startTestServer();
    const timed = async (staffId: string) => {
      const start = performance.now();
      const res = await fetch(`${t.url}/api/halls/t1/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ staffId, password: "wrong-password" }) });
      expect(res.status).toBe(401);
      return performance.now() - start;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const known: number[] = [];
    const unknown: number[] = [];
    // Alternating, and within the failure limits (bob and ghost-1..7: seven failures each at most).
    for (let i = 0; i < 7; i++) {
      known.push(await timed("bob"));
      unknown.push(await timed(`ghost-${i}`));
    }
    expect(median(unknown) / median(known)).toBeGreaterThan(0.5);
  });
});

describe("the hall snapshot", async () => {
  const t = await startTestServer({ halls: [testHall(), testHall({ id: "t2" })] });
  const snapshot = (authorization?: string, hallId = "t1") => fetch(`${t.url}/api/halls/${hallId}/snapshot`, { headers: authorization ? { authorization } : {} });
  const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

  it("is given to the hall's signed-in staff and to its devices", async () => {
    for (const auth of [`Bearer ${await t.login("alice")}`, `Bearer ${await t.login("boss")}`, `Device ${TOKENS.board}`, `Device ${TOKENS.pad1}`, `device ${TOKENS.kiosk}`]) {
      const res = await snapshot(auth);
      expect(res.status, auth).toBe(200);
      expect(((await res.json()) as HallSnapshot).hallId).toBe("t1");
    }
  });

  it("is refused with 401 to anyone else, who learns how to authenticate", async () => {
    const token = await t.login("alice");
    for (const auth of [undefined, "Bearer", "Bearer nonsense", `Bearer ${token}.x`, `Basic ${Buffer.from("alice:test-password").toString("base64")}`, "Device unknown-device-token-01", `Device ${token}`, `Bearer ${TOKENS.board}`]) {
      const res = await snapshot(auth);
      expect(res.status, auth).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
      expect(await codeOf(res)).toBe("UNAUTHORIZED");
    }
  });

  it("is refused with 403 to another hall's staff", async () => {
    const other = await (await fetch(`${t.url}/api/halls/t2/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ staffId: "alice", password: PASSWORD }) })).json();
    const res = await snapshot(`Bearer ${(other as { token: string }).token}`);
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe("FORBIDDEN");
  });

  it("is refused once the staff member's account is removed from the hall", async () => {
    const token = await t.login("bob");
    expect((await snapshot(`Bearer ${token}`)).status).toBe(200);
    const hall = t.server.ctx.halls.get("t1")!;
    t.server.ctx.halls.set("t1", testHall({ staff: hall.staff.filter((s) => s.id !== "bob") }));
    try {
      const res = await snapshot(`Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(await codeOf(res)).toBe("SESSION_ENDED");
    } finally {
      t.server.ctx.halls.set("t1", hall);
    }
  });
});

describe("signing out", async () => {
  const clock = new ManualClock(instantOf("2026-11-23", "09:00", "Asia/Shanghai"));
  const t = await startTestServer({ clock, sessionHours: 1 });
  const logout = (token: string) => fetch(`${t.url}/api/halls/t1/logout`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  const get = (path: string, token: string) => fetch(`${t.url}/api/halls/t1/${path}`, { headers: { authorization: `Bearer ${token}` } });

  it("ends the session for the snapshot and the staffing advice, and only that session", async () => {
    const token = await t.login("boss");
    const other = await t.login("boss");
    expect((await get("staffing", token)).status).toBe(200);
    expect((await logout(token)).status).toBe(204);
    for (const path of ["snapshot", "staffing"]) {
      const res = await get(path, token);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("SESSION_ENDED");
    }
    expect((await get("staffing", other)).status).toBe(200);
    expect(await t.server.ctx.sessions.isRevoked(claimsOf(token).sid)).toBe(true);
  });

  it("is harmless to repeat, and needs a valid token of the hall", async () => {
    const token = await t.login("alice");
    expect((await logout(token)).status).toBe(204);
    expect((await logout(token)).status).toBe(204);
    const res = await logout(`${token}x`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ ok: false, error: { code: "UNAUTHORIZED", message: expect.any(String) } });
  });

  it("is remembered only until the token would have expired anyway", async () => {
    const token = await t.login("alice");
    await logout(token);
    expect(await t.server.ctx.sessions.isRevoked(claimsOf(token).sid)).toBe(true);
    clock.advance(3600_000);
    expect(await t.server.ctx.sessions.isRevoked(claimsOf(token).sid)).toBe(false);
    expect((await get("snapshot", token)).status).toBe(401);
  });
});

describe("public routes", async () => {
  const t = await startTestServer();

  it("name no tickets, staff or device tokens of a real hall", async () => {
    const issued = (await (await fetch(`${t.url}/api/halls/t1/tickets`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ commandId: "public-routes-0001", serviceId: "social", deviceId: "public-routes-phone-01" }) })).json()) as { ticket: { id: string } };
    await t.counter("alice", "1");
    for (const path of ["/api/halls", "/api/halls/t1/info"]) {
      const text = await (await fetch(`${t.url}${path}`)).text();
      expect(text).not.toContain(issued.ticket.id);
      for (const s of t.hall.staff) expect(text).not.toContain(`"${s.id}"`);
      for (const d of t.hall.devices) expect(text).not.toContain(d.token);
      expect(text).not.toContain("passwordHash");
    }
  });
});
