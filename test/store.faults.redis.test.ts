/**
 * The Redis store while Redis is away: killed (a crash), restarted on the same port with its data
 * (an append-only file), or held by `CLIENT PAUSE`. The caller always gets an answer within the
 * transports' deadline, STORE_UNAVAILABLE while Redis is away, and a retry with the same
 * commandId after Redis is back answers what the first attempt did: each commandId issues one
 * ticket, whether or not its first attempt reached Redis.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HallCallError, type HallEvent } from "../protocol/index.js";
import { ManualClock } from "../server/domain/clock.js";
import type { CommandContext, StoreCommand } from "../server/domain/hall-commands.js";
import { silentLogger } from "../server/log.js";
import { storeWithDeadline, withinDeadline } from "../server/store/deadline.js";
import { HallFollower } from "../server/store/hall-follower.js";
import { createRedisStore, type RedisStore, type RedisStoreTuning } from "../server/store/redis/redis-store.js";
import { wireRedis, type WiredRedis } from "../server/store/redis/wiring.js";
import type { Executed, HallStore } from "../server/store/types.js";
import { rawCommand, startRedisServer, uniquePrefix, type RedisServerHandle } from "./helpers/redis.js";
import { contractHall, HALL, T0, wire } from "./store.contract.js";

const DEADLINE_MS = 2_000;

let redis: RedisServerHandle;
beforeAll(async () => {
  redis = await startRedisServer([], { persistent: true });
});
afterAll(async () => {
  await redis?.stop();
});

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

const clock = new ManualClock(T0);
const kiosk = (): CommandContext => ({ now: clock.now(), by: "kiosk", staffId: null });
const issue = () => wire("ticket:issue", { serviceId: "social" });

async function hallStore(tuning: RedisStoreTuning = {}, prefix = uniquePrefix("faults")): Promise<RedisStore> {
  const store = await createRedisStore({ url: redis.url, prefix, ...tuning });
  opened.push(store);
  await store.loadHall(contractHall(), clock.now());
  return store;
}

/** How a call ended and how long it took. */
async function timed<T>(call: Promise<T>): Promise<{ ms: number; value?: T; code?: string }> {
  const started = performance.now();
  try {
    const value = await call;
    return { ms: performance.now() - started, value };
  } catch (err) {
    if (!(err instanceof HallCallError)) throw err;
    return { ms: performance.now() - started, code: err.code };
  }
}

