/**
 * The Redis HallStore: a hall's event log in Redis, shared by every node that serves the hall.
 * Each node keeps a HallReplica of each hall, folded from the log; a command is decided by the
 * domain on the replica and committed by one small script (scripts/commit-5.lua) that appends
 * only if the hall is still at the sequence number it was decided on. When another node moved
 * the hall on, the node catches up from the log and decides again. Commands for one hall on one
 * node run one at a time, so a node never conflicts with itself.
 *
 * Faults: every failure of Redis reaches the caller as STORE_UNAVAILABLE (redis/faults.ts); a
 * command that waited on this node longer than `queueLimitMs` is given up before it is sent, and
 * one that reaches Redis later than `lateLimitMs` after it was sent appends nothing, so nothing
 * decided before an outage acts long after it. The replica heals itself from the log: a commit
 * whose answer was lost shows up as a conflict, and a log that went back (Redis restored from an
 * older copy) as a log shorter than, or different from, what the node saw; the node then rebases
 * the hall onto a new epoch (scripts/rebase-3.lua), which makes every screen resync.
 *
 *   const store = await createRedisStore({ url: "redis://127.0.0.1:6380", prefix: "hallcall:" });
 *   const store = await createRedisStore({ clusterNodes: ["redis://10.0.0.1:7000", ...] });
 *   const store = RedisStore.fromClient(existingClientOrCluster, { prefix });
 */
import { randomBytes } from "node:crypto";
import { createClient, createCluster } from "redis";
import { applyEvent, HallCallError, HallEvent, HallSnapshot, Ticket } from "../../../protocol/index.js";
import { previousDate, systemClock, type Clock } from "../../domain/clock.js";
import { commandIdOf, type CommandContext, type StoreCommand } from "../../domain/hall-commands.js";
import type { HallConfig } from "../../domain/config.js";
import type { Logger } from "../../log.js";
import { initialSnapshot, keptOn } from "../../domain/hall.js";
import { DEFAULT_STORE_DEADLINE_MS } from "../deadline.js";
import { parseResult, recordOf, replayOf, resultJson, type CommandRecord } from "../idempotency.js";
import { newTicketId, withTicketId } from "../ids.js";
import { HallReplica, type Decided } from "../replica.js";
import { EVENT_LOG_MAX, IDEMPOTENCY_TTL_MS, type Executed, type HallStore } from "../types.js";
import { faultAware, STORE_CLIENT_OPTIONS } from "./faults.js";
import { HallKeys } from "./keys.js";
import { runScript, script } from "./scripts.js";

/** A single node-redis v5 client (createClient), connected. */
export interface SingleRedis {
  sendCommand(args: ReadonlyArray<string>): Promise<unknown>;
}
/** A node-redis v5 cluster client (createCluster), connected. */
export interface ClusterRedis {
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: ReadonlyArray<string>): Promise<unknown>;
  readonly masters: unknown;
}
export type RedisConnection = SingleRedis | ClusterRedis;

/** How the store behaves while Redis is away; each has a default. */
export interface RedisStoreTuning {
  /**
   * A command that waited on this node longer than this for its turn (a commit before it hanging
   * on a paused or partitioned Redis) is refused with STORE_UNAVAILABLE without being sent: its
   * caller has been told STORE_UNAVAILABLE by the deadline already, and a retry with the same
   * commandId starts afresh. Default: the transports' deadline, DEFAULT_STORE_DEADLINE_MS.
   */
  queueLimitMs?: number;
  /**
   * A commit that reaches Redis later than this after it was sent appends nothing (commit-5.lua
   * compares with Redis's TIME). Generous, so that clocks of nodes and Redis a few seconds apart
   * never refuse a commit; short enough that nothing decided before an outage acts minutes after.
   * Default 30 s.
   */
  lateLimitMs?: number;
  /** The wall clock the latest time is counted on (Redis's TIME is compared with it). */
  wallClock?: Clock;
  /** Where a rebase is told (default: the console's stderr). */
  log?: Pick<Logger, "warn">;
}

export interface RedisStoreOptions extends RedisStoreTuning {
  /** redis://host:port of a single Redis (default redis://127.0.0.1:6379). */
  url?: string;
  /** Root nodes of a Redis Cluster, e.g. ["redis://10.0.0.1:7000"]; wins over `url`. */
  clusterNodes?: string[];
  /** Namespace in front of every key, e.g. "hallcall:" (default ""). */
  prefix?: string;
  /** An existing connected client or cluster; the store will not close it. */
  client?: RedisConnection;
}

