/**
 * The Redis HallStore: a hall's event log in Redis, shared by every node that serves the hall.
 * Each node keeps a HallReplica of each hall, folded from the log; a command is decided by the
 * domain on the replica and committed by one small script (scripts/commit-4.lua) that appends
 * only if the hall is still at the sequence number it was decided on. When another node moved
 * the hall on, the node catches up from the log and decides again. Commands for one hall on one
 * node run one at a time, so a node never conflicts with itself.
 *
 *   const store = await createRedisStore({ url: "redis://127.0.0.1:6380", prefix: "hallcall:" });
 *   const store = await createRedisStore({ clusterNodes: ["redis://10.0.0.1:7000", ...] });
 *   const store = RedisStore.fromClient(existingClientOrCluster, { prefix });
 */
import { createClient, createCluster } from "redis";
import { applyEvent, HallCallError, HallEvent, HallSnapshot, Ticket } from "../../../protocol/index.js";
import { previousDate } from "../../domain/clock.js";
import { commandIdOf, type CommandContext, type StoreCommand } from "../../domain/hall-commands.js";
import type { HallConfig } from "../../domain/config.js";
import { initialSnapshot, keptOn } from "../../domain/hall.js";
import { parseResult, recordOf, replayOf, resultJson, type CommandRecord } from "../idempotency.js";
import { newTicketId, withTicketId } from "../ids.js";
import { HallReplica, type Decided } from "../replica.js";
import { EVENT_LOG_MAX, IDEMPOTENCY_TTL_MS, type Executed, type HallStore } from "../types.js";
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

export interface RedisStoreOptions {
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
/** Commits a command may lose to other nodes before it gives up (each loss means progress elsewhere). */
const MAX_ATTEMPTS = 100;
/** Commands of one hall committed together at most. */
const MAX_BATCH = 64;
/** After this many lost commits a node claims the hall's next turn, for at most TURN_MS. */
const CLAIM_AFTER = 2;
const TURN_MS = 200;

/** Connect (unless a client is given) and build a store; `close()` quits what it opened here. */
export async function createRedisStore(opts: RedisStoreOptions = {}): Promise<RedisStore> {
  const prefix = checkPrefix(opts.prefix ?? "");
  if (opts.client) return RedisStore.fromClient(opts.client, { prefix });
  if (opts.clusterNodes?.length) {
    const cluster = createCluster({ rootNodes: opts.clusterNodes.map((url) => ({ url })) });
    cluster.on("error", (err) => console.error("[redis-store] cluster error:", err));
    await cluster.connect();
    return new RedisStore(cluster as unknown as ClusterRedis, prefix, async () => void (await cluster.close()));
  }
  const client = createClient({ url: opts.url });
  client.on("error", (err) => console.error("[redis-store] client error:", err));
  await client.connect();
  return new RedisStore(client as unknown as SingleRedis, prefix, async () => void (await client.close()));
}

/** A brace in the prefix would become the hash tag and put every hall in one cluster slot. */
function checkPrefix(prefix: string): string {
  if (/[{}]/.test(prefix)) throw new Error(`Redis key prefix "${prefix}" must not contain { or }`);
  return prefix;
}

interface RedisHall {
  config: HallConfig;
  keys: HallKeys;
  replica: HallReplica;
  /** The tail of this hall's work on this node: commands and catch-ups run one after another. */
  queue: Promise<unknown>;
  /** The seq of the last checkpoint this node wrote or started from. */
  checkpointSeq: number;
  /** Commands waiting for the next commit, and whether a flush is queued for them. */
  pending: Job[];
  flushing: boolean;
}

interface Job {
  cmd: StoreCommand;
  ctx: CommandContext;
  commandId: string | undefined;
  /** What the commandId is recorded for (null without a commandId). */
  record: CommandRecord | null;
  resolve(done: Executed): void;
  reject(err: unknown): void;
}

const COMMITTED = 0;
const REPLAYED = 1;
const CONFLICT = 2;
const OTHERS_TURN = 3;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const parseEvent = (json: string): HallEvent => HallEvent.parse(JSON.parse(json));

/** The ticket a command names by id, which the replica may not hold (one that ended before it was built). */
function namedTicket(cmd: StoreCommand): string | undefined {
  const p = cmd.payload as { ticketId?: string };
  return typeof p.ticketId === "string" ? p.ticketId : undefined;
}

export class RedisStore implements HallStore {
  readonly kind = "redis" as const;
  private halls = new Map<string, RedisHall>();
  private closed = false;
  /** This store's token in the hall's commit turn. */
  private readonly token = newTicketId();
  /** Commits that lost to another node and were decided again (a figure for operators and tests). */
  conflicts = 0;

  constructor(
    private readonly conn: RedisConnection,
    readonly prefix: string = "",
    private readonly closeOwned: (() => Promise<void>) | null = null,
  ) {
    checkPrefix(prefix);
  }

