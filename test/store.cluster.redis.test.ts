/**
 * The store contract against a 3-shard Redis Cluster: every key a script touches is in KEYS and
 * shares the hall's hash tag, so each transition runs on one shard; different halls spread over
 * the shards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisStore } from "../server/store/redis/redis-store.js";
import { HallKeys } from "../server/store/redis/keys.js";
import { redisCli, startRedisCluster, uniquePrefix, type RedisClusterHandle } from "./helpers/redis.js";
import { contractHall, describeStoreContract, T0, wire } from "./store.contract.js";

let cluster: RedisClusterHandle;
beforeAll(async () => {
  cluster = await startRedisCluster(3);
});
afterAll(async () => {
  await cluster?.stop();
});

describeStoreContract("redis cluster", () => createRedisStore({ clusterNodes: cluster.urls, prefix: uniquePrefix("cluster") }));

/** Which node (host:port) serves each slot, from CLUSTER NODES. */
async function slotOwners(): Promise<(slot: number) => string> {
  const ranges: [number, number, string][] = [];
  for (const line of (await redisCli(cluster.nodes[0]!, "CLUSTER", "NODES")).split("\n")) {
    const parts = line.trim().split(" ");
    if (!parts[2]?.includes("master")) continue;
    const addr = parts[1]!.split("@")[0]!;
    for (const r of parts.slice(8)) {
      const [a, b] = r.split("-").map(Number);
      ranges.push([a!, b ?? a!, addr]);
    }
  }
  return (slot) => ranges.find(([a, b]) => slot >= a && slot <= b)![2];
}

describe("halls on a Redis Cluster", () => {
  it("all keys of one hall share a slot, and several halls land on different shards", async () => {
    const prefix = uniquePrefix("spread");
    const owner = await slotOwners();
    const store = await createRedisStore({ clusterNodes: cluster.urls, prefix });
    const shards = new Set<string>();
    try {
      for (let i = 0; i < 12; i++) {
        const config = { ...contractHall(), id: `hall-${i}` };
        await store.loadHall(config, T0);
        await store.execute(config.id, wire("ticket:issue", { serviceId: "social" }), { now: T0, by: "kiosk", staffId: null });
        const keys = new HallKeys(prefix, config.id);
        const all = [keys.seq, keys.log, keys.checkpoint, keys.result("some-command"), keys.tickets("2026-03-02"), keys.lock];
        const slots = new Set<number>();
        for (const k of all) slots.add(Number(await redisCli(cluster.nodes[0]!, "CLUSTER", "KEYSLOT", k)));
        expect(slots.size, `keys of ${config.id}`).toBe(1);
        const node = owner([...slots][0]!);
        shards.add(node);
        // The hall's state really lives on that shard.
        const [host, port] = node.split(":");
        expect(await redisCli({ host: host!, port: Number(port) }, "GET", keys.seq)).toBe("1");
        expect(await redisCli({ host: host!, port: Number(port) }, "XLEN", keys.log)).toBe("1");
      }
    } finally {
      await store.close();
    }
    expect(shards.size).toBe(3);
  });
});
