/**
 * The one place that turns settings into a store and what goes with it: the embedded memory
 * store for one process, or Redis (standalone or Cluster) with its Socket.IO adapter, per-hall
 * lock and readiness check for several nodes. server/main.ts and the load test's nodes start
 * HallCall through it.
 *
 *   const backend = await createBackend({ redisUrl: "redis://127.0.0.1:6379", prefix: "hc", log });
 *   createHallCallServer({ store: backend.store, ...backend.wiring, ... });
 */
import type { HallLock } from "../balancer/lock.js";
import type { Logger } from "../log.js";
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
  log: Logger;
}

export interface Backend {
  store: HallStore;
  /** What createHallCallServer needs besides the store (empty for the embedded store). */
  wiring: { configureIo?: (io: HallServer) => Promise<void>; ready?: () => Promise<void>; lock?: HallLock };
  /** For the log: which store this is. */
  description: string;
  /** Whether several nodes may share it. */
  shared: boolean;
}

export async function createBackend(settings: BackendSettings): Promise<Backend> {
  const clusterNodes = settings.clusterNodes?.filter(Boolean) ?? [];
  if (!settings.redisUrl && clusterNodes.length === 0) return { store: new MemoryStore(), wiring: {}, description: "embedded memory", shared: false };
  const { wireRedis } = await import("./redis/wiring.js");
  const wired = await wireRedis({ url: settings.redisUrl, clusterNodes, prefix: settings.prefix ?? "", log: settings.log });
  return {
    store: wired.store,
    wiring: { configureIo: wired.configureIo, ready: wired.ready, lock: wired.lock },
    description: clusterNodes.length ? `Redis cluster (${clusterNodes.join(", ")})` : `Redis ${settings.redisUrl}`,
    shared: true,
  };
}
