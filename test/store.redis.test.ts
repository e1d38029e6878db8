/**
 * The store contract against a real redis-server (one per file, a unique key prefix per test), and
 * the same random day of commands run on the memory and the Redis store side by side.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HallCallError } from "../protocol/index.js";
import { ManualClock } from "../server/domain/clock.js";
import type { Actor, StoreCommand } from "../server/domain/hall-commands.js";
import { MemoryStore } from "../server/store/memory/memory-store.js";
import { createClient } from "redis";
import { createRedisStore, RedisStore } from "../server/store/redis/redis-store.js";
import type { HallStore } from "../server/store/types.js";
import { startRedisServer, uniquePrefix, type RedisServerHandle } from "./helpers/redis.js";
import { comparable, contractHall, describeStoreContract, HALL, T0, wire } from "./store.contract.js";
import { mulberry32 } from "../server/sim/rng.js";

let redis: RedisServerHandle;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

describeStoreContract("redis", () => createRedisStore({ url: redis.url, prefix: uniquePrefix("contract") }));

describe("connecting", () => {
  it("a store on the caller's own client works and leaves the client open when closed", async () => {
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const store = await createRedisStore({ client, prefix: uniquePrefix("own") });
      await store.loadHall(contractHall(), T0);
      const { event: ev } = await store.execute(HALL, wire("ticket:issue", { serviceId: "social" }), { now: T0, by: "kiosk", staffId: null });
      expect(ev).toMatchObject({ type: "ticket:issued", seq: 1 });
      await store.close();
      expect(await client.ping()).toBe("PONG");
      expect(RedisStore.fromClient(client, { prefix: "x:" }).kind).toBe("redis");
    } finally {
      await client.close();
    }
  });

  it("a key prefix with a hash-tag brace is refused", async () => {
    await expect(createRedisStore({ url: redis.url, prefix: "{oops}:" })).rejects.toThrow(/must not contain/);
  });
});

describe("memory and Redis stores side by side", () => {
  it.each([1, 2, 3])("the same random day of commands (seed %i) leaves both stores in the same state", async (seed) => {
    const memory = new MemoryStore();
    const redisStore = await createRedisStore({ url: redis.url, prefix: uniquePrefix("cross") });
    const stores: HallStore[] = [memory, redisStore];
    const clock = new ManualClock(T0);
    const config = contractHall();
    for (const s of stores) await s.loadHall(config, clock.now());
    const rand = mulberry32(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    // Mostly valid input; unknown ids now and then.
    const rare = <T>(xs: readonly T[], odd: T): T => (rand() < 0.03 ? odd : pick(xs));
    const window = () => rare(["w1", "w2", "w3", "w4"], "w9");
    const service = () => rare(["social", "social", "medical", "medical", "estate", "night"], "nope");
    const priority = () => rare(["normal", "normal", "normal", "elderly", "urgent"], "vip");
    const ticketIds: string[] = [];
    let nextTicket = 0;
    let suggestion = 0;

    const randomCommand = (): [StoreCommand, Actor] => {
      const w = window();
      const t = ticketIds.length && rand() < 0.97 ? pick(ticketIds.slice(-12)) : "nope";
      switch (Math.floor(rand() * 18)) {
        case 0:
        case 1:
        case 16:
          return [wire("ticket:issue", { serviceId: service(), priority: priority(), then: rand() < 0.2 ? [service()] : [] }), "kiosk"];
        case 2:
        case 3:
        case 17:
          return [wire("window:callNext", { windowId: w }), "staff"];
        case 4:
          return [wire("ticket:start", { windowId: w }), "staff"];
        case 5:
          return [wire("ticket:finish", { windowId: w }), "staff"];
        case 6:
          return [rand() < 0.5 ? wire("ticket:noShow", { windowId: w }) : wire("window:recall", { windowId: w }), "staff"];
        case 7:
          return [rand() < 0.5 ? wire("ticket:park", { windowId: w, reason: "缺材料", missingDocs: rand() < 0.5 ? ["身份证"] : [] }) : wire("ticket:resume", { ticketId: t }), "staff"];
        case 8:
          return [rand() < 0.5 ? wire("ticket:transfer", { windowId: w, toServiceId: service() }) : wire("ticket:transfer", { ticketId: t, toWindowId: window(), toServiceId: rand() < 0.5 ? service() : undefined }), "manager"];
        case 9:
          return [wire("ticket:cancel", { ticketId: t }), "citizen"];
        case 10:
          return [wire("ticket:rate", { windowId: w, ticketId: t, rating: 1 + Math.floor(rand() * 5) }), "pad"];
        case 11:
          return [{ name: "window:signIn", payload: { windowId: w, staffId: pick(["alice", "bob"]) } }, "staff"];
        case 12:
          return [pick([wire("window:open", { windowId: w }), wire("window:pause", { windowId: w, reason: "break" }), wire("window:resume", { windowId: w }), wire("window:close", { windowId: w })]), "staff"];
        case 13:
          return [wire("window:setServing", { windowId: w, serving: [service(), service()] }), "manager"];
        case 14:
          return [{ name: "balancer:suggest", payload: { suggestionId: `s${++suggestion}`, windowId: w, serving: [service()], reason: { zh: "z", en: "e" } } }, "balancer"];
        default:
          return [rand() < 0.5 ? wire("balancer:decide", { suggestionId: `s${Math.ceil(rand() * suggestion)}`, approve: rand() < 0.5 }) : wire("balancer:setMode", { mode: pick(["off", "suggest", "auto"] as const) }), "manager"];
      }
    };

    let lastCmd: StoreCommand | null = null;
    /** Event types and error codes met, so the sequence is known to exercise most transitions. */
    const seen = new Map<string, number>();
    for (let step = 0; step < 600; step++) {
      // Whole seconds, sometimes past midnight (a new business day), sometimes a repeated command.
      clock.advance(rand() < 0.005 ? 14 * 3600_000 : Math.floor(rand() * 120) * 1000);
      const repeat: StoreCommand | null = lastCmd && rand() < 0.05 ? lastCmd : null;
      const [cmd, by]: [StoreCommand, Actor] = repeat ? [repeat, "staff"] : randomCommand();
      lastCmd = cmd;
      const id = `ticket-${seed}-${nextTicket++}`;
      const outcomes = await Promise.all(
        stores.map((s) =>
          s.execute(HALL, cmd, { now: clock.now(), by, staffId: null, newTicketId: id }).then(
            (r) => ({ ok: true as const, e: r.event, replayed: r.replayed, committed: r.committed }),
            (err: unknown) => {
              if (!(err instanceof HallCallError)) throw err;
              return { ok: false as const, code: err.code, message: err.message };
            },
          ),
        ),
      );
      expect(outcomes[1], `step ${step}: ${cmd.name} ${JSON.stringify(cmd.payload)}`).toEqual(outcomes[0]);
      const first = outcomes[0]!;
      if (first.ok && first.e.type === "ticket:issued") ticketIds.push(first.e.ticket.id);
      const key = first.ok ? first.e.type : first.code;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size, JSON.stringify([...seen])).toBeGreaterThanOrEqual(20);
    const [m, r] = await Promise.all(stores.map((s) => s.snapshot(HALL)));
    expect(comparable(r!)).toEqual(comparable(m!));
    expect(await redisStore.eventsSince(HALL, 0, 100_000)).toEqual(await memory.eventsSince(HALL, 0, 100_000));
    for (const s of stores) await s.close();
  });
});