/**
 * A checkpoint after this many events, or twice as many as the hall has live tickets when that is
 * more (but within the log's length): a new replica folds a few hundred events at most, and
 * writing the checkpoint costs each event about one ticket's JSON however long the queues grow.
 */
export const CHECKPOINT_EVERY = 200;
/** A day's tickets hash outlives its last write by this much: through the next business day. */
export const TICKETS_TTL_MS = 3 * 24 * 3600_000;
export const DEFAULT_LATE_LIMIT_MS = 30_000;
/** Commits a command may lose to other nodes before it gives up (each loss means progress elsewhere). */
const MAX_ATTEMPTS = 100;
/** Commands of one hall committed together at most. */
const MAX_BATCH = 64;
/** After this many lost commits a node claims the hall's next turn, for at most TURN_MS. */
const CLAIM_AFTER = 2;
const TURN_MS = 200;
/** Log entries read per round trip when folding. */
const PAGE = 1000;

/** Connect (unless a client is given) and build a store; `close()` quits what it opened here. */
export async function createRedisStore(opts: RedisStoreOptions = {}): Promise<RedisStore> {
  const prefix = checkPrefix(opts.prefix ?? "");
  if (opts.client) return new RedisStore(opts.client, prefix, null, opts);
  if (opts.clusterNodes?.length) {
    const cluster = createCluster({ rootNodes: opts.clusterNodes.map((url) => ({ url })), defaults: STORE_CLIENT_OPTIONS });
    cluster.on("error", (err) => console.error("[redis-store] cluster error:", err));
    await cluster.connect();
    return new RedisStore(cluster as unknown as ClusterRedis, prefix, async () => void (await cluster.close()), opts);
  }
  const client = createClient({ url: opts.url, ...STORE_CLIENT_OPTIONS });
  const outage = onceAnOutage((err) => console.error("[redis-store] client error:", err));
  client.on("error", outage.error);
  await client.connect();
  const store = new RedisStore(client as unknown as SingleRedis, prefix, async () => void (await client.close()), opts);
  client.on("ready", () => outage.ready() && store.resync());
  return store;
}

/**
 * Error and ready listeners that tell one error per outage (a client reconnecting every couple of
 * seconds would log each attempt) and whether a `ready` ends one.
 */
export function onceAnOutage(tell: (err: unknown) => void): { error(err: unknown): void; ready(): boolean } {
  let down = false;
  return {
    error(err) {
      if (!down) tell(err);
      down = true;
    },
    ready() {
      const was = down;
      down = false;
      return was;
    },
  };
}

/** A brace in the prefix would become the hash tag and put every hall in one cluster slot. */
function checkPrefix(prefix: string): string {
  if (/[{}]/.test(prefix)) throw new Error(`Redis key prefix "${prefix}" must not contain { or }`);
  return prefix;
}

interface RedisHall extends Built {
  config: HallConfig;
  keys: HallKeys;
  /** The tail of this hall's work on this node: commands and catch-ups run one after another. */
  queue: Promise<unknown>;
  /** Commands waiting for the next commit, and whether a flush is queued for them. */
  pending: Job[];
  flushing: boolean;
}

/** A replica and what it was built on. */
interface Built {
  replica: HallReplica;
  /** The seq of the last checkpoint this node wrote or started from. */
  checkpointSeq: number;
  /** The rebase marker Redis had when the replica was read ("" before any rebase). */
  marker: string;
  /** The logged JSON of the replica's last event, when the replica has seen it (not after a build from a checkpoint alone). */
  lastJson: string | null;
}

interface Job {
  cmd: StoreCommand;
  ctx: CommandContext;
  commandId: string | undefined;
  /** What the commandId is recorded for (null without a commandId). */
  record: CommandRecord | null;
  /** performance.now() when the store was handed the command. */
  queuedAt: number;
  resolve(done: Executed): void;
  reject(err: unknown): void;
}

const COMMITTED = 0;
const REPLAYED = 1;
const CONFLICT = 2;
const OTHERS_TURN = 3;
const LATE = 4;
const REBASED = 5;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const parseEvent = (json: string): HallEvent => HallEvent.parse(JSON.parse(json));

/** A log entry: its seq and the event's JSON as committed. */
interface Entry {
  seq: number;
  json: string;
}

