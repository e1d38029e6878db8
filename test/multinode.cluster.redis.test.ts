/**
 * The multi-node suite against a local 3-shard Redis Cluster (redis-cli --cluster create), plus:
 * halls land on different shards (their keys and their broadcast channels carry `{hall:<id>}`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisCli, startRedisCluster, type RedisClusterHandle } from "./helpers/redis.js";
import { multiNodeSuite } from "./multinode.shared.js";

describe("several nodes on a 3-shard Redis Cluster", () => {
  let cluster: RedisClusterHandle;
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  multiNodeSuite(
    () => ({ clusterNodes: cluster.urls }),
    (nodes) => {
      it("halls spread over the shards: each hall's keys sit on one master, different halls on different masters", async () => {
        const node = cluster.nodes[0]!;
        // "<id> <addr> <flags> <master> ... <slot ranges>": which master serves which slots.
        const masters = (await redisCli(node, "CLUSTER", "NODES"))
          .split("\n")
          .filter((l) => l.includes("master"))
          .map((l) => {
            const f = l.split(" ");
            return { addr: f[1]!.split("@")[0]!, ranges: f.slice(8).map((r) => r.split("-").map(Number) as [number, number?]) };
          });
        const ownerOf = (slot: number) => masters.find((m) => m.ranges.some(([lo, hi]) => slot >= lo && slot <= (hi ?? lo)))?.addr;
        const store = nodes()[0]!.wired.store;
        const owners = new Map<string, string | undefined>();
        for (const hall of ["race", "east", "west"]) {
          const slot = Number(await redisCli(node, "CLUSTER", "KEYSLOT", store.keysOf(hall).seq));
          expect(Number(await redisCli(node, "CLUSTER", "KEYSLOT", store.keysOf(hall).log))).toBe(slot);
          owners.set(hall, ownerOf(slot));
        }
        expect([...owners.values()].every(Boolean)).toBe(true);
        expect(new Set(owners.values()).size).toBeGreaterThan(1);
      });
    },
  );
});
