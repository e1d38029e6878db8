/**
 * Three HallCall nodes share one standalone Redis 7 (started for this file): broadcasts cross
 * nodes through the sharded adapter, twenty windows race on one queue, the hall lock has one owner.
 */
import { afterAll, beforeAll, describe } from "vitest";
import { startRedisServer, type RedisServerHandle } from "./helpers/redis.js";
import { multiNodeSuite } from "./multinode.shared.js";

describe("several nodes on one Redis", () => {
  let redis: RedisServerHandle;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  multiNodeSuite(() => ({ url: redis.url }));
});