/** The ticket a command names by id, which the replica may not hold (one that ended before it was built). */
function namedTicket(cmd: StoreCommand): string | undefined {
  const p = cmd.payload as { ticketId?: string };
  return typeof p.ticketId === "string" ? p.ticketId : undefined;
}

/** The generation of a rebase marker `<generation>:<epoch>` (0 for none). */
const generation = (marker: string): number => Number(marker.split(":")[0]) || 0;

/** Whether `seen` had issued more of some service's numbers today than `redis` has. */
function numbersAhead(seen: HallSnapshot, redis: HallSnapshot): boolean {
  return seen.businessDate === redis.businessDate && Object.entries(seen.stats.issued).some(([service, n]) => n > (redis.stats.issued[service] ?? 0));
}

/**
 * The hall Redis has, as the first snapshot of a new epoch. Numbers continue after the highest
 * this node saw issued today: a ticket printed from a lost event keeps its number to itself.
 */
function rebasedSnapshot(redis: HallSnapshot, seen: HallSnapshot, epoch: string): HallSnapshot {
  const issued = { ...redis.stats.issued };
  if (seen.businessDate === redis.businessDate) for (const [service, n] of Object.entries(seen.stats.issued)) issued[service] = Math.max(issued[service] ?? 0, n);
  return { ...redis, epoch, stats: { ...redis.stats, issued } };
}

const unavailable = (why: string) => new HallCallError("STORE_UNAVAILABLE", `${why} Retry with the same commandId.`);

export class RedisStore implements HallStore {
  readonly kind = "redis" as const;
  private halls = new Map<string, RedisHall>();
  private closed = false;
  /** This store's token in the hall's commit turn. */
  private readonly token = newTicketId();
  /** Commits that lost to another node and were decided again (a figure for operators and tests). */
  conflicts = 0;
  /** Halls this store rebased onto a new epoch because their log went back (a figure for operators and tests). */
  rebases = 0;
  private readonly queueLimitMs: number;
  private readonly lateLimitMs: number;
  private readonly wallClock: Clock;
  private readonly log: Pick<Logger, "warn">;
  private readonly send: (firstKey: string | undefined, args: string[]) => Promise<unknown>;

  constructor(
    private readonly conn: RedisConnection,
    readonly prefix: string = "",
    private readonly closeOwned: (() => Promise<void>) | null = null,
    tuning: RedisStoreTuning = {},
  ) {
    checkPrefix(prefix);
    this.queueLimitMs = tuning.queueLimitMs ?? DEFAULT_STORE_DEADLINE_MS;
    this.lateLimitMs = tuning.lateLimitMs ?? DEFAULT_LATE_LIMIT_MS;
    this.wallClock = tuning.wallClock ?? systemClock;
    this.log = tuning.log ?? { warn: (msg) => console.error(`[redis-store] ${msg}`) };
    this.send = faultAware((firstKey: string | undefined, args: string[]) => ("masters" in conn ? conn.sendCommand(firstKey, false, args) : (conn as SingleRedis).sendCommand(args)));
  }

  /** A store on a client or cluster the caller connected and will close. */
  static fromClient(client: RedisConnection, opts: { prefix?: string } & RedisStoreTuning = {}): RedisStore {
    return new RedisStore(client, opts.prefix ?? "", null, opts);
  }

  async loadHall(config: HallConfig, now: number): Promise<void> {
    const cur = this.halls.get(config.id);
    if (cur) {
      await this.serially(cur, async () => cur.replica.reconfigure((cur.config = config)));
      return;
    }
    const keys = new HallKeys(this.prefix, config.id);
    await this.send(keys.checkpoint, ["SET", keys.checkpoint, JSON.stringify(initialSnapshot(config, now)), "NX"]);
    this.halls.set(config.id, { config, keys, ...(await this.build(config, keys)), queue: Promise.resolve(), pending: [], flushing: false });
  }

  async execute(hallId: string, cmd: StoreCommand, ctx: CommandContext): Promise<Executed> {
    const hall = this.hall(hallId);
    const commandId = commandIdOf(cmd);
    return new Promise<Executed>((resolve, reject) => {
      hall.pending.push({ cmd, ctx: withTicketId(cmd, ctx), commandId, record: commandId ? recordOf(cmd, ctx) : null, queuedAt: performance.now(), resolve, reject });
      this.scheduleFlush(hall);
    });
  }