  /** A store on a client or cluster the caller connected and will close. */
  static fromClient(client: RedisConnection, opts: { prefix?: string } = {}): RedisStore {
    return new RedisStore(client, opts.prefix ?? "", null);
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
      hall.pending.push({ cmd, ctx: withTicketId(cmd, ctx), commandId, record: commandId ? recordOf(cmd, ctx) : null, resolve, reject });
      this.scheduleFlush(hall);
    });
  }

  async snapshot(hallId: string): Promise<HallSnapshot> {
    const hall = this.hall(hallId);
    await this.serially(hall, () => this.catchUp(hall));
    return hall.replica.snapshot;
  }

  /** From the tickets hashes, which every commit writes: current without catching the replica up. */
  async ticket(hallId: string, ticketId: string): Promise<Ticket | null> {
    const hall = this.hall(hallId);
    return (await this.storedTicket(hall, ticketId)) ?? hall.replica.ticket(ticketId) ?? null;
  }

  async eventsSince(hallId: string, afterSeq: number, limit = 1000): Promise<HallEvent[]> {
    return this.readLog(this.hall(hallId).keys, afterSeq, limit);
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
    const jobs = hall.pending.splice(0, MAX_BATCH);
    if (hall.pending.length) this.scheduleFlush(hall);
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
        // The same command twice in one batch: the second waits for the first's result.
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
      const { checkpoint, answered } = await this.commit(hall, batch, lost >= CLAIM_AFTER);
      const [status, ...reply] = answered as [number, ...string[]];
      if (status === COMMITTED) {
        if (checkpoint) hall.checkpointSeq = Number(reply[0]);
        for (const { job, decided } of batch) {
          for (const e of decided.events) if (!hall.replica.apply(e)) throw new Error(`replica of ${hall.config.id} could not apply its own event #${e.seq}`);
          job.resolve({ event: decided.answer, replayed: false, committed: decided.events });
        }
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
      if (status === OTHERS_TURN) {
        // Another node's claimed turn lasts TURN_MS at most; a pause is a millisecond or more.
        if (waited++ >= 2 * TURN_MS) break;
        await pause(1);
        continue;
      }
      if (status !== CONFLICT) throw new Error(`commit script answered ${status}`);
      this.conflicts++;
      if (++lost >= MAX_ATTEMPTS) break;
      const [current, ...missed] = reply;
      const complete = missed.length === Number(current) - hall.replica.seq && missed.every((json) => hall.replica.apply(parseEvent(json)));
      if (!complete) await this.catchUp(hall);
      caughtUp = true;
    }
    const busy = new HallCallError("INTERNAL", `Hall ${hall.config.id} is too busy on other nodes to commit this command now; try again.`);
    for (const job of todo) if (!alone.includes(job)) job.reject(busy);
    await this.runAlone(hall, alone);
  }

  /** Answer a job whose commandId has a stored result: the first event, or the conflict of a reuse. */
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

  private async commit(hall: RedisHall, batch: { job: Job; decided: Decided }[], claimTurn: boolean): Promise<{ checkpoint: boolean; answered: unknown }> {
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
      (key, args) => this.send(key, args),
      script("commit"),
      [keys.seq, keys.log, keys.checkpoint, keys.turn, ...batch.map((b) => keys.result(b.job.commandId)), ...tickets.map((t) => keys.tickets(t.businessDate))],
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
        String(events.length),
        ...json.values(),
        ...batch.flatMap((b) => (b.job.record ? ["1", resultJson(b.job.record, json.get(b.decided.answer)!)] : ["0", ""])),
        ...tickets.flatMap((t) => [t.id, JSON.stringify(t)]),
      ],
    );
    return { checkpoint, answered };
  }

  /** Fold what the log holds beyond the replica; rebuild from the checkpoint when the log was trimmed past it. */
  private async catchUp(hall: RedisHall): Promise<void> {
    if (!(await this.fold(hall.keys, hall.replica))) Object.assign(hall, await this.build(hall.config, hall.keys));
  }

  /** A replica from the hall's checkpoint and the events logged after it. */
  private async build(config: HallConfig, keys: HallKeys): Promise<{ replica: HallReplica; checkpointSeq: number }> {
    const json = (await this.send(keys.checkpoint, ["GET", keys.checkpoint])) as string | null;
    if (!json) throw new HallCallError("UNKNOWN_HALL", `Hall "${config.id}" has no state in Redis.`);
    const replica = HallReplica.of(config, HallSnapshot.parse(JSON.parse(json)));
    const checkpointSeq = replica.seq;
    if (!(await this.fold(keys, replica))) throw new Error(`log of ${config.id} does not continue its checkpoint at #${checkpointSeq}`);
    return { replica, checkpointSeq };
  }

  /** Apply the logged events after the replica's seq; false when the log no longer holds the next one. */
  private async fold(keys: HallKeys, replica: HallReplica): Promise<boolean> {
    for (;;) {
      const events = await this.readLog(keys, replica.seq, 1000);
      for (const e of events) if (!replica.apply(e)) return false;
      if (events.length < 1000) return true;
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

  private async readLog(keys: HallKeys, afterSeq: number, limit: number): Promise<HallEvent[]> {
    const entries = (await this.send(keys.log, ["XRANGE", keys.log, `(${Math.max(0, Math.floor(afterSeq))}-0`, "+", "COUNT", String(limit)])) as [string, string[]][];
    return entries.map(([, fields]) => parseEvent(fields[fields.indexOf("e") + 1]!));
  }

  private send(firstKey: string | undefined, args: string[]): Promise<unknown> {
    const c = this.conn;
    if ("masters" in c) return c.sendCommand(firstKey, false, args);
    return (c as SingleRedis).sendCommand(args);
  }
}
