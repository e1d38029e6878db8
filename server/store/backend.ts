/**
 * The one place that turns settings into a store and what goes with it: the embedded SQLite
 * store (one file under `dataDir`) or the memory store (no `dataDir`: the load test's
 * `--store memory`, nothing on disk) for one process, or Redis (standalone or Cluster) with its Socket.IO adapter, per-hall
 * lock, readiness check, REST rate-limit counts and signed-out sessions for several nodes.
 * server/main.ts and the load test's nodes start HallCall through it.
 *
 *   const backend = await createBackend({ redisUrl: "redis://127.0.0.1:6379", prefix: "hc", log });
 *   const backend = await createBackend({ dataDir: "./data", log });   // ./data/hallcall.db
 *   createHallCallServer({ store: backend.store, ...backend.wiring, ... });
 *   await backend.close();                            // the store and every connection it opened
 */
import path from "node:path";
import type { HallLock } from "../balancer/lock.js";
import type { Logger } from "../log.js";
import type { LimiterFactory } from "../transport/rate-limit.js";
import type { RedisSend, SessionRegistry } from "../transport/sessions.js";
import type { HallServer } from "../transport/socket.js";
import { MemoryStore } from "./memory/memory-store.js";
import type { HallStore } from "./types.js";

export interface BackendSettings {
  /** redis://host:port of a single Redis. */
  redisUrl?: string;
  /** Root nodes of a Redis Cluster; win over `redisUrl`. */
  clusterNodes?: string[];
  /** Namespace in front of every Redis key. */
  prefix?: string;
  /**
   * Without Redis: the directory of the embedded store's SQLite file (created when missing).
   * Without it too, the memory store, whose hall is gone when the process ends.
   */
  dataDir?: string;
  /** The server's store deadline (STORE_DEADLINE_MS): a command that waited longer on the node is given up unsent. */
  storeDeadlineMs?: number;
  log: Logger;
}

export interface Backend {
  store: HallStore;
  /** What createHallCallServer needs besides the store (empty for the embedded store). */
  wiring: { configureIo?: (io: HallServer) => Promise<void>; ready?: () => Promise<void>; lock?: HallLock; limiters?: LimiterFactory; sessions?: SessionRegistry };
  /** For the log: which store this is. */
  description: string;
  /** Whether several nodes may share it. */
  shared: boolean;
  /** Closes the store and the connections opened for the limits and sessions. */
  close(): Promise<void>;
}

export async function createBackend(settings: BackendSettings): Promise<Backend> {
  const clusterNodes = settings.clusterNodes?.filter(Boolean) ?? [];
  if (!settings.redisUrl && clusterNodes.length === 0) {
    if (settings.dataDir) {
      const { createSqliteStore } = await import("./sqlite/sqlite-store.js");
      const { DATABASE_FILE } = await import("./sqlite/database.js");
      const store = createSqliteStore(settings.dataDir);
      return { store, wiring: {}, description: `SQLite ${path.join(settings.dataDir, DATABASE_FILE)}`, shared: false, close: () => store.close() };
    }
    const store = new MemoryStore();
    return { store, wiring: {}, description: "embedded memory", shared: false, close: () => store.close() };
  }
  const [{ wireRedis, normalizePrefix }, { createClient, createCluster }, { redisLimiters }, { RedisSessionRegistry }] = await Promise.all([
    import("./redis/wiring.js"),
    import("redis"),
    import("../transport/rate-limit.js"),
    import("../transport/sessions.js"),
  ]);
  const prefix = settings.prefix ?? "";
  const wired = await wireRedis({ url: settings.redisUrl, clusterNodes, prefix, log: settings.log, queueLimitMs: settings.storeDeadlineMs });
  // A connection of their own: rate-limit counts and session checks are small and frequent, and
  // must not queue behind a hall's commit scripts.
  let security, send: RedisSend;
  if (clusterNodes.length) {
    const cluster = createCluster({ rootNodes: clusterNodes.map((url) => ({ url })) });
    security = cluster;
    send = (key, args) => cluster.sendCommand(key, false, args);
  } else {
    const client = createClient({ url: settings.redisUrl });
    security = client;
    send = (_key, args) => client.sendCommand(args);
  }
  security.on("error", (err: unknown) => settings.log.error("redis (rate limits, sessions) error", err));
  try {
    await security.connect();
  } catch (err) {
    await wired.store.close();
    throw err;
  }
  const keyPrefix = normalizePrefix(prefix);
  return {
    store: wired.store,
    wiring: { configureIo: wired.configureIo, ready: wired.ready, lock: wired.lock, limiters: redisLimiters(security, keyPrefix), sessions: new RedisSessionRegistry(send, keyPrefix) },
    description: clusterNodes.length ? `Redis cluster (${clusterNodes.join(", ")})` : `Redis ${settings.redisUrl}`,
    shared: true,
    close: async () => {
      await wired.store.close();
      await security.close().catch(() => {});
    },
  };
}