  async snapshot(hallId: string): Promise<HallSnapshot> {
    const hall = this.hall(hallId);
    const asked = performance.now();
    await this.serially(hall, () => {
      if (performance.now() - asked > this.queueLimitMs) throw unavailable(`The hall's snapshot waited over ${this.queueLimitMs} ms on this node for Redis.`);
      return this.catchUp(hall);
    });
    return hall.replica.snapshot;
  }

  /** From the tickets hashes, which every commit writes: current without catching the replica up. */
  async ticket(hallId: string, ticketId: string): Promise<Ticket | null> {
    const hall = this.hall(hallId);
    return (await this.storedTicket(hall, ticketId)) ?? hall.replica.ticket(ticketId) ?? null;
  }

  async eventsSince(hallId: string, afterSeq: number, limit = 1000): Promise<HallEvent[]> {
    return (await this.entries(this.hall(hallId).keys, afterSeq, limit)).map((e) => parseEvent(e.json));
  }

  /**
   * Check every hall against Redis now (the connection came back after an outage): a log that
   * went back meanwhile is found, and rebased, before anyone commits on it.
   */
  resync(): void {
    for (const hall of this.halls.values()) void this.serially(hall, () => this.catchUp(hall)).catch(() => undefined);
  }

  /** Quits the connections this store opened; closing twice is harmless. */
  async close(): Promise<void> {
    this.halls.clear();
    if (this.closed) return;
    this.closed = true;
    if (this.closeOwned) await this.closeOwned();
  }

  /** The hall's key names (for tests and operators). */
  keysOf(hallId: string): HallKeys {
    return this.hall(hallId).keys;
  }

  private hall(hallId: string): RedisHall {
    const hall = this.halls.get(hallId);
    if (!hall) throw new HallCallError("UNKNOWN_HALL", `No hall "${hallId}".`);
    return hall;
  }

