/**
 * On Redis (standalone and a 3-shard Cluster) several nodes share the REST limits and the
 * signed-out sessions: a client cannot escape a limit or a sign-out by reaching another node.
 * Each node is wired as server/main.ts wires it (createBackend).
 */
import { afterAll, describe, expect, it } from "vitest";
import { silentLogger } from "../server/log.js";
import { createBackend, type Backend } from "../server/store/backend.js";
import type { HallCallOptions } from "../server/app.js";
import { rawCommand, startRedisCluster, startRedisServer, uniquePrefix } from "./helpers/redis.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

let n = 0;
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${(++n).toString().padStart(6, "0")}`;

/** Two nodes of one deployment (one prefix) on the given Redis. */
async function twoNodes(target: { redisUrl?: string; clusterNodes?: string[] }, extra: Partial<HallCallOptions> = {}): Promise<{ a: TestServer; b: TestServer; prefix: string }> {
  const prefix = uniquePrefix("rest");
  const backends: Backend[] = [];
  afterAll(async () => {
    for (const b of backends) await b.close();
  });
  const node = async () => {
    const backend = await createBackend({ ...target, prefix, log: silentLogger });
    backends.push(backend);
    return startTestServer({ store: backend.store, ...backend.wiring, trustProxy: "loopback", ...extra });
  };
  return { a: await node(), b: await node(), prefix };
}

function sharedLimitSpecs(nodes: () => { a: TestServer; b: TestServer }) {
  const post = (t: TestServer, body: Record<string, unknown>, from: string) =>
    fetch(`${t.url}/api/halls/t1/tickets`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": from }, body: JSON.stringify(body) });

  it("one client's requests are counted together on both nodes", async () => {
    const { a, b } = nodes();
    const from = "192.0.2.20";
    const get = (t: TestServer) => fetch(`${t.url}/api/halls`, { headers: { "x-forwarded-for": from } }).then((r) => r.status);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push(await get(i % 2 ? b : a));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect([await get(a), await get(b)]).toEqual([429, 429]);
  });

  it("a phone's daily tickets are counted on whichever node it reaches, and a retry on the other node is no new ticket", async () => {
    const { a, b } = nodes();
    const phone = unique("device-id");
    const first = { commandId: unique("cmd"), serviceId: "social", deviceId: phone };
    const issued = (await (await post(a, first, "192.0.2.21")).json()) as { ticket: { id: string } };
    const retried = await post(b, first, "192.0.2.21");
    expect(retried.status).toBe(201);
    expect(((await retried.json()) as { ticket: { id: string } }).ticket.id).toBe(issued.ticket.id);
    expect((await post(b, { commandId: unique("cmd"), serviceId: "social", deviceId: phone }, "192.0.2.21")).status).toBe(201);
    expect((await post(a, { commandId: unique("cmd"), serviceId: "social", deviceId: phone }, "192.0.2.21")).status).toBe(201);
    expect((await post(b, { commandId: unique("cmd"), serviceId: "social", deviceId: phone }, "192.0.2.21")).status).toBe(429);
  });

  it("a sign-out on one node ends the session on the other", async () => {
    const { a, b } = nodes();
    const token = await a.login("boss");
    const snapshot = () => fetch(`${b.url}/api/halls/t1/snapshot`, { headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "192.0.2.22" } });
    expect((await snapshot()).status).toBe(200);
    expect((await fetch(`${a.url}/api/halls/t1/logout`, { method: "POST", headers: { authorization: `Bearer ${token}` } })).status).toBe(204);
    const res = await snapshot();
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("SESSION_ENDED");
    const sid = (JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as { sid: string }).sid;
    expect(await b.server.ctx.sessions.isRevoked(sid)).toBe(true);
  });
}

describe("several nodes on one Redis", async () => {
  const redis = await startRedisServer();
  afterAll(() => redis.stop());
  const nodes = await twoNodes({ redisUrl: redis.url }, { limits: { apiPerAddressPerMin: 6 } });
  sharedLimitSpecs(() => nodes);

  it("a sign-out is kept in Redis only until the session would have expired", async () => {
    const token = await nodes.a.login("alice");
    const { sid, exp } = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as { sid: string; exp: number };
    await fetch(`${nodes.a.url}/api/halls/t1/logout`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    const pttl = Number((await rawCommand(redis.port, `PTTL ${nodes.prefix}session:revoked:${sid}`)).replace(/^:/, ""));
    expect(pttl).toBeGreaterThan(0);
    expect(Math.abs(Date.now() + pttl - exp)).toBeLessThan(5_000);
  });
});

describe("several nodes on a Redis Cluster", async () => {
  const cluster = await startRedisCluster();
  afterAll(() => cluster.stop());
  const nodes = await twoNodes({ clusterNodes: cluster.urls }, { limits: { apiPerAddressPerMin: 6 } });
  sharedLimitSpecs(() => nodes);
});

describe("while Redis does not answer", async () => {
  const redis = await startRedisServer();
  afterAll(() => redis.stop());
  const nodes = await twoNodes({ redisUrl: redis.url }, { limits: { apiPerAddressPerMin: 3 } });

  it("each node keeps counting on its own, and staff checks say the store is away instead of hanging", async () => {
    const token = await nodes.a.login("alice");
    // Paused, not stopped: connected but silent, the case a client waits on longest.
    redis.process.kill("SIGSTOP");
    try {
      const get = async () => {
        const start = performance.now();
        const status = (await fetch(`${nodes.a.url}/api/halls`, { headers: { "x-forwarded-for": "192.0.2.30" } })).status;
        return [status, performance.now() - start < 1_500] as const;
      };
      expect([await get(), await get(), await get(), await get()]).toEqual([[200, true], [200, true], [200, true], [429, true]]);
      // Whether the session was signed out cannot be told: refused as STORE_UNAVAILABLE, not let through.
      const snap = await fetch(`${nodes.a.url}/api/halls/t1/snapshot`, { headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "192.0.2.31" } });
      expect(snap.status).toBe(503);
      expect(((await snap.json()) as { error: { code: string } }).error.code).toBe("STORE_UNAVAILABLE");
    } finally {
      redis.process.kill("SIGCONT");
    }
  });
});
