/**
 * The Redis HallStore: a hall's live state in Redis, every transition one Lua script (scripts/),
 * so several server processes can run the same hall. Behaves exactly like the memory store; the
 * contract suite (test/store.contract.ts) holds both to it.
 *
 * TypeScript does only what needs no state: config checks that the domain shares
 * (`checkIssuable`, unknown service/window ids in a serving list), business date and hall-local
 * hour of `now`, fresh ticket ids. Everything that reads state runs inside the script.
 *
 *   const store = await createRedisStore({ url: "redis://127.0.0.1:6380", prefix: "hallcall:" });
 *   const store = await createRedisStore({ clusterNodes: ["redis://10.0.0.1:7000", ...] });
 *   const store = RedisStore.fromClient(existingClientOrCluster, { prefix });
 */
import { createClient, createCluster } from "redis";
import {
  BalancerSuggestion,
  HallCallError,
  HallEvent,
  HallSnapshot,
  Ticket,
  WAIT_BUCKETS_MIN,
  emptyStats,
  localHour,
  type HallStats,
  type Window,
} from "../../../protocol/index.js";
import { businessDate } from "../../domain/clock.js";
import { commandIdOf, type CommandContext, type StoreCommand } from "../../domain/commands.js";
import type { HallConfig } from "../../domain/config.js";
import { initialWindows, serviceInfos } from "../../domain/hall.js";
import { checkIssuable, serviceOf } from "../../domain/transitions.js";
import { newTicketId } from "../ids.js";
import { EVENT_LOG_MAX, IDEMPOTENCY_TTL_MS, type HallStore } from "../types.js";
import { DAY_STALE, scriptError } from "./errors.js";
import { HallKeys } from "./keys.js";
import { script, type LuaScript, type ScriptName } from "./scripts.js";

if (WAIT_BUCKETS_MIN.join(",") !== "5,10,20,30,60") {
  throw new Error("WAIT_BUCKETS_MIN changed: update WAIT_BUCKETS_MIN in server/store/redis/scripts/includes/prelude.lua too");
}

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
  serviceIds: string[];
  windowIds: string[];
  /** ARGV[7..] of the common layout: S, W, service ids, target waits, window ids, P, priority pairs. */
  layout: string[];
}

type Plan = { script: ScriptName; args: string[] };

const arr = <T>(x: unknown): T[] => (Array.isArray(x) ? (x as T[]) : []);

/** Lua's cjson writes an empty array as `{}`; put arrays back before zod sees them. */
function fixTicket(t: Record<string, unknown>): Record<string, unknown> {
  t.bundle = arr(t.bundle);
  t.missingDocs = arr(t.missingDocs);
  return t;
}
function fixWindow(w: Record<string, unknown>): Record<string, unknown> {
  w.qualified = arr(w.qualified);
  w.serving = arr(w.serving);
  return w;
}
function fixSuggestion(s: Record<string, unknown>): Record<string, unknown> {
  s.serving = arr(s.serving);
  return s;
}

export function parseEvent(json: string): HallEvent {
  const e = JSON.parse(json) as Record<string, unknown>;
  if (e.ticket && typeof e.ticket === "object") fixTicket(e.ticket as Record<string, unknown>);
  if (e.window && typeof e.window === "object") fixWindow(e.window as Record<string, unknown>);
  if (e.suggestion && typeof e.suggestion === "object") fixSuggestion(e.suggestion as Record<string, unknown>);
  return HallEvent.parse(e);
}

function parseTicket(json: string): Ticket {
  return Ticket.parse(fixTicket(JSON.parse(json)));
}

function pairs(flat: unknown): [string, string][] {
  const a = flat as string[];
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < a.length; i += 2) out.push([a[i]!, a[i + 1]!]);
  return out;
}

/** The stats hash (see the scripts) as the protocol's HallStats. */
function decodeStats(flat: unknown): HallStats {
  const st = emptyStats();
  const staff = (id: string) => (st.byStaff[id] ??= { served: 0, serviceSecSum: 0, ratings: [0, 0, 0, 0, 0] });
  for (const [field, raw] of pairs(flat)) {
    const v = Number(raw);
    let m: RegExpExecArray | null;
    if ((m = /^(issued|called|finished|noShows):(.*)$/.exec(field))) st[m[1] as "issued"][m[2]!] = v;
    else if ((m = /^hour:(\d+)$/.exec(field))) st.issuedByHour[Number(m[1])] = v;
    else if ((m = /^wait:(\d+)$/.exec(field))) st.waitHistogram[Number(m[1])] = v;
    else if (field === "waitMs") st.waitSecSum = v / 1000;
    else if (field === "waitCount") st.waitCount = v;
    else if ((m = /^rating:(\d)$/.exec(field))) st.ratings[Number(m[1]) - 1] = v;
    else if ((m = /^staff:(.*):served$/.exec(field))) staff(m[1]!).served = v;
    else if ((m = /^staff:(.*):serviceMs$/.exec(field))) staff(m[1]!).serviceSecSum = v / 1000;
    else if ((m = /^staff:(.*):rating:(\d)$/.exec(field))) staff(m[1]!).ratings[Number(m[2]) - 1] = v;
  }
  return st;
}