  private serially<T>(hall: RedisHall, work: () => Promise<T>): Promise<T> {
    const run = hall.queue.then(work, work);
    hall.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Commands queued for the hall while a commit was in flight, decided one after another on a
   * fork of the replica and committed in one script call: a busy hall's commands share a round
   * trip instead of each waiting for the one before.
   */
  private async flush(hall: RedisHall): Promise<void> {
    hall.flushing = false;
    const now = performance.now();
    const jobs = hall.pending.splice(0, MAX_BATCH).filter((job) => {
      if (now - job.queuedAt <= this.queueLimitMs) return true;
      job.reject(unavailable(`The command waited ${Math.round(now - job.queuedAt)} ms on this node for Redis and was not sent; nothing was changed.`));
      return false;
    });
    if (hall.pending.length) this.scheduleFlush(hall);
    if (!jobs.length) return;
    try {
      await this.commitBatch(hall, jobs);
    } catch (err) {
      for (const job of jobs) job.reject(err);
    }
  }

  private scheduleFlush(hall: RedisHall): void {
    if (hall.flushing) return;
    hall.flushing = true;
    void this.serially(hall, () => this.flush(hall));
  }

  private async commitBatch(hall: RedisHall, jobs: Job[]): Promise<void> {
    let todo = jobs;
    /** Refused within a batch: decided again alone, with the care a refusal needs (below). */
    const alone: Job[] = [];
    let caughtUp = false;
    let lost = 0;
    let waited = 0;
    while (todo.length) {
      todo = todo.filter((j) => !alone.includes(j));
      if (!todo.length) break;
      let again = false;
      // Tickets the commands name that the replica has not seen (ended before it was built), read together.
      const unseen = [...new Set(todo.map((j) => namedTicket(j.cmd)).filter((id): id is string => !!id && !hall.replica.ticket(id)))];
      for (const t of await Promise.all(unseen.map((id) => this.storedTicket(hall, id)))) if (t) hall.replica.remember(t);
      const fork = hall.replica.fork();
      const batch: { job: Job; decided: Decided }[] = [];
      const rest: Job[] = [];
      const ids = new Set<string>();
      for (const [i, job] of todo.entries()) {
        // The same commandId twice in one batch (a retry that caught up with its first attempt):
        // the second waits for the first's record, which answers it or refuses a reuse.
        if (job.commandId && ids.has(job.commandId)) {
          alone.push(job);
          continue;
        }
        if (job.commandId) ids.add(job.commandId);
        let decided: Decided;
        try {
          decided = fork.decide(job.cmd, job.ctx);
        } catch (err) {
          if (!(err instanceof HallCallError)) throw err;
          if (todo.length > 1) {
            alone.push(job);
            continue;
          }
          // Refused on what this node knew: what the other nodes did meanwhile may change the
          // answer, and a repeated command is answered with its first result, not refused.
          if (!caughtUp) {
            await this.catchUp(hall);
            caughtUp = again = true;
            break;
          }
          const prior = job.commandId ? ((await this.send(hall.keys.result(job.commandId), ["GET", hall.keys.result(job.commandId)])) as string | null) : null;
          if (prior) this.replay(job, prior);
          else job.reject(err);
          return this.runAlone(hall, alone);
        }
        decided.events.forEach((e) => fork.apply(e));
        batch.push({ job, decided });
        // A new day ends a batch: what follows is decided on the new day's replica.
        if (decided.events.some((e) => e.type === "hall:dayStarted")) {
          rest.push(...todo.slice(i + 1));
          break;
        }
      }
      if (!batch.length) {
        if (!again) todo = [];
        continue;
      }
      const { checkpoint, answered, json } = await this.commit(hall, batch, lost >= CLAIM_AFTER);
      const [status, ...reply] = answered as [number, ...string[]];
      if (status === COMMITTED) {
        if (checkpoint) hall.checkpointSeq = Number(reply[0]);
        for (const { job, decided } of batch) {
          for (const e of decided.events) if (!hall.replica.apply(e)) throw new Error(`replica of ${hall.config.id} could not apply its own event #${e.seq}`);
          job.resolve({ event: decided.answer, replayed: false, committed: decided.events });
        }
        hall.lastJson = json[json.length - 1]!;
        todo = rest;
        continue;
      }
      if (status === REPLAYED) {
        // Answer the repeats with their first results (or refuse a reuse); decide the others again without them.
        const repeats = new Set<Job>();
        for (let k = 0; k + 1 < reply.length; k += 2) {
          const { job } = batch[Number(reply[k]) - 1]!;
          repeats.add(job);
          this.replay(job, reply[k + 1]!);
        }
        todo = todo.filter((j) => !repeats.has(j));
        continue;
      }
      if (status === LATE) {
        const late = unavailable(`The commit reached Redis more than ${this.lateLimitMs} ms after it was sent and was not applied; nothing was changed.`);
        for (const job of todo) if (!alone.includes(job)) job.reject(late);
        todo = [];
        continue;
      }
      if (status === REBASED) {
        if (++lost >= MAX_ATTEMPTS) break;
        await this.catchUp(hall);
        caughtUp = true;
        continue;
      }
      if (status === OTHERS_TURN) {
        // Another node's claimed turn lasts TURN_MS at most; a pause is a millisecond or more.
        if (waited++ >= 2 * TURN_MS) break;
        await pause(1);
        continue;
      }
      if (status !== CONFLICT) throw new Error(`commit script answered ${status}`);
      this.conflicts++;
      if (++lost >= MAX_ATTEMPTS) break;
      const [current, base, ...missed] = reply as [string, string, ...string[]];
      // What this node missed follows what it has only when the log still holds its last event as
      // it saw it; otherwise the log went back (or was trimmed past it), which catchUp tells apart.
      const follows = Number(current) >= hall.replica.seq && (hall.replica.seq === 0 || hall.lastJson === null || base === hall.lastJson);
      const complete = follows && missed.length === Number(current) - hall.replica.seq && missed.every((j) => hall.replica.apply(parseEvent(j)));
      if (complete && missed.length) hall.lastJson = missed[missed.length - 1]!;
      if (!complete) await this.catchUp(hall);
      caughtUp = true;
    }
    const busy = new HallCallError("INTERNAL", `Hall ${hall.config.id} is too busy on other nodes to commit this command now; try again.`);
    for (const job of todo) if (!alone.includes(job)) job.reject(busy);
    await this.runAlone(hall, alone);
  }

  /** Answer a job whose commandId has a stored record: the first event, or the conflict of a reuse. */
  private replay(job: Job, stored: string): void {
    try {
      job.resolve({ event: replayOf(job.commandId!, parseResult(stored), job.record!), replayed: true, committed: [] });
    } catch (err) {
      job.reject(err);
    }
  }

  private async runAlone(hall: RedisHall, jobs: Job[]): Promise<void> {
    for (const job of jobs) await this.commitBatch(hall, [job]);
  }

  private async commit(hall: RedisHall, batch: { job: Job; decided: Decided }[], claimTurn: boolean): Promise<{ checkpoint: boolean; answered: unknown; json: string[] }> {
    const { keys, replica } = hall;
    const events = batch.flatMap((b) => b.decided.events);
    const from = replica.seq;
    const to = from + events.length;
    const every = Math.min(EVENT_LOG_MAX / 2, Math.max(CHECKPOINT_EVERY, 2 * replica.snapshot.tickets.length));
    const checkpoint = to - hall.checkpointSeq >= every || events.some((e) => e.type === "hall:dayStarted");
    let after = replica.snapshot;
    if (checkpoint) for (const e of events) after = (applyEvent(after, e) as { ok: true; snapshot: HallSnapshot }).snapshot;
    const tickets = events.flatMap((e) => ("ticket" in e ? [e.ticket] : []));
    const json = new Map(events.map((e) => [e, JSON.stringify(e)]));
    const answered = await runScript(
      this.send,
      script("commit"),
      [keys.seq, keys.log, keys.checkpoint, keys.turn, keys.epoch, ...batch.map((b) => keys.result(b.job.commandId)), ...tickets.map((t) => keys.tickets(t.businessDate))],
      [
        String(from),
        String(batch.length),
        String(IDEMPOTENCY_TTL_MS),
        String(TICKETS_TTL_MS),
        String(EVENT_LOG_MAX),
        checkpoint ? JSON.stringify(after) : "",
        this.token,
        claimTurn ? "1" : "0",
        String(TURN_MS),
        hall.marker,
        String(this.wallClock.now() + this.lateLimitMs),
        String(events.length),
        ...json.values(),
        ...batch.flatMap((b) => (b.job.record ? ["1", resultJson(b.job.record, json.get(b.decided.answer)!)] : ["0", ""])),
        ...tickets.flatMap((t) => [t.id, JSON.stringify(t)]),
      ],
    );
    return { checkpoint, answered, json: [...json.values()] };
  }

  /**
   * Bring the replica up to what Redis has. Checks first that Redis still holds what the replica
   * saw: a log shorter than the replica, or another event at the replica's last seq, means the log
   * went back; a rebase marker other than the replica's means another node rebased. Either way the
   * hall is built again from Redis (realign); else the log's new events are folded in, or the
   * replica is rebuilt from the checkpoint when the log was trimmed past it.
   */
  private async catchUp(hall: RedisHall): Promise<void> {
    const { keys, replica } = hall;
    const at = replica.seq;
    const [seq, marker, page] = await Promise.all([this.send(keys.seq, ["GET", keys.seq]), this.send(keys.epoch, ["GET", keys.epoch]), this.entries(keys, at - 1, PAGE)]);
    const base = at > 0 && page[0]?.seq === at ? page.shift()! : null;
    const wentBack = Number(seq ?? 0) < at || (base !== null && hall.lastJson !== null && base.json !== hall.lastJson);
    if (wentBack || ((marker as string | null) ?? "") !== hall.marker) return this.realign(hall, wentBack);
    const folded = await this.fold(keys, replica, page);
    if (folded === false) Object.assign(hall, await this.build(hall.config, keys));
    else if (folded !== null) hall.lastJson = folded;
  }

  /**
   * Build the hall again from Redis. When this node had seen events Redis no longer holds
   * (`wentBack`) and no other node has rebased since this node last read the hall, start a new
   * epoch (rebase-3.lua): the first node to rebase wins, the others adopt its epoch, unless they
   * had seen more numbers issued today than it carried over; such a node rebases once more, so
   * that no number it saw printed is given again.
   */
  private async realign(hall: RedisHall, wentBack: boolean): Promise<void> {
    const seen = { snapshot: hall.replica.snapshot, marker: hall.marker };
    const keys = hall.keys;
    for (let attempt = 0; ; attempt++) {
      const fresh = await this.build(hall.config, keys).catch((err: unknown) => {
        if (wentBack && err instanceof HallCallError && err.code === "UNKNOWN_HALL") return null;
        throw err;
      });
      // Redis holds nothing of the hall's history (its data was lost, or a node started against
      // the empty Redis wrote a new hall): what this node has is all there is to go on from.
      const lostAll = !fresh || fresh.replica.seq === 0;
      const current = fresh?.marker ?? (((await this.send(keys.epoch, ["GET", keys.epoch])) as string | null) ?? "");
      if (fresh && (!wentBack || (!lostAll && generation(fresh.marker) > generation(seen.marker) && !numbersAhead(seen.snapshot, fresh.replica.snapshot)))) {
        Object.assign(hall, fresh);
        return;
      }
      const base = fresh && !lostAll ? fresh.replica.snapshot : seen.snapshot;
      const epoch = `${base.businessDate}.r${randomBytes(5).toString("hex")}`;
      const marker = `${Math.max(generation(current), generation(seen.marker)) + 1}:${epoch}`;
      const snapshot = rebasedSnapshot(base, seen.snapshot, epoch);
      const argv = [lostAll ? "0" : String(snapshot.seq), current, marker, JSON.stringify(snapshot), lostAll ? String(snapshot.seq) : ""];
      const [status] = (await runScript(this.send, script("rebase"), [keys.seq, keys.checkpoint, keys.epoch], argv)) as [number, string];
      if (status === 0) {
        this.rebases++;
        const had = lostAll ? "nothing of it: rebuilt from this node's replica" : `#${snapshot.seq}`;
        this.log.warn(`the log of hall ${hall.config.id} went back (this node had seen #${seen.snapshot.seq}, Redis has ${had}): rebased onto epoch ${epoch}`);
        Object.assign(hall, { replica: HallReplica.of(hall.config, snapshot), checkpointSeq: snapshot.seq, marker, lastJson: null } satisfies Built);
        return;
      }
      // Another node rebased first (adopt its epoch, unless this node saw more numbers), or the
      // log moved on meanwhile: build again and decide again.
      if (attempt >= 10) throw unavailable(`Hall ${hall.config.id} could not be rebased onto a new epoch: its log keeps moving.`);
    }
  }

  /** A replica from the hall's checkpoint and the events logged after it. */
  private async build(config: HallConfig, keys: HallKeys): Promise<Built> {
    const [marker, json] = (await Promise.all([this.send(keys.epoch, ["GET", keys.epoch]), this.send(keys.checkpoint, ["GET", keys.checkpoint])])) as (string | null)[];
    if (!json) throw new HallCallError("UNKNOWN_HALL", `Hall "${config.id}" has no state in Redis.`);
    const replica = HallReplica.of(config, HallSnapshot.parse(JSON.parse(json)));
    const checkpointSeq = replica.seq;
    const folded = await this.fold(keys, replica);
    if (folded === false) throw new Error(`log of ${config.id} does not continue its checkpoint at #${checkpointSeq}`);
    return { replica, checkpointSeq, marker: marker ?? "", lastJson: folded };
  }

  /**
   * Apply the logged events after the replica's seq (starting with `page` when already read):
   * the JSON of the last one applied, null when there was none, false when the log no longer
   * holds the next one.
   */
  private async fold(keys: HallKeys, replica: HallReplica, page?: Entry[]): Promise<string | null | false> {
    let last: string | null = null;
    let entries = page ?? (await this.entries(keys, replica.seq, PAGE));
    for (;;) {
      for (const e of entries) {
        if (!replica.apply(parseEvent(e.json))) return false;
        last = e.json;
      }
      if (entries.length < PAGE - 1) return last;
      entries = await this.entries(keys, replica.seq, PAGE);
    }
  }

  /** A ticket from the hashes of today and yesterday (a ticket keeps its issue date across midnight), read together. */
  private async storedTicket(hall: RedisHall, ticketId: string): Promise<Ticket | null> {
    const today = hall.replica.snapshot.businessDate;
    const found = (await Promise.all([today, previousDate(today)].map((date) => hall.keys.tickets(date)).map((key) => this.send(key, ["HGET", key, ticketId])))) as (string | null)[];
    const json = found.find((x) => x !== null);
    if (!json) return null;
    const t = Ticket.parse(JSON.parse(json));
    return keptOn(t, today, hall.config.timezone) ? t : null;
  }

  /** Log entries with seq > afterSeq, oldest first, at most `limit`. */
  private async entries(keys: HallKeys, afterSeq: number, limit: number): Promise<Entry[]> {
    const from = afterSeq < 0 ? "-" : `(${Math.floor(afterSeq)}-0`;
    const raw = (await this.send(keys.log, ["XRANGE", keys.log, from, "+", "COUNT", String(limit)])) as [string, string[]][];
    return raw.map(([id, fields]) => ({ seq: Number(id.split("-")[0]), json: fields[fields.indexOf("e") + 1]! }));
  }
}
