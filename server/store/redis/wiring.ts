/**
 * Everything a node needs to share Redis with other nodes: the HallStore, the Socket.IO sharded
 * Redis adapter (Redis 7 sharded pub/sub, standalone or Cluster) and a per-hall lock so that
 * hall-wide jobs (the balancer) run on one node at a time.
 *
 *   const { store, configureIo, ready, lock } = await wireRedis({ url, clusterNodes, prefix, log });
 *
 * Broadcast channels are per hall: HallCall emits a ticket's event to `hall:<id>`, `ticket:<id>/<t>`
 * and `window:<id>/<w>` (several rooms), which the stock adapter would send on the one namespace-wide channel that every
 * node reads. `hallScoped` maps every room of a hall to one channel `<prefix>socket.io#/#hall:<id>#`
 * (one slot, so one shard in a Cluster) that a node subscribes to while it holds any room of that
 * hall. Everything else (socket-id rooms, acks, server-side emits) stays on the adapter's own
 * channels.
 */
import { randomBytes } from "node:crypto";
import { createShardedAdapter } from "@socket.io/redis-adapter";
import { createClient, createCluster } from "redis";
import type { HallLock } from "../../balancer/lock.js";
import type { Logger } from "../../log.js";
import type { HallServer } from "../../transport/socket.js";
import { HallKeys } from "./keys.js";
import { runScript, script, type Send } from "./scripts.js";
import { RedisStore, type ClusterRedis, type SingleRedis } from "./redis-store.js";

export interface WiredRedis {
  store: RedisStore;
  configureIo(io: HallServer): Promise<void>;
  ready(): Promise<void>;
  lock: RedisHallLock;
}

export interface WireRedisOptions {
  url?: string;
  clusterNodes?: string[];
  prefix: string;
  log: Logger;
}

type AnyClient = ReturnType<typeof createClient>;
type AnyCluster = ReturnType<typeof createCluster>;

/** "hc" → "hc:", so keys read `hc:{hall:x}:meta`; "" stays "". */
export const normalizePrefix = (prefix: string) => (prefix && !prefix.endsWith(":") ? `${prefix}:` : prefix);

export async function wireRedis(opts: WireRedisOptions): Promise<WiredRedis> {
  const prefix = normalizePrefix(opts.prefix);
  const { log } = opts;
  const isCluster = !!opts.clusterNodes?.length;
  const main: AnyClient | AnyCluster = isCluster ? createCluster({ rootNodes: opts.clusterNodes!.map((url) => ({ url })) }) : createClient({ url: opts.url });
  const extra: (AnyClient | AnyCluster)[] = [];
  const onError = (which: string) => (err: unknown) => log.error(`redis ${which} error`, err);
  main.on("error", onError("command"));
  await main.connect();

  const send = (key: string | undefined, args: string[]): Promise<unknown> =>
    isCluster ? (main as AnyCluster).sendCommand(key, false, args) : (main as AnyClient).sendCommand(args);

  const closeAll = async () => {
    for (const c of [...extra, main]) {
      try {
        await c.close();
      } catch {
        /* already closed */
      }
    }
  };
  const store = new RedisStore(isCluster ? (main as unknown as ClusterRedis) : (main as unknown as SingleRedis), prefix, closeAll);
  const lock = new RedisHallLock(send, prefix);

  return {
    store,
    lock,
    async configureIo(io: HallServer) {
      const pub = main.duplicate();
      const sub = main.duplicate();
      pub.on("error", onError("adapter pub"));
      sub.on("error", onError("adapter sub"));
      extra.push(pub, sub);
      await Promise.all([pub.connect(), sub.connect()]);
      const factory = createShardedAdapter(pub, sub, { channelPrefix: `${prefix}socket.io`, subscriptionMode: "static" });
      // Socket.IO calls `new Adapter(nsp)`: a plain function returning an object serves as one.
      const make = factory as unknown as (n: unknown) => AdapterInternals;
      io.adapter(function (nsp: unknown) {
        return hallScoped(make(nsp), sub, log);
      } as never);
    },
    async ready() {
      const pong = await send(undefined, ["PING"]);
      if (pong !== "PONG") throw new Error(`redis PING answered ${String(pong)}`);
    },
  };
}

