/**
 * The multi-node suite, run against a standalone Redis (multinode.redis.test.ts) and a 3-shard
 * Redis Cluster (multinode.cluster.redis.test.ts): several HallCall servers in this process, each
 * wired to Redis the way server/main.ts does it (wireRedis), each on its own port.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import { createHallCallServer, type HallCallServer } from "../server/app.js";
import type { HallConfig } from "../server/domain/config.js";
import { silentLogger } from "../server/log.js";
import { wireRedis, type WiredRedis } from "../server/store/redis/wiring.js";
import { hallNamespace, type HallEvent } from "../protocol/index.js";
import { PASSWORD, TOKENS, testHall } from "./helpers/hall.js";
import { uniquePrefix } from "./helpers/redis.js";
import { call, cid, nextEvent, type Client } from "./helpers/server.js";

export interface Node {
  server: HallCallServer;
  wired: WiredRedis;
  url: string;
}

export interface RedisTarget {
  url?: string;
  clusterNodes?: string[];
}

const SECRET = "multinode-secret-0123456789";

/** Sixteen windows all serving "social", so twenty counters can race on one queue. */
export function raceHall(id: string): HallConfig {
  const base = testHall();
  const windows = Array.from({ length: 20 }, (_, i) => ({ id: String(i + 1), label: { zh: `${i + 1}号`, en: `W${i + 1}` }, qualified: ["social"], serving: ["social"] }));
  return testHall({
    id,
    services: base.services.map((s) => (s.id === "social" ? { ...s, dailyQuota: 100_000 } : s)),
    windows,
    staff: Array.from({ length: 20 }, (_, i) => ({ id: `s${i + 1}`, name: `Staff ${i + 1}`, passwordHash: base.staff[0]!.passwordHash, roles: ["counter" as const] })),
    devices: [
      { token: TOKENS.board, role: "display" as const },
      { token: TOKENS.kiosk, role: "kiosk" as const },
      { token: TOKENS.strip1, role: "display" as const, windowId: "1" },
    ],
  });
}

export async function startNodes(target: () => RedisTarget, halls: HallConfig[], count: number): Promise<Node[]> {
  const prefix = uniquePrefix("mn");
  const nodes: Node[] = [];
  for (let i = 0; i < count; i++) {
    const wired = await wireRedis({ ...target(), prefix, log: silentLogger });
    const server = await createHallCallServer({ store: wired.store, halls, sessionSecret: SECRET, log: silentLogger, collectDefaultMetrics: false, configureIo: wired.configureIo, ready: wired.ready, lock: wired.lock });
    const port = await server.listen(0, "127.0.0.1");
    nodes.push({ server, wired, url: `http://127.0.0.1:${port}` });
  }
  return nodes;
}

export async function stopNodes(nodes: Node[]): Promise<void> {
  for (const n of nodes) {
    await n.server.close();
    await n.wired.store.close();
  }
}

const sockets: Client[] = [];

export function client(url: string, auth: Record<string, unknown>): Promise<Client> {
  return new Promise((resolve, reject) => {
    const s = connect(url + hallNamespace(String(auth.hallId)), { auth, transports: ["websocket"], reconnection: false, forceNew: true });
    sockets.push(s);
    s.once("connect", () => resolve(s));
    s.once("connect_error", reject);
  });
}

export function closeClients(): void {
  for (const s of sockets.splice(0)) s.disconnect();
}

