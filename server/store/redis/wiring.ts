/**
 * Everything a node needs to share Redis with other nodes: the HallStore, the Socket.IO sharded
 * Redis adapter (Redis 7 sharded pub/sub, standalone or Cluster) and a per-hall lock so that
 * hall-wide jobs (the balancer) run on one node at a time.
 *
 *   const { store, configureIo, ready, lock } = await wireRedis({ url, clusterNodes, prefix, log });
 *
 * Broadcast channels are per hall: every hall is its own Socket.IO namespace (`/hall/<id>`), and
 * the sharded adapter keeps one channel per namespace, so a hall's events reach only the nodes
 * that serve it (and, in a Cluster, the shard of that channel).
 */
import { randomBytes } from "node:crypto";
import { createShardedAdapter } from "@socket.io/redis-adapter";
import { createClient, createCluster } from "redis";
import type { HallLock } from "../../balancer/lock.js";
import type { Logger } from "../../log.js";
import type { HallServer } from "../../transport/socket.js";
import { HallKeys } from "./keys.js";
import { faultAware, STORE_CLIENT_OPTIONS } from "./faults.js";
import { runScript, script, type Send } from "./scripts.js";
import { onceAnOutage, RedisStore, type ClusterRedis, type RedisStoreTuning, type SingleRedis } from "./redis-store.js";

export interface WiredRedis {
  store: RedisStore;
  configureIo(io: HallServer): Promise<void>;
  ready(): Promise<void>;
  lock: RedisHallLock;
}

export interface WireRedisOptions extends RedisStoreTuning {
  url?: string;
  clusterNodes?: string[];
  prefix: string;
  log: Logger;
}

type AnyClient = ReturnType<typeof createClient>;
type AnyCluster = ReturnType<typeof createCluster>;

/** How long closing waits for a connection's queued commands before dropping them (Redis away). */
const CLOSE_GRACE_MS = 500;

/** "hc" → "hc:", so keys read `hc:{hall:x}:meta`; "" stays "". */
export const normalizePrefix = (prefix: string) => (prefix && !prefix.endsWith(":") ? `${prefix}:` : prefix);

export async function wireRedis(opts: WireRedisOptions): Promise<WiredRedis> {
  const prefix = normalizePrefix(opts.prefix);
  const { log } = opts;
  const isCluster = !!opts.clusterNodes?.length;
  // The store's and the lock's connection fails fast while Redis is away (faults.ts); the
  // adapter's keep their offline queue, since Socket.IO neither awaits nor catches a publish.
  const main: AnyClient | AnyCluster = isCluster
    ? createCluster({ rootNodes: opts.clusterNodes!.map((url) => ({ url })), defaults: STORE_CLIENT_OPTIONS })
    : createClient({ url: opts.url, ...STORE_CLIENT_OPTIONS });
  const extra: (AnyClient | AnyCluster)[] = [];
  const onError = (which: string) => (err: unknown) => log.error(`redis ${which} error`, err);
  const outage = onceAnOutage(onError("command"));
  main.on("error", outage.error);
  await main.connect();

  const send = faultAware((key: string | undefined, args: string[]): Promise<unknown> =>
    isCluster ? (main as AnyCluster).sendCommand(key, false, args) : (main as AnyClient).sendCommand(args),
  );

  const closeAll = async () => {
    await Promise.all(
      [...extra, main].map(async (c) => {
        try {
          // close() waits for the queued commands, which do not leave while Redis is away.
          let timer: ReturnType<typeof setTimeout> | undefined;
          const closing = c.close().then(() => true);
          const grace = new Promise<false>((r) => (timer = setTimeout(() => r(false), CLOSE_GRACE_MS)));
          const closed = await Promise.race([closing, grace]).finally(() => clearTimeout(timer));
          closing.catch(() => undefined);
          if (!closed) c.destroy();
        } catch {
          /* already closed */
        }
      }),
    );
  };
  const store = new RedisStore(isCluster ? (main as unknown as ClusterRedis) : (main as unknown as SingleRedis), prefix, closeAll, opts);
  main.on("ready", () => {
    if (!outage.ready()) return;
    log.info("redis is back: checking every hall against it");
    store.resync();
  });
  const lock = new RedisHallLock(send, prefix);

  return {
    store,
    lock,
    async configureIo(io: HallServer) {
      const queued = () => (isCluster ? (main as AnyCluster).duplicate({ defaults: {} }) : (main as AnyClient).duplicate({ disableOfflineQueue: false }));
      const pub = queued();
      const sub = queued();
      pub.on("error", onError("adapter pub"));
      sub.on("error", onError("adapter sub"));
      extra.push(pub, sub);
      await Promise.all([pub.connect(), sub.connect()]);
      // Each hall is its own namespace, so the adapter's static mode gives each hall its own
      // channel (`<prefix>socket.io#/hall/<id>#`), which a node reads only once it serves the hall.
      io.adapter(createShardedAdapter(pub, oneAtATime(sub, log), { channelPrefix: `${prefix}socket.io`, subscriptionMode: "static" }));
    },
    async ready() {
      const pong = await send(undefined, ["PING"]);
      if (pong !== "PONG") throw new Error(`redis PING answered ${String(pong)}`);
    },
  };
}

/**
 * The adapter's subscriber, with (un)subscriptions one at a time and their failures logged. The
 * adapter (one per hall's namespace) neither awaits nor catches them, and node-redis 5 drops a
 * Cluster shard's pub/sub connection when its last channel goes: two SUNSUBSCRIBEs at once on one
 * shard (every hall's namespace closing at shutdown) would both use the dropped connection.
 */
function oneAtATime<T extends AnyClient | AnyCluster>(sub: T, log: Logger): T {
  let queue: Promise<unknown> = Promise.resolve();
  return new Proxy(sub, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      if (prop !== "sSubscribe" && prop !== "sUnsubscribe") return value.bind(target);
      return (...args: unknown[]) => {
        const run = queue.then(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
        queue = run.catch((err: unknown) => log.warn(`${String(prop)} failed`, err));
        return queue;
      };
    },
  });
}

/**
 * `<prefix>{hall:<id>}:lock` holds the holder's token (scripts/acquireLock-1.lua), renewed by the same token. The hash tag keeps
 * the lock in the hall's slot. A holder that stops renewing loses the hall after ttlMs.
 */
export class RedisHallLock implements HallLock {
  /** This holder's token (one per node process). */
  readonly token = randomBytes(12).toString("base64url");

  constructor(
    private readonly send: Send,
    private readonly prefix: string,
  ) {}

  keyOf(hallId: string): string {
    return new HallKeys(this.prefix, hallId).lock;
  }

  async tryAcquire(hallId: string, ttlMs: number): Promise<boolean> {
    const key = this.keyOf(hallId);
    const res = await runScript(this.send, script("acquireLock"), [key], [this.token, String(Math.max(1, Math.round(ttlMs)))]);
    return Number(res) === 1;
  }

  /** Give the hall up at once (on shutdown), if this holder has it. */
  async release(hallId: string): Promise<void> {
    const key = this.keyOf(hallId);
    await runScript(this.send, script("releaseLock"), [key], [this.token]);
  }
}
