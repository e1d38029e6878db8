/**
 * A log that goes back: Redis restored from a copy older than what the nodes saw (a host crash
 * with `appendfsync everysec` loses the last second). The rollback is made by copying the hall's
 * keys aside, running more commands, and copying the older values back (or, for the restart, by
 * bringing back an older RDB file). The node that finds Redis behind its replica rebases the hall
 * onto a new epoch; every node then commits in it, screens holding the old one resync, and the
 * hall Redis keeps is whole: its checkpoint and log build the same snapshot on any node.
 */
import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "redis";
import { applyEvent, type HallEvent } from "../protocol/index.js";
import { ManualClock } from "../server/domain/clock.js";
import type { CommandContext } from "../server/domain/hall-commands.js";
import { HallFollower } from "../server/store/hall-follower.js";
import { createRedisStore, type RedisStore } from "../server/store/redis/redis-store.js";
import { rawCommand, startRedisServer, uniquePrefix, type RedisServerHandle } from "./helpers/redis.js";
import { comparable, contractHall, HALL, T0, wire } from "./store.contract.js";

let redis: RedisServerHandle;
let admin: ReturnType<typeof createClient>;
beforeAll(async () => {
  redis = await startRedisServer();
  admin = createClient({ url: redis.url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.close();
  await redis?.stop();
});

const opened: RedisStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

const clock = new ManualClock(T0);
const kiosk = (): CommandContext => ({ now: clock.now(), by: "kiosk", staffId: null });

async function node(prefix: string, url = redis.url): Promise<RedisStore> {
  const store = await createRedisStore({ url, prefix });
  opened.push(store);
  await store.loadHall(contractHall(), clock.now());
  return store;
}

const issue = async (store: RedisStore) => {
  const { event } = await store.execute(HALL, wire("ticket:issue", { serviceId: "social" }), kiosk());
  return event as Extract<HallEvent, { type: "ticket:issued" }>;
};

/** Every key of the hall under `prefix`. */
async function hallKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of admin.scanIterator({ MATCH: `${prefix}{hall:${HALL}}:*`, COUNT: 1000 })) keys.push(...batch);
  return keys;
}

/** A copy of the hall's keys as they are now; `restore()` puts Redis back to it, as a restore from a backup would. */
async function copyOfHall(prefix: string): Promise<{ restore(): Promise<void> }> {
  const kept = await hallKeys(prefix);
  // Same hash tag, so the copy sits in the hall's slot.
  for (const key of kept) await admin.sendCommand(["COPY", key, `backup:${key}`, "REPLACE"]);
  return {
    async restore() {
      for (const key of await hallKeys(prefix)) if (!kept.includes(key)) await admin.del(key);
      for (const key of kept) await admin.sendCommand(["COPY", `backup:${key}`, key, "REPLACE"]);
    },
  };
}

/** What a node building from Redis alone has: the checkpoint and the log after it agree. */
async function builtFresh(prefix: string) {
  return (await node(prefix)).snapshot(HALL);
}

