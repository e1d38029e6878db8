/**
 * Staff sign-in under attack: guessing one account's password, guessing across accounts, and a
 * flood of attempts from one address are each cut off with 429, while colleagues keep signing in.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../server/transport/rate-limit.js";
import { PASSWORD } from "./helpers/hall.js";
import { startTestServer } from "./helpers/server.js";

function signIn(url: string) {
  return (staffId: string, password: string, from = "192.0.2.1") =>
    fetch(`${url}/api/halls/t1/login`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": from }, body: JSON.stringify({ staffId, password }) });
}

describe("guessing one staff member's password", async () => {
  const t = await startTestServer({ trustProxy: "loopback" });
  const login = signIn(t.url);
  const LIMIT = DEFAULT_LIMITS.loginFailuresPerAccountPer15Min;

  it(`is cut off after ${LIMIT} failures, even when the next guess is right`, async () => {
    const statuses = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await login("alice", `guess-${i}`)).status);
    expect(statuses).toEqual(Array<number>(LIMIT).fill(401));
    const blocked = await login("alice", PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(await blocked.json()).toEqual({ ok: false, error: { code: "RATE_LIMITED", message: expect.any(String) } });
  });

  it("leaves the same account usable from another address, and colleagues from the same one", async () => {
    expect((await login("alice", PASSWORD, "192.0.2.2")).status).toBe(200);
    expect((await login("bob", PASSWORD)).status).toBe(200);
  });

  it("is cut off as surely when the guesses are sent all at once", async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login("bob", `burst-${i}`, "192.0.2.3")));
    expect(answers.filter((r) => r.status === 401)).toHaveLength(LIMIT);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(40 - LIMIT);
  });

  it("a staff member's own typos are forgiven by a correct sign-in", async () => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < LIMIT - 1; i++) expect((await login("boss", "typo", "192.0.2.4")).status).toBe(401);
      expect((await login("boss", PASSWORD, "192.0.2.4")).status).toBe(200);
    }
  });
});

describe("guessing across accounts from one address", async () => {
  const t = await startTestServer({ trustProxy: "loopback", limits: { loginFailuresPerAddressPerHour: 4 } });
  const login = signIn(t.url);

  it("is cut off after the address's failures, whichever accounts were tried", async () => {
    const statuses = [];
    for (const staffId of ["alice", "bob", "boss", "nobody", "alice"]) statuses.push((await login(staffId, "wrong", "198.51.100.5")).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect((await login("bob", PASSWORD, "198.51.100.6")).status).toBe(200);
  });
});

describe("sign-in attempts from one address", async () => {
  const t = await startTestServer({ trustProxy: "loopback", limits: { loginPerAddressPer15Min: 3 } });
  const login = signIn(t.url);

  it("are limited whether they succeed or not", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await login("alice", PASSWORD, "198.51.100.9")).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