export async function login(url: string, hallId: string, staffId: string): Promise<string> {
  const res = await fetch(`${url}/api/halls/${hallId}/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ staffId, password: PASSWORD }) });
  if (!res.ok) throw new Error(`login ${staffId}: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}


/** The shared tests; `target` is read in beforeAll (the Redis is started by the caller's beforeAll). */
export function multiNodeSuite(target: () => RedisTarget, extra?: (nodes: () => Node[]) => void): void {
  const halls = [raceHall("race"), raceHall("east"), raceHall("west")];
  let nodes: Node[] = [];
  beforeAll(async () => {
    nodes = await startNodes(target, halls, 3);
  }, 30_000);
  afterAll(async () => {
    closeClients();
    await stopNodes(nodes);
  });

  it("a call made through node A reaches a board, the window's strip and a tracker connected to other nodes", async () => {
    const [a, b] = nodes;
    const board = await client(b!.url, { role: "display", hallId: "east", deviceToken: TOKENS.board });
    const strip = await client(nodes[2]!.url, { role: "display", hallId: "east", deviceToken: TOKENS.strip1 });
    const kiosk = await client(a!.url, { role: "kiosk", hallId: "east", deviceToken: TOKENS.kiosk });
    const issued = await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
    expect(issued.ok).toBe(true);
    const ticketId = issued.ok && "ticket" in issued.data ? issued.data.ticket.id : "";
    const tracker = await client(nodes[2]!.url, { role: "tracker", hallId: "east", ticketId });
    const counter = await client(a!.url, { role: "counter", hallId: "east", token: await login(a!.url, "east", "s1"), windowId: "1" });
    await nextEvent(board, (e) => e.type === "window:changed" && e.window.id === "1");
    const onBoard = nextEvent(board, (e) => e.type === "ticket:called");
    const onTracker = nextEvent(tracker, (e) => e.type === "ticket:called");
    const onStrip = nextEvent(strip, (e) => e.type === "ticket:called");
    const called = await call(counter, "window:callNext", { commandId: cid(), windowId: "1" });
    expect(called.ok).toBe(true);
    const [e1, e2, e3] = await Promise.all([onBoard, onTracker, onStrip]);
    expect(e1.type === "ticket:called" && e1.ticket.id).toBe(ticketId);
    expect(e2.type === "ticket:called" && e2.window.id).toBe("1");
    expect(e3.type === "ticket:called" && e3.ticket.id).toBe(ticketId);
  });

  it("a command repeated on another node gives the first result, and is neither broadcast nor counted again", async () => {
    const [a, b, c] = nodes;
    const issuedOn = async (n: Node) => (await n.server.ctx.metrics.ticketsIssued.get()).values.filter((v) => v.labels.hall === "west").reduce((sum, v) => sum + v.value, 0);
    const before = await Promise.all(nodes.map(issuedOn));
    const board = await client(c!.url, { role: "display", hallId: "west", deviceToken: TOKENS.board });
    const seen: HallEvent[] = [];
    board.on("hall:event", (e: HallEvent) => seen.push(e));
    const kioskA = await client(a!.url, { role: "kiosk", hallId: "west", deviceToken: TOKENS.kiosk });
    const kioskB = await client(b!.url, { role: "kiosk", hallId: "west", deviceToken: TOKENS.kiosk });
    const commandId = cid();
    const first = await call(kioskA, "ticket:issue", { commandId, serviceId: "social" });
    const again = await call(kioskB, "ticket:issue", { commandId, serviceId: "social" });
    expect(first.ok).toBe(true);
    expect(again).toEqual(first);
    const { event, replayed } = await b!.wired.store.execute("west", { name: "ticket:issue", payload: { commandId, serviceId: "social", priority: "normal", then: [] } }, { now: Date.now(), by: "kiosk", staffId: null });
    expect(replayed).toBe(true);
    expect(first.ok && event.seq).toBe(first.ok && first.data.seq);
    const marker = nextEvent(board, (e) => e.type === "ticket:issued" && e.seq > event.seq);
    await call(kioskB, "ticket:issue", { commandId: cid(), serviceId: "social" });
    await marker;
    expect(seen.filter((e) => e.seq === event.seq)).toHaveLength(1);
    const after = await Promise.all(nodes.map(issuedOn));
    expect(after.reduce((x, y) => x + y, 0) - before.reduce((x, y) => x + y, 0)).toBe(2);
    expect(after[0]! - before[0]!).toBe(1);
  });

  it("a board of another hall on the same node sees none of this hall's events", async () => {
    const [a, b] = nodes;
    const westBoard = await client(b!.url, { role: "display", hallId: "west", deviceToken: TOKENS.board });
    const seen: HallEvent[] = [];
    westBoard.on("hall:event", (e: HallEvent) => seen.push(e));
    const eastBoard = await client(b!.url, { role: "display", hallId: "east", deviceToken: TOKENS.board });
    const kiosk = await client(a!.url, { role: "kiosk", hallId: "east", deviceToken: TOKENS.kiosk });
    const got = nextEvent(eastBoard, (e) => e.type === "ticket:issued");
    await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
    await got;
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([]);
  });

  it("20 windows spread over 3 nodes race on one queue of 600 tickets: each is called exactly once", async () => {
    const TICKETS = 600;
    const kiosk = await client(nodes[0]!.url, { role: "kiosk", hallId: "race", deviceToken: TOKENS.kiosk });
    const issuedIds = new Set<string>();
    for (let i = 0; i < TICKETS; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" })));
      for (const r of batch) {
        expect(r.ok).toBe(true);
        if (r.ok && "ticket" in r.data) issuedIds.add(r.data.ticket.id);
      }
    }
    expect(issuedIds.size).toBe(TICKETS);
    const board = await client(nodes[1]!.url, { role: "display", hallId: "race", deviceToken: TOKENS.board });
    const boardCalls: string[] = [];
    board.on("hall:event", (e: HallEvent) => {
      if (e.type === "ticket:called") boardCalls.push(e.ticket.id);
    });
    const counters = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const node = nodes[i % nodes.length]!;
        return { s: await client(node.url, { role: "counter", hallId: "race", token: await login(node.url, "race", `s${i + 1}`), windowId: String(i + 1) }), windowId: String(i + 1) };
      }),
    );
    await new Promise((r) => setTimeout(r, 300)); // sign-ins open the windows
    const calledBy = new Map<string, string[]>();
    await Promise.all(
      counters.map(async ({ s, windowId }) => {
        for (;;) {
          const r = await call(s, "window:callNext", { commandId: cid(), windowId });
          if (!r.ok) {
            expect(r.error.code).toBe("QUEUE_EMPTY");
            return;
          }
          const id = "ticket" in r.data ? r.data.ticket.id : "";
          calledBy.set(id, [...(calledBy.get(id) ?? []), windowId]);
          const f = await call(s, "ticket:finish", { commandId: cid(), windowId });
          expect(f.ok).toBe(true);
        }
      }),
    );
    expect([...calledBy.values()].filter((w) => w.length > 1)).toEqual([]);
    expect(new Set(calledBy.keys())).toEqual(issuedIds);
    // The event log agrees: one non-recall call per ticket.
    const store = nodes[2]!.wired.store;
    const calls = new Map<string, number>();
    for (let after = 0; ; ) {
      const page = await store.eventsSince("race", after, 1000);
      if (!page.length) break;
      for (const e of page) if (e.type === "ticket:called" && !e.recall) calls.set(e.ticket.id, (calls.get(e.ticket.id) ?? 0) + 1);
      after = page[page.length - 1]!.seq;
    }
    expect(calls.size).toBe(TICKETS);
    expect([...calls.values()].every((c) => c === 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(boardCalls.length).toBe(TICKETS);
  }, 60_000);

  it("the hall lock grants each hall to exactly one node at a time, renews for its holder and frees on expiry", async () => {
    const locks = nodes.map((n) => n.wired.lock);
    for (const hall of ["race", "east", "west"]) {
      const granted = await Promise.all(locks.map((l) => l.tryAcquire(hall, 400)));
      expect(granted.filter(Boolean)).toHaveLength(1);
      const holder = granted.indexOf(true);
      expect(await locks[holder]!.tryAcquire(hall, 400)).toBe(true); // renewal by the holder
      expect(await locks[(holder + 1) % 3]!.tryAcquire(hall, 400)).toBe(false);
    }
    await new Promise((r) => setTimeout(r, 600));
    const after = await Promise.all(locks.map((l) => l.tryAcquire("east", 10_000)));
    expect(after.filter(Boolean)).toHaveLength(1);
    const holder = after.indexOf(true);
    await locks[holder]!.release("east");
    expect(await locks[(holder + 1) % 3]!.tryAcquire("east", 10_000)).toBe(true);
  });

  it("each hall's balancer acts on exactly one node per round, the same one while it renews", async () => {
    const holders = new Map<string, Set<number>>();
    for (let round = 0; round < 3; round++) {
      for (const hall of ["race", "east", "west"]) {
        const results = await Promise.all(nodes.map((n) => n.server.runners.get(hall)!.tick()));
        const acting = results.map((r, i) => (r ? i : -1)).filter((i) => i >= 0);
        expect(acting, `hall ${hall}, round ${round}`).toHaveLength(1);
        holders.set(hall, new Set([...(holders.get(hall) ?? []), acting[0]!]));
      }
    }
    for (const [hall, who] of holders) expect(who.size, hall).toBe(1);
  });

  extra?.(() => nodes);
}
