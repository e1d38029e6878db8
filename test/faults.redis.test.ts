/**
 * Faults under load, as a deployment meets them: a node killed while kiosks issue and counters
 * call. Clients follow the clients' retry rule (protocol/command-retry.ts): a command without a
 * definite answer is sent again with the same commandId, on whichever node they reach next.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HallEvent } from "../protocol/index.js";
import { sendCommand, type Emit } from "../protocol/command-retry.js";
import { DEFAULT_STORE_DEADLINE_MS } from "../server/store/deadline.js";
import { HallConnection } from "../web/shared/hall-connection.js";
import { silentLogger } from "../server/log.js";
import { wireRedis, type WiredRedis } from "../server/store/redis/wiring.js";
import { TOKENS, testHall } from "./helpers/hall.js";
import { login, startNodes, stopNodes, type Node } from "./multinode.shared.js";
import { FailoverClient, startNodeProcesses, type NodeProcess } from "./helpers/nodes.js";
import { rawCommand, startRedisServer, uniquePrefix, type RedisServerHandle } from "./helpers/redis.js";

const hall = testHall({ services: testHall().services.map((s) => ({ ...s, dailyQuota: 100_000 })) });


/** What a load phase sent and what it was told. */
interface Sent {
  issued: Map<string, string>;
  finished: number;
}