describe("a Redis restored to an older copy of the hall", () => {
  it("the next command starts a new epoch on what Redis kept, and numbers go on after the highest printed", async () => {
    const prefix = uniquePrefix("rollback");
    const store = await node(prefix);
    for (let i = 0; i < 3; i++) await issue(store);
    const backup = await copyOfHall(prefix);
    const before = await issue(store);
    await issue(store);
    await backup.restore();

    const after = await issue(store);
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.seq).toBe(4);
    expect(after.ticket.number).toBe("A006");
    expect(store.rebases).toBe(1);

    const snapshot = await store.snapshot(HALL);
    expect(snapshot).toMatchObject({ seq: 4, epoch: after.epoch });
    expect(snapshot.tickets.map((t) => t.number)).toEqual(["A001", "A002", "A003", "A006"]);
    const log = await store.eventsSince(HALL, 0);
    expect(log.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(log[3]).toEqual(after);
    expect(comparable(await builtFresh(prefix))).toEqual(comparable(snapshot));
  });

  it("screens holding the old epoch refuse the new epoch's events, and resync", async () => {
    const prefix = uniquePrefix("rollback");
    const store = await node(prefix);
    await issue(store);
    const backup = await copyOfHall(prefix);
    await issue(store);
    const board = await store.snapshot(HALL);
    await backup.restore();
    const next = await issue(store);
    expect(applyEvent(board, next)).toEqual({ ok: false, reason: "otherEpoch" });
    const resynced = await store.snapshot(HALL);
    expect(resynced.epoch).toBe(next.epoch);
  });

  it("a node that only reads notices too: its snapshot is the hall Redis kept, in a new epoch", async () => {
    const prefix = uniquePrefix("rollback");
    const store = await node(prefix);
    await issue(store);
    const backup = await copyOfHall(prefix);
    const lost = await issue(store);
    await backup.restore();
    const snapshot = await store.snapshot(HALL);
    expect(snapshot.seq).toBe(1);
    expect(snapshot.epoch).not.toBe(lost.epoch);
    expect(snapshot.stats.issued).toEqual({ social: 2 });
    expect(comparable(await builtFresh(prefix))).toEqual(comparable(snapshot));
  });

  it("two nodes that saw the lost events agree on one new epoch: the first to rebase wins, the other adopts it", async () => {
    const prefix = uniquePrefix("rollback");
    const [a, b] = [await node(prefix), await node(prefix)];
    await issue(a);
    const backup = await copyOfHall(prefix);
    await issue(a);
    await issue(b);
    await a.snapshot(HALL);
    await backup.restore();
    const first = await issue(a);
    const second = await issue(b);
    expect(second.epoch).toBe(first.epoch);
    expect([first.seq, second.seq]).toEqual([2, 3]);
    expect([first.ticket.number, second.ticket.number]).toEqual(["A004", "A005"]);
    expect([a.rebases, b.rebases]).toEqual([1, 0]);
  });

  it("a number another node printed from the lost events is not given again once that node has seen the rebuilt hall", async () => {
    const prefix = uniquePrefix("rollback");
    const [a, b] = [await node(prefix), await node(prefix)];
    await issue(a);
    const backup = await copyOfHall(prefix);
    await issue(a);
    const onlyB = await issue(b);
    await backup.restore();
    // a rebases carrying A002 over; b had printed A003 too, so it rebases once more.
    await a.snapshot(HALL);
    await b.snapshot(HALL);
    expect([a.rebases, b.rebases]).toEqual([1, 1]);
    const next = await issue(a);
    expect(next.ticket.number).toBe("A004");
    expect(next.epoch).not.toBe(onlyB.epoch);
    expect((await issue(b)).epoch).toBe(next.epoch);
  });

  it("a node that saw lost events notices even after a node that did not has written past them", async () => {
    const prefix = uniquePrefix("rollback");
    const a = await node(prefix);
    await issue(a);
    const backup = await copyOfHall(prefix);
    await issue(a);
    await issue(a);
    await backup.restore();
    const unaware = await node(prefix);
    for (let i = 0; i < 3; i++) await issue(unaware);
    const noticed = await issue(a);
    expect(a.rebases).toBe(1);
    expect(noticed.seq).toBe(5);
    expect(noticed.ticket.number).toBe("A005");
    const adopted = await issue(unaware);
    expect(adopted.epoch).toBe(noticed.epoch);
    const snapshot = await a.snapshot(HALL);
    expect(comparable(await builtFresh(prefix))).toEqual(comparable(snapshot));
    expect(snapshot.tickets.map((t) => t.number)).toEqual(["A001", "A002", "A003", "A004", "A005", "A006"]);
  });

  it("a follower of the hall takes the rebuilt hall and goes on in the new epoch", async () => {
    const prefix = uniquePrefix("rollback");
    const store = await node(prefix);
    const follower = new HallFollower(store, HALL);
    const heard: string[] = [];
    follower.onEvent((e) => heard.push(`${e.seq}@${e.epoch}`));
    const kept = await issue(store);
    const backup = await copyOfHall(prefix);
    await issue(store);
    await issue(store);
    expect((await follower.current()).seq).toBe(3);
    await backup.restore();
    const rebuilt = await follower.current();
    expect(rebuilt.seq).toBe(1);
    expect(rebuilt.epoch).not.toBe(kept.epoch);
    const next = await issue(store);
    const view = await follower.current();
    expect(comparable(view)).toEqual(comparable(await store.snapshot(HALL)));
    expect(heard.slice(-1)).toEqual([`${next.seq}@${rebuilt.epoch}`]);
  });
});

describe("Redis restarted from an older RDB file", () => {
  it("a node rebases the hall as soon as it reconnects, before anyone commits", async () => {
    const own = await startRedisServer();
    try {
      const prefix = uniquePrefix("restart");
      const store = await node(prefix, own.url);
      await issue(store);
      await rawCommand(own.port, "SAVE");
      await copyFile(join(own.dir, "dump.rdb"), join(own.dir, "older.rdb"));
      const lost = await issue(store);
      await own.kill();
      await copyFile(join(own.dir, "older.rdb"), join(own.dir, "dump.rdb"));
      await own.restart();
      const until = performance.now() + 10_000;
      while (store.rebases === 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(store.rebases).toBe(1);
      const snapshot = await store.snapshot(HALL);
      expect(snapshot.seq).toBe(1);
      expect(snapshot.epoch).not.toBe(lost.epoch);
      expect((await issue(store)).ticket.number).toBe("A003");
    } finally {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await own.stop();
    }
  });

  it("a Redis back without any data gets the hall from the node's replica, in a new epoch, waiting tickets and numbers kept", async () => {
    const own = await startRedisServer();
    try {
      const prefix = uniquePrefix("empty");
      const store = await node(prefix, own.url);
      const waiting = [await issue(store), await issue(store)];
      await own.restart();
      let next: Extract<HallEvent, { type: "ticket:issued" }> | undefined;
      const until = performance.now() + 10_000;
      while (!next && performance.now() < until) next = await issue(store).catch(() => new Promise<undefined>((r) => setTimeout(r, 100)));
      expect(next).toMatchObject({ seq: 3, ticket: { number: "A003" } });
      expect(next!.epoch).not.toBe(waiting[0]!.epoch);
      const snapshot = await store.snapshot(HALL);
      expect(snapshot.tickets.map((t) => t.number)).toEqual(["A001", "A002", "A003"]);
      expect(comparable(await (await node(prefix, own.url)).snapshot(HALL))).toEqual(comparable(snapshot));
    } finally {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await own.stop();
    }
  });
});
