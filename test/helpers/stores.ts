/**
 * Both stores for tests that must hold on each: the embedded one and Redis (a private
 * redis-server for the file, a unique key prefix per store). Registers the file's hooks: stores
 * are closed before their Redis stops.
 */
import { afterAll, beforeAll } from "vitest";
import { MemoryStore } from "../../server/store/memory/memory-store.js";
import { createRedisStore } from "../../server/store/redis/redis-store.js";
import type { HallStore } from "../../server/store/types.js";
import { startRedisServer, uniquePrefix, type RedisServerHandle } from "./redis.js";

export type StoreName = "the embedded store" | "Redis";

export function bothStores(label: string): [StoreName, () => Promise<HallStore>][] {
  let redis: RedisServerHandle | undefined;
  const opened: HallStore[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await redis?.stop();
  });
  const keep = (s: HallStore) => (opened.push(s), s);
  return [
    ["the embedded store", async () => keep(new MemoryStore())],
    ["Redis", async () => keep(await createRedisStore({ url: redis!.url, prefix: uniquePrefix(label) }))],
  ];
}