/** The parts of the sharded adapter (8.x) that hallScoped relies on. */
interface AdapterInternals {
  channel: string;
  computeChannel(message: { type: number; data?: { requestId?: string; opts?: { rooms?: string[] } } }): string;
  onRawMessage(raw: Buffer, channel: Buffer | string): void;
  on(event: "create-room" | "delete-room", fn: (room: string) => void): void;
  close(): Promise<void> | void;
}

const BROADCAST = 3; // socket.io-adapter MessageType.BROADCAST

/** The hall a room belongs to: `hall:<id>`, `queue:<id>`, `phones:<id>`, `parked:<id>`, `ticket:<id>/<ticket>`, `window:<id>/<window>`. */
export function hallOfRoom(room: string): string | null {
  const m = /^(?:hall|queue|phones|parked):([^/]+)$/.exec(room) ?? /^(?:ticket|window):([^/]+)\//.exec(room);
  return m ? m[1]! : null;
}

function hallScoped(adapter: AdapterInternals, sub: AnyClient | AnyCluster, log: Logger): AdapterInternals {
  const channelOf = (hallId: string) => `${adapter.channel}hall:${hallId}#`;
  const roomsByHall = new Map<string, number>();
  const handler = (raw: Buffer, channel: Buffer | string) => adapter.onRawMessage(raw, channel);
  const original = adapter.computeChannel.bind(adapter);
  // (Un)subscriptions run one at a time: node-redis 5 drops a Cluster shard's pub/sub connection
  // when its last channel goes, and two concurrent SUNSUBSCRIBEs on one shard would both drop it.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = (what: string, op: () => Promise<unknown>) => {
    queue = queue.then(op).catch((err: unknown) => log.warn(`${what} failed`, err));
  };

  adapter.computeChannel = (message) => {
    const rooms = message.data?.opts?.rooms;
    if (message.type === BROADCAST && message.data?.requestId === undefined && rooms?.length) {
      const hall = hallOfRoom(rooms[0]!);
      if (hall && rooms.every((r) => hallOfRoom(r) === hall)) return channelOf(hall);
    }
    return original(message);
  };
  adapter.on("create-room", (room) => {
    const hall = hallOfRoom(room);
    if (!hall) return;
    const n = roomsByHall.get(hall) ?? 0;
    roomsByHall.set(hall, n + 1);
    if (n === 0) serially(`SSUBSCRIBE hall ${hall}`, () => sub.sSubscribe(channelOf(hall), handler, true));
  });
  adapter.on("delete-room", (room) => {
    const hall = hallOfRoom(room);
    if (!hall) return;
    const n = (roomsByHall.get(hall) ?? 1) - 1;
    if (n > 0) return void roomsByHall.set(hall, n);
    roomsByHall.delete(hall);
    serially(`SUNSUBSCRIBE hall ${hall}`, () => (roomsByHall.has(hall) ? Promise.resolve() : sub.sUnsubscribe(channelOf(hall), handler, true)));
  });
  // Replaces the adapter's own close (which unsubscribes its two channels at once, unawaited by
  // Socket.IO): the same channels plus the halls', one at a time.
  adapter.close = () => {
    const own = [adapter.channel, (adapter as unknown as { responseChannel: string }).responseChannel];
    const halls = [...roomsByHall.keys()].map(channelOf);
    roomsByHall.clear();
    for (const ch of [...halls, ...own]) serially(`SUNSUBSCRIBE ${ch}`, () => (sub.isOpen ? sub.sUnsubscribe(ch) : Promise.resolve()));
    return queue.then(() => undefined);
  };
  return adapter;
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