/** Kiosks issue one ticket after another and counters call and finish, until `stop` resolves. */
async function load(kiosks: FailoverClient[], counters: { client: FailoverClient; windowId: string }[], stop: Promise<void>): Promise<Sent> {
  const sent: Sent = { issued: new Map(), finished: 0 };
  let running = true;
  void stop.then(() => (running = false));
  const opts = { attemptTimeoutMs: 3_000, firstDelayMs: 100, maxDelayMs: 500 };
  const kiosk = async (k: FailoverClient) => {
    while (running) {
      const ack = await sendCommand<Extract<HallEvent, { type: "ticket:issued" }>>(k.emit, "ticket:issue", { serviceId: "social" }, opts);
      expect(ack.ok).toBe(true);
      if (ack.ok) sent.issued.set(ack.data.ticket.id, ack.data.ticket.number);
    }
  };
  const counter = async ({ client, windowId }: { client: FailoverClient; windowId: string }) => {
    while (running) {
      const called = await sendCommand(client.emit, "window:callNext", { windowId }, opts);
      if (!called.ok) {
        expect(called.error.code).toBe("QUEUE_EMPTY");
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      const finished = await sendCommand(client.emit, "ticket:finish", { windowId }, opts);
      expect(finished).toMatchObject({ ok: true });
      sent.finished += 1;
    }
  };
  await Promise.all([...kiosks.map(kiosk), ...counters.map(counter)]);
  return sent;
}

describe("a node killed during the busy hour", () => {
  let redis: RedisServerHandle;
  let store: WiredRedis;
  let nodes: NodeProcess[];
  let stopNodes: () => Promise<void>;
  const prefix = uniquePrefix("faults");

  beforeAll(async () => {
    redis = await startRedisServer(["--appendonly", "yes", "--appendfsync", "always"]);
    ({ nodes, stop: stopNodes } = await startNodeProcesses({ halls: [hall], env: { REDIS_URL: redis.url, REDIS_PREFIX: prefix, SESSION_SECRET: "faults-secret-0123456789" } }, 2));
    store = await wireRedis({ url: redis.url, prefix, log: silentLogger });
    await store.store.loadHall(hall, Date.now());
  }, 60_000);
  afterAll(async () => {
    await store?.store.close();
    await stopNodes?.();
    await redis?.stop();
  });

  it("its clients fail over to the other node, and no acked command is lost or done twice", async () => {
    const alive = () => nodes.filter((n) => n.process.exitCode === null && n.process.signalCode === null).map((n) => n.url);
    const kiosks = [0, 1, 2].map(() => new FailoverClient(alive, { role: "kiosk", hallId: hall.id, deviceToken: TOKENS.kiosk }));
    const counters = await Promise.all(
      ["1", "4"].map(async (windowId, i) => ({ windowId, client: new FailoverClient(alive, { role: "counter", hallId: hall.id, windowId, token: await login(nodes[0]!.url, hall.id, i === 0 ? "alice" : "bob") }) })),
    );
    for (const c of [...kiosks, ...counters.map((c) => c.client)]) await c.connect();

    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const running = load(kiosks, counters, stopped);
    await new Promise((r) => setTimeout(r, 1_500));
    const killedAt = performance.now();
    nodes[0]!.kill();
    await new Promise((r) => setTimeout(r, 2_500));
    stop();
    const sent = await running;
    for (const c of [...kiosks, ...counters.map((c) => c.client)]) c.close();

    const events = await store.store.eventsSince(hall.id, 0, 100_000);
    const issued = events.filter((e): e is Extract<HallEvent, { type: "ticket:issued" }> => e.type === "ticket:issued");
    const finished = events.filter((e) => e.type === "ticket:finished");
    const numbers = issued.map((e) => e.ticket.number);
    const moved = kiosks.filter((k) => k.outages.length > 0);
    const backMs = moved.map((k) => k.outages[0]!.backAt! - killedAt).sort((a, b) => a - b);
    console.log(`node kill: ${sent.issued.size} tickets and ${sent.finished} finishes acked, ${moved.length} of 3 kiosks failed over, back after ${backMs.map((ms) => ms.toFixed(0)).join(", ")} ms`);

    expect(moved.length).toBeGreaterThan(0);
    expect(issued.map((e) => e.ticket.id).sort()).toEqual([...sent.issued.keys()].sort());
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(finished.length).toBe(sent.finished);
    expect(Math.max(...backMs)).toBeLessThan(2_000);
  }, 60_000);
});

/** One HallCall node in this process on `redis`, wired as server/main.ts wires one. */
const nodeOn = async (redis: RedisServerHandle) => (await startNodes(() => ({ url: redis.url }), [hall], 1))[0]!;

/** A node shuts down (SIGTERM) even with its Redis gone, instead of waiting for it forever. */
async function stopsWithin(closing: Promise<unknown>, ms: number): Promise<void> {
  const late = new Promise<"late">((r) => setTimeout(() => r("late"), ms));
  expect(await Promise.race([closing.then(() => "closed"), late])).toBe("closed");
}

describe("/healthz while the store is away", () => {
  const health = async (url: string) => {
    const started = performance.now();
    const res = await fetch(`${url}/healthz`);
    return { status: res.status, ms: performance.now() - started, body: (await res.json()) as { ok: boolean } };
  };

  it("answers 503 within a second when Redis is down", async () => {
    const redis = await startRedisServer();
    const node = await nodeOn(redis);
    expect((await health(node.url)).status).toBe(200);
    redis.process.kill("SIGKILL");
    const down = await health(node.url);
    console.log(`healthz with Redis killed: ${down.status} in ${down.ms.toFixed(0)} ms`);
    expect(down).toMatchObject({ status: 503, body: { ok: false } });
    expect(down.ms).toBeLessThan(1_000);
    await stopsWithin(stopNodes([node]), 3_000);
    await redis.stop();
  });

  it("answers 503 within a second while Redis is paused, and 200 again after", async () => {
    const redis = await startRedisServer();
    const node = await nodeOn(redis);
    await rawCommand(redis.port, "CLIENT PAUSE 1500 ALL");
    const pausedUntil = Date.now() + 1_500;
    const paused = await health(node.url);
    console.log(`healthz with Redis paused: ${paused.status} in ${paused.ms.toFixed(0)} ms`);
    expect(paused).toMatchObject({ status: 503, body: { ok: false } });
    expect(paused.ms).toBeLessThan(1_000);
    // Other clients' commands wait out the pause, CLIENT UNPAUSE among them.
    await new Promise((r) => setTimeout(r, pausedUntil - Date.now() + 100));
    expect((await health(node.url)).status).toBe(200);
    await stopNodes([node]);
    await redis.stop();
  });
});

/** A page's connection (the pages' own HallConnection) outside a browser. */
function screen(server: string, auth: Record<string, unknown>, windowFeed?: string): HallConnection & { syncs: number } {
  const host = { addController: () => {}, removeController: () => {}, requestUpdate: () => {}, updateComplete: Promise.resolve(true) };
  const conn: HallConnection & { syncs: number } = Object.assign(new HallConnection(host, { server, auth: () => auth, windowFeed, onSnapshot: () => (conn.syncs += 1) }), { syncs: 0 });
  conn.hostConnected();
  return conn;
}

/** Times every attempt that got an answer, for "acks answer within the deadline". */
function timed(emit: Emit, answeredMs: number[]): Emit {
  return async (name, payload, timeoutMs) => {
    const started = performance.now();
    const ack = await emit(name, payload, timeoutMs);
    answeredMs.push(performance.now() - started);
    return ack;
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

describe.each([
  ["restarted", async (redis: RedisServerHandle) => (await redis.kill(), await new Promise((r) => setTimeout(r, 1_000)), await redis.restart())],
  ["paused", async (redis: RedisServerHandle) => (await rawCommand(redis.port, "CLIENT PAUSE 3000 ALL"), await new Promise((r) => setTimeout(r, 3_100)))],
] as const)("Redis %s during the busy hour", (_how, fault) => {
  it("every ack answers within the deadline, nothing is doubled by the retries, and pads and strips come back to the window's state", async () => {
    const redis = await startRedisServer([], { persistent: true });
    const [a, b] = (await startNodes(() => ({ url: redis.url }), [hall], 2)) as [Node, Node];
    const answeredMs: number[] = [];
    const kiosks = [a, b].map((n) => new FailoverClient(() => [n.url], { role: "kiosk", hallId: hall.id, deviceToken: TOKENS.kiosk }));
    const counters = [
      { windowId: "1", client: new FailoverClient(() => [a.url], { role: "counter", hallId: hall.id, windowId: "1", token: await login(a.url, hall.id, "alice") }) },
      { windowId: "4", client: new FailoverClient(() => [a.url], { role: "counter", hallId: hall.id, windowId: "4", token: await login(a.url, hall.id, "bob") }) },
    ];
    for (const c of [...kiosks, ...counters.map((c) => c.client)]) {
      await c.connect();
      c.emit = timed(c.emit, answeredMs);
    }
    // The window's screens on the other node: what node A commits reaches them through the adapter.
    const pad = screen(b.url, { role: "pad", hallId: hall.id, deviceToken: TOKENS.pad1 }, "1");
    const strip = screen(b.url, { role: "display", hallId: hall.id, deviceToken: TOKENS.strip1 }, "1");

    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const running = load(kiosks, counters, stopped);
    await new Promise((r) => setTimeout(r, 1_000));
    await fault(redis);
    await new Promise((r) => setTimeout(r, 2_000));
    stop();
    const sent = await running;

    const log = await a.wired.store.eventsSince(hall.id, 0, 100_000);
    const issued = log.filter((e): e is Extract<HallEvent, { type: "ticket:issued" }> => e.type === "ticket:issued");
    const finished = log.filter((e) => e.type === "ticket:finished");
    const truth = (await a.wired.store.snapshot(hall.id)).windows.find((w) => w.id === "1")!;
    const view = (conn: HallConnection) => conn.snapshot?.windows.find((w) => w.id === "1");
    await expect.poll(() => view(pad), { timeout: 10_000 }).toEqual(truth);
    await expect.poll(() => view(strip), { timeout: 10_000 }).toEqual(truth);
    console.log(`Redis ${_how}: ${sent.issued.size} tickets, ${sent.finished} finishes acked; ${answeredMs.length} answered attempts, median ${median(answeredMs).toFixed(1)} ms, longest ${Math.max(...answeredMs).toFixed(0)} ms; pad and strip at window 1 rev ${truth.rev} after ${pad.syncs} and ${strip.syncs} snapshots`);

    expect(Math.max(...answeredMs)).toBeLessThan(DEFAULT_STORE_DEADLINE_MS + 1_000);
    expect(issued.map((e) => e.ticket.id).sort()).toEqual([...sent.issued.keys()].sort());
    expect(new Set(issued.map((e) => e.ticket.number)).size).toBe(issued.length);
    expect(finished.length).toBe(sent.finished);

    for (const c of [...kiosks, ...counters.map((c) => c.client)]) c.close();
    pad.hostDisconnected();
    strip.hostDisconnected();
    await stopNodes([a, b]);
    await redis.stop();
  }, 60_000);
});