const byOf = (ctx: CommandContext): "staff" | "manager" | "balancer" => (ctx.by === "manager" ? "manager" : ctx.by === "balancer" ? "balancer" : "staff");

export class RedisStore implements HallStore {
  readonly kind = "redis" as const;
  private halls = new Map<string, RedisHall>();

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
    const keys = new HallKeys(this.prefix, config.id);
    const serviceIds = config.services.map((s) => s.id);
    const windowIds = config.windows.map((w) => w.id);
    const layout = [
      String(serviceIds.length),
      String(windowIds.length),
      ...serviceIds,
      ...config.services.map((s) => String(s.targetWaitMin)),
      ...windowIds,
      String(config.priorityClasses.length),
      ...config.priorityClasses.flatMap((p) => [p.id, String(p.rank)]),
    ];
    const hall: RedisHall = { config, keys, serviceIds, windowIds, layout };
    await this.eval(script("loadHall"), [keys.meta, keys.windows, keys.balancer], [String(now), businessDate(now, config.timezone), config.balancer.mode, JSON.stringify(initialWindows(config))]);
    this.halls.set(config.id, hall);
  }

  async execute(hallId: string, cmd: StoreCommand, ctx: CommandContext): Promise<HallEvent> {
    const hall = this.hall(hallId);
    const commandId = commandIdOf(cmd);
    let plan: Plan;
    try {
      plan = this.plan(hall, cmd, ctx);
    } catch (err) {
      // A config check failed before any script ran. Do what the memory store does first: start
      // the new day if due, and answer a repeated commandId with its first result.
      if (!(err instanceof HallCallError)) throw err;
      await this.rollDay(hall, ctx.now);
      if (commandId) {
        const prior = (await this.send(hall.keys.idempotency(commandId), ["GET", hall.keys.idempotency(commandId)])) as string | null;
        if (prior) return parseEvent(prior);
      }
      throw err;
    }
    for (let attempt = 0; ; attempt++) {
      const [code, payload] = (await this.runCommand(hall, plan.script, ctx.now, commandId, plan.args)) as [number, string];
      if (code === DAY_STALE && attempt < 3) {
        await this.rollDay(hall, ctx.now);
        continue;
      }
      if (code < 0) throw scriptError(code, payload);
      return parseEvent(payload);
    }
  }

  async snapshot(hallId: string, now: number): Promise<HallSnapshot> {
    const hall = this.hall(hallId);
    const { config, keys } = hall;
    const today = businessDate(now, config.timezone);
    for (let attempt = 0; ; attempt++) {
      const reply = (await this.eval(script("snapshot"), [keys.meta, keys.tickets, keys.windows, keys.live, keys.stats, keys.recent, keys.balancer], [today])) as unknown[];
      if (typeof reply[0] === "number") {
        if (reply[0] === DAY_STALE && attempt < 3) {
          await this.rollDay(hall, now);
          continue;
        }
        throw scriptError(reply[0], String(reply[1]));
      }
      const [seq, date, at, mode, windowsFlat, tickets, statsFlat, recent, suggestions] = reply as [string, string, string, string, unknown, string[], unknown, string[], string];
      const windows = new Map(pairs(windowsFlat).map(([id, json]) => [id, fixWindow(JSON.parse(json)) as unknown as Window]));
      return HallSnapshot.parse({
        hallId: config.id,
        name: config.name,
        timezone: config.timezone,
        seq: Number(seq),
        businessDate: date,
        at: Number(at),
        services: serviceInfos(config),
        priorityClasses: config.priorityClasses,
        windows: hall.windowIds.filter((id) => windows.has(id)).map((id) => windows.get(id)!),
        tickets: tickets.filter((t): t is string => typeof t === "string").map((t) => fixTicket(JSON.parse(t))),
        recentCalls: recent.map((j) => JSON.parse(j)),
        stats: decodeStats(statsFlat),
        balancer: { mode, suggestions: arr<Record<string, unknown>>(JSON.parse(suggestions)).map((s) => BalancerSuggestion.parse(fixSuggestion(s))) },
      });
    }
  }

  async ticket(hallId: string, ticketId: string): Promise<Ticket | null> {
    const { keys } = this.hall(hallId);
    const json = (await this.send(keys.tickets, ["HGET", keys.tickets, ticketId])) as string | null;
    return json ? parseTicket(json) : null;
  }

  async eventsSince(hallId: string, afterSeq: number, limit = 1000): Promise<HallEvent[]> {
    const { keys } = this.hall(hallId);
    const entries = (await this.send(keys.events, ["XRANGE", keys.events, `(${Math.max(0, Math.floor(afterSeq))}-0`, "+", "COUNT", String(limit)])) as [string, string[]][];
    return entries.map(([, fields]) => parseEvent(fields[fields.indexOf("e") + 1]!));
  }

  private closed = false;

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

  /** Which script runs a command, with its own arguments; throws the config-only refusals. */
  private plan(hall: RedisHall, cmd: StoreCommand, ctx: CommandContext): Plan {
    const { config } = hall;
    const none = "";
    switch (cmd.name) {
      case "ticket:issue": {
        const p = cmd.payload;
        const services = [p.serviceId, ...p.then];
        checkIssuable(config, services, p.priority, ctx.now);
        const svc = serviceOf(config, p.serviceId);
        const bundle = services.length > 1 ? services : [];
        return { script: "issue", args: [ctx.newTicketId ?? newTicketId(), svc.id, svc.prefix, String(svc.dailyQuota), p.priority, p.channel ?? "kiosk", JSON.stringify(bundle), String(localHour(ctx.now, config.timezone)), ctx.issueEtaSec == null ? "" : String(Math.round(ctx.issueEtaSec))] };
      }
      case "window:callNext":
        return { script: "callNext", args: [cmd.payload.windowId, String(config.dispatch.primaryPreference)] };
      case "window:recall":
        return { script: "windowTicket", args: ["recall", cmd.payload.windowId, none, "[]"] };
      case "ticket:start":
        return { script: "windowTicket", args: ["start", cmd.payload.windowId, none, "[]"] };
      case "ticket:finish":
        return { script: "windowTicket", args: ["finish", cmd.payload.windowId, none, "[]"] };
      case "ticket:noShow":
        return { script: "windowTicket", args: ["noShow", cmd.payload.windowId, none, "[]"] };
      case "ticket:park":
        return { script: "windowTicket", args: ["park", cmd.payload.windowId, cmd.payload.reason, JSON.stringify(cmd.payload.missingDocs)] };
      case "ticket:resume":
        return { script: "ticket", args: ["resume", cmd.payload.ticketId] };
      case "ticket:cancel":
        return { script: "ticket", args: ["cancel", cmd.payload.ticketId] };
      case "ticket:rate":
        return { script: "ticket", args: ["rate", cmd.payload.ticketId, cmd.payload.windowId, String(cmd.payload.rating)] };
      case "ticket:transfer": {
        const p = cmd.payload;
        return { script: "ticket", args: ["transfer", p.ticketId ?? none, p.windowId ?? none, p.toServiceId ?? none, p.toWindowId ?? none] };
      }
      case "window:open":
        return { script: "window", args: ["open", cmd.payload.windowId, byOf(ctx), none, "[]", none] };
      case "window:pause":
        return { script: "window", args: ["pause", cmd.payload.windowId, byOf(ctx), cmd.payload.reason, "[]", none] };
      case "window:resume":
        return { script: "window", args: ["resume", cmd.payload.windowId, byOf(ctx), none, "[]", none] };
      case "window:close":
        return { script: "window", args: ["close", cmd.payload.windowId, byOf(ctx), none, "[]", none] };
      case "window:setServing":
        return { script: "window", args: ["setServing", cmd.payload.windowId, "manager", none, JSON.stringify([...new Set(cmd.payload.serving)]), none] };
      case "balancer:apply":
        return { script: "window", args: ["apply", cmd.payload.windowId, "balancer", none, JSON.stringify([...new Set(cmd.payload.serving)]), JSON.stringify(cmd.payload.reason)] };
      case "window:signIn":
        return { script: "window", args: ["signIn", cmd.payload.windowId, "staff", cmd.payload.staffId, "[]", none] };
      case "balancer:setMode":
        return { script: "balancer", args: ["setMode", cmd.payload.mode] };
      case "balancer:suggest": {
        const p = cmd.payload;
        return { script: "balancer", args: ["suggest", p.suggestionId, p.windowId, JSON.stringify(p.serving), JSON.stringify(p.reason)] };
      }
      case "balancer:decide":
        return { script: "balancer", args: ["decide", cmd.payload.suggestionId, cmd.payload.approve ? "1" : "0"] };
    }
  }

  /** Start the new business day if `now` is past the hall's (idempotent). */
  private async rollDay(hall: RedisHall, now: number): Promise<void> {
    const [code, payload] = (await this.runCommand(hall, "rollDay", now, undefined, [])) as [number, string];
    if (code < 0) throw scriptError(code, payload);
  }

  private runCommand(hall: RedisHall, name: ScriptName, now: number, commandId: string | undefined, args: string[]): Promise<unknown> {
    const keys = hall.keys.commandKeys(commandId, hall.serviceIds, hall.windowIds);
    const argv = [String(now), businessDate(now, hall.config.timezone), commandId ?? "", String(IDEMPOTENCY_TTL_MS), String(EVENT_LOG_MAX), hall.config.id, ...hall.layout, ...args];
    return this.eval(script(name), keys, argv);
  }

  private async eval(s: LuaScript, keys: string[], argv: string[]): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...argv];
    try {
      return await this.send(keys[0], ["EVALSHA", s.sha, ...tail]);
    } catch (err) {
      if (!String((err as Error)?.message).startsWith("NOSCRIPT")) throw err;
      return await this.send(keys[0], ["EVAL", s.source, ...tail]);
    }
  }

  private send(firstKey: string | undefined, args: string[]): Promise<unknown> {
    const c = this.conn;
    if ("masters" in c) return c.sendCommand(firstKey, false, args);
    return (c as SingleRedis).sendCommand(args);
  }
}