/** What a client does with STORE_UNAVAILABLE: send the same command again until the answer is definite. */
async function retry(store: HallStore, cmd: StoreCommand, ctx: () => CommandContext = kiosk, withinMs = 20_000): Promise<Executed> {
  const until = performance.now() + withinMs;
  for (;;) {
    try {
      return await store.execute(HALL, cmd, ctx());
    } catch (err) {
      if (!(err instanceof HallCallError) || err.code !== "STORE_UNAVAILABLE" || performance.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The store as the transports call it: reads within the deadline, commands too (HallContext.run gives them theirs). */
const withDeadline = (store: HallStore): HallStore => ({ ...storeWithDeadline(store, DEADLINE_MS), execute: (hallId, cmd, ctx) => withinDeadline(store.execute(hallId, cmd, ctx), DEADLINE_MS, cmd.name) });

const pauseRedis = (ms: number, mode: "WRITE" | "ALL") => rawCommand(redis.port, `CLIENT PAUSE ${ms} ${mode}`);
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const numbers = async (store: HallStore) => (await store.snapshot(HALL)).tickets.map((t) => t.number).sort();
const ticketOf = (e: HallEvent) => (e as Extract<HallEvent, { type: "ticket:issued" }>).ticket;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe("Redis killed and restarted", () => {
  it("a kiosk's ticket while Redis is down is refused at once with STORE_UNAVAILABLE; its retry after the restart issues it once", async () => {
    const store = await hallStore();
    const calm = withDeadline(store);
    await calm.execute(HALL, issue(), kiosk());
    await redis.kill();
    const cmd = issue();
    const refusals = [];
    for (let i = 0; i < 3; i++) refusals.push(await timed(calm.execute(HALL, cmd, kiosk())));
    expect(refusals.map((r) => r.code)).toEqual(["STORE_UNAVAILABLE", "STORE_UNAVAILABLE", "STORE_UNAVAILABLE"]);
    expect(median(refusals.map((r) => r.ms))).toBeLessThan(DEADLINE_MS);
    expect((await timed(calm.snapshot(HALL))).code).toBe("STORE_UNAVAILABLE");
    console.info(`faults: execute while Redis is down answered STORE_UNAVAILABLE in ${refusals.map((r) => r.ms.toFixed(1)).join(", ")} ms`);
    await redis.restart();
    const issued = await retry(calm, cmd);
    expect(issued.replayed).toBe(false);
    expect(await calm.execute(HALL, cmd, kiosk())).toEqual({ event: issued.event, replayed: true, committed: [] });
    expect(await numbers(calm)).toEqual(["A001", "A002"]);
  });

  it("a commit cut off by a crash (sent, not yet run) runs once when retried after the restart", async () => {
    const store = await hallStore();
    await store.execute(HALL, issue(), kiosk());
    await pauseRedis(10_000, "WRITE");
    const cmd = issue();
    const first = timed(store.execute(HALL, cmd, kiosk()));
    await settle(100);
    await redis.kill();
    expect((await first).code).toBe("STORE_UNAVAILABLE");
    await redis.restart();
    const issued = await retry(store, cmd);
    expect(ticketOf(issued.event).number).toBe("A002");
    expect(await numbers(store)).toEqual(["A001", "A002"]);
  });

  it("a node catches up by itself with what another node committed while it could not reach Redis", async () => {
    const prefix = uniquePrefix("faults");
    const [a, b] = [await hallStore({}, prefix), await hallStore({}, prefix)];
    await a.execute(HALL, issue(), kiosk());
    await redis.restart();
    await retry(b, issue());
    await retry(b, issue());
    const next = await retry(a, issue());
    expect(ticketOf(next.event).number).toBe("A004");
    expect((await a.snapshot(HALL)).seq).toBe(4);
  });

  it("the hall lock and the follower carry on after a restart: the holder keeps the hall, the follower misses no event", async () => {
    const prefix = uniquePrefix("faults");
    const nodes: WiredRedis[] = [];
    for (let i = 0; i < 2; i++) {
      const wired = await wireRedis({ url: redis.url, prefix, log: silentLogger });
      opened.push(wired.store);
      await wired.store.loadHall(contractHall(), clock.now());
      nodes.push(wired);
    }
    const [a, b] = nodes as [WiredRedis, WiredRedis];
    expect(await a.lock.tryAcquire(HALL, 60_000)).toBe(true);
    expect(await b.lock.tryAcquire(HALL, 60_000)).toBe(false);
    const follower = new HallFollower(a.store, HALL);
    const heard: number[] = [];
    follower.onEvent((e) => heard.push(e.seq));
    await a.store.execute(HALL, issue(), kiosk());
    expect((await follower.current()).seq).toBe(1);

    await redis.kill();
    await expect(a.lock.tryAcquire(HALL, 60_000)).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    await expect(follower.current()).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    await redis.restart();

    await retry(b.store, issue());
    const until = performance.now() + 10_000;
    let renewed: boolean | undefined;
    while (renewed === undefined && performance.now() < until) renewed = await a.lock.tryAcquire(HALL, 60_000).catch(() => settle(100).then(() => undefined));
    expect(renewed).toBe(true);
    expect(await b.lock.tryAcquire(HALL, 60_000)).toBe(false);
    expect((await follower.current()).seq).toBe(2);
    expect(heard).toEqual([1, 2]);
  });
});

describe("Redis paused", () => {
  it("a commit held by CLIENT PAUSE WRITE answers STORE_UNAVAILABLE at the deadline; the retry answers the ticket the first attempt issued", async () => {
    const store = withDeadline(await hallStore());
    const acks: number[] = [];
    for (let i = 0; i < 3; i++) {
      await pauseRedis(3_000, "WRITE");
      const cmd = issue();
      const first = await timed(store.execute(HALL, cmd, kiosk()));
      expect(first.code).toBe("STORE_UNAVAILABLE");
      acks.push(first.ms);
      const issued = await retry(store, cmd);
      // The first attempt was in flight and committed when the pause ended; the retry only reads its record.
      expect(issued.replayed).toBe(true);
      expect(ticketOf(issued.event).number).toBe(`A00${i + 1}`);
    }
    expect(await numbers(store)).toEqual(["A001", "A002", "A003"]);
    expect(median(acks)).toBeLessThan(DEADLINE_MS + 200);
    console.info(`faults: execute under CLIENT PAUSE 3000 WRITE answered STORE_UNAVAILABLE after ${acks.map((ms) => ms.toFixed(0)).join(", ")} ms (median ${median(acks).toFixed(0)})`);
  });

  it("under CLIENT PAUSE ALL reads and commits answer STORE_UNAVAILABLE at the deadline, and the hall answers again when it ends", async () => {
    const store = withDeadline(await hallStore());
    await pauseRedis(3_000, "ALL");
    const cmd = issue();
    const [read, commit] = await Promise.all([timed(store.snapshot(HALL)), timed(store.execute(HALL, cmd, kiosk()))]);
    expect([read.code, commit.code]).toEqual(["STORE_UNAVAILABLE", "STORE_UNAVAILABLE"]);
    expect(commit.ms).toBeLessThan(DEADLINE_MS + 200);
    console.info(`faults: under CLIENT PAUSE 3000 ALL a snapshot answered after ${read.ms.toFixed(0)} ms, a command after ${commit.ms.toFixed(0)} ms`);
    await retry(store, cmd);
    expect(await numbers(store)).toEqual(["A001"]);
  });

  it("two attempts of one command queued together behind a held commit run once: the second answers the first's ticket", async () => {
    const store = await hallStore();
    await pauseRedis(1_000, "WRITE");
    const held = store.execute(HALL, issue(), kiosk());
    await settle(50);
    const cmd = issue();
    const [a, b] = await Promise.all([store.execute(HALL, cmd, kiosk()), store.execute(HALL, cmd, kiosk())]);
    await held;
    expect(a.replayed).toBe(false);
    expect(b).toEqual({ event: a.event, replayed: true, committed: [] });
    expect(await numbers(store)).toEqual(["A001", "A002"]);
  });

  it("a command that waited on the node past its deadline is given up unsent, and its retry issues the ticket then", async () => {
    const store = await hallStore();
    await pauseRedis(3_000, "WRITE");
    const held = store.execute(HALL, issue(), kiosk());
    await settle(50);
    const cmd = issue();
    const waited = await timed(store.execute(HALL, cmd, kiosk()));
    await held;
    expect(waited.code).toBe("STORE_UNAVAILABLE");
    expect(await numbers(store)).toEqual(["A001"]);
    const issued = await store.execute(HALL, cmd, kiosk());
    expect(issued.replayed).toBe(false);
    expect(await numbers(store)).toEqual(["A001", "A002"]);
  });

  it("a commit that reaches Redis past its latest time appends nothing, and its retry issues the ticket once", async () => {
    const store = await hallStore({ lateLimitMs: 500 });
    await pauseRedis(1_500, "WRITE");
    const cmd = issue();
    const late = await timed(store.execute(HALL, cmd, kiosk()));
    expect(late.code).toBe("STORE_UNAVAILABLE");
    expect(await numbers(store)).toEqual([]);
    const issued = await store.execute(HALL, cmd, kiosk());
    expect(issued.replayed).toBe(false);
    expect(await numbers(store)).toEqual(["A001"]);
  });
});
