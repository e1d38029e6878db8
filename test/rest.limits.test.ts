/**
 * Rate limits of the REST routes on the embedded store (rest.redis.test.ts: the same counts
 * shared by several nodes through Redis). Client addresses other than the test's own come from
 * X-Forwarded-For, trusted from the loopback proxy only where a test says so.
 */
import { describe, expect, it } from "vitest";
import type { HallSnapshot } from "../protocol/index.js";
import { loadServerConfig, restLimitsOf } from "../server/settings.js";
import { DEFAULT_LIMITS } from "../server/transport/rate-limit.js";
import { TOKENS } from "./helpers/hall.js";
import { startTestServer } from "./helpers/server.js";

let n = 0;
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${(++n).toString().padStart(6, "0")}`;

function poster(url: string) {
  return (body: Record<string, unknown>, from?: string) =>
    fetch(`${url}/api/halls/t1/tickets`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(from ? { "x-forwarded-for": from } : {}) },
      body: JSON.stringify({ commandId: unique("cmd"), deviceId: unique("device-id"), ...body }),
    });
}

/** The board's view of the hall, asked from the hall's own network (not the flooding client's). */
const snapshotOf = async (url: string) => (await (await fetch(`${url}/api/halls/t1/snapshot`, { headers: { authorization: `Device ${TOKENS.board}`, "x-forwarded-for": "10.0.0.2" } })).json()) as HallSnapshot;

describe("a flood of phone tickets from one client", async () => {
  const t = await startTestServer({ trustProxy: "loopback" });
  const post = poster(t.url);

  it("500 requests at once take at most a few tickets and leave the service's daily quota for everyone else", async () => {
    // The reproduced attack: 500 POSTs from one client, each with a fresh commandId and deviceId.
    const answers = await Promise.all(Array.from({ length: 500 }, () => post({ serviceId: "social" })));
    const issued = answers.filter((r) => r.status === 201).length;
    const refused = answers.filter((r) => r.status === 429);
    expect(issued).toBeLessThanOrEqual(DEFAULT_LIMITS.ticketsPerAddressPerMin);
    expect(refused.length).toBe(500 - issued);
    const first = refused[0]!;
    expect(Number(first.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await first.json()).toEqual({ ok: false, error: { code: "RATE_LIMITED", message: expect.any(String) } });

    const quota = t.hall.services.find((s) => s.id === "social")!.dailyQuota;
    const tickets = (await snapshotOf(t.url)).tickets.filter((x) => x.serviceId === "social");
    expect(tickets.length).toBe(issued);
    expect(tickets.length).toBeLessThan(quota);
    // A citizen on another network still gets a ticket.
    expect((await post({ serviceId: "social" }, "203.0.113.7")).status).toBe(201);
  });
});

describe("a flood from many addresses", async () => {
  const t = await startTestServer({ trustProxy: "loopback", limits: { ticketsPerHallPerMin: 5 } });
  const post = poster(t.url);

  it("is capped per hall, whatever address each request comes from", async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => post({ serviceId: "medical" }, `198.51.100.${i + 1}`)));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(5);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(35);
  });
});

describe("every /api route is limited per client address", async () => {
  const t = await startTestServer({ trustProxy: "loopback", limits: { apiPerAddressPerMin: 5 } });
  const get = (path: string, from: string) => fetch(`${t.url}${path}`, { headers: { "x-forwarded-for": from } });

  it("past the limit an address gets 429 with Retry-After on any route, and other addresses do not", async () => {
    const paths = ["/api/halls", "/api/halls/t1/info", "/api/halls/t1/tickets/nope", "/api/halls/zz/info", "/api/nothing"];
    const statuses = [];
    for (const p of paths) statuses.push((await get(p, "192.0.2.10")).status);
    expect(statuses).toEqual([200, 200, 404, 404, 404]);
    for (const p of [...paths, "/api/halls/t1/snapshot"]) {
      const res = await get(p, "192.0.2.10");
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(60);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
    }
    expect((await get("/api/halls", "192.0.2.11")).status).toBe(200);
  });
});

describe("one hall's routes are limited for all addresses together", async () => {
  const t = await startTestServer({ trustProxy: "loopback", limits: { apiPerHallPerMin: 4 } });
  const get = (path: string, from: string) => fetch(`${t.url}${path}`, { headers: { "x-forwarded-for": from } });

  it("a flood of one hall from many addresses is refused while the hall list still answers", async () => {
    const statuses = [];
    for (let i = 1; i <= 6; i++) statuses.push((await get("/api/halls/t1/info", `198.51.100.${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect((await get("/api/halls", "198.51.100.99")).status).toBe(200);
  });
});

describe("without TRUST_PROXY", async () => {
  const t = await startTestServer({ limits: { apiPerAddressPerMin: 3 } });

  it("X-Forwarded-For does not change the address a client is counted under", async () => {
    const statuses = [];
    for (let i = 1; i <= 4; i++) statuses.push((await fetch(`${t.url}/api/halls`, { headers: { "x-forwarded-for": `203.0.113.${i}` } })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe("behind a trusted proxy", async () => {
  const t = await startTestServer({ trustProxy: 1, limits: { apiPerAddressPerMin: 2 } });

  it("each client named by X-Forwarded-For has its own count", async () => {
    const get = (from: string) => fetch(`${t.url}/api/halls`, { headers: { "x-forwarded-for": from } }).then((r) => r.status);
    expect([await get("203.0.113.1"), await get("203.0.113.1"), await get("203.0.113.1")]).toEqual([200, 200, 429]);
    expect(await get("203.0.113.2")).toBe(200);
  });

  it("an IPv6 client is counted per /64, as it can pick any address in it", async () => {
    const get = (from: string) => fetch(`${t.url}/api/halls`, { headers: { "x-forwarded-for": from } }).then((r) => r.status);
    expect([await get("2001:db8:1:2::1"), await get("2001:db8:1:2:ffff::9"), await get("2001:db8:1:2:0:0:0:77")]).toEqual([200, 200, 429]);
    expect(await get("2001:db8:1:3::1")).toBe(200);
  });
});

describe("the limits as settings", () => {
  it("default to DEFAULT_LIMITS, and TRUST_PROXY to trusting no proxy", () => {
    const config = loadServerConfig({});
    expect(restLimitsOf(config)).toEqual(DEFAULT_LIMITS);
    expect(config.TRUST_PROXY).toBe(false);
  });

  it("are read from the environment: a proxy by hop count or by its addresses", () => {
    expect(restLimitsOf(loadServerConfig({ RATE_TICKETS_PER_ADDRESS_PER_MIN: "4", MOBILE_TICKETS_PER_DEVICE_PER_DAY: "2" }))).toMatchObject({ ticketsPerAddressPerMin: 4, mobileTicketsPerDevicePerDay: 2 });
    expect(loadServerConfig({ TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(loadServerConfig({ TRUST_PROXY: "loopback, 10.0.0.0/8" }).TRUST_PROXY).toBe("loopback, 10.0.0.0/8");
    expect(() => loadServerConfig({ RATE_API_PER_ADDRESS_PER_MIN: "0" })).toThrow(/RATE_API_PER_ADDRESS_PER_MIN/);
  });
});
