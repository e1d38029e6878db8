/**
 * The busy-hour race: 2,000 citizens waiting, 20 windows calling next and finishing as fast as
 * they can, all on one node, and spread over four nodes (stores on their own Redis connections,
 * each with its own replica of the hall, so their commits conflict). Every citizen is called
 * exactly once — none lost, none called twice — seen through the store and through the event log.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { HallCallError, HallEvent } from "../protocol/index.js";
import { parseHall } from "../server/domain/config.js";
import { createRedisStore, type RedisStore } from "../server/store/redis/redis-store.js";
import { startRedisServer, uniquePrefix, type RedisServerHandle } from "./helpers/redis.js";
import { T0, TZ, wire } from "./store.contract.js";

const TICKETS = 2_000;
const WINDOWS = 20;
const HALL = "race";
const SERVICES = ["social", "medical", "estate", "tax"];

const config = parseHall({
  id: HALL,
  name: { zh: "竞速大厅", en: "Race hall" },
  timezone: TZ,
  services: SERVICES.map((id, i) => ({ id, prefix: "ABCD"[i]!, name: { zh: id, en: id }, opens: "00:00", closes: "24:00", dailyQuota: 5_000, targetWaitMin: 10 + 5 * i })),
  // Every window may serve everything; each serves two services, so queues are shared and contested.
  windows: Array.from({ length: WINDOWS }, (_, i) => ({
    id: `w${i + 1}`,
    label: { zh: `${i + 1}号窗口`, en: `Window ${i + 1}` },
    qualified: SERVICES,
    serving: [SERVICES[i % 4]!, SERVICES[(i + 1) % 4]!],
  })),
});

let redis: RedisServerHandle;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

it.each([1, 4])(`${WINDOWS} windows on %i node(s) call ${TICKETS} waiting citizens: each exactly once`, { timeout: 120_000 }, async (nodes) => {
  const prefix = uniquePrefix("race");
  const kiosk = await createRedisStore({ url: redis.url, prefix });
  await kiosk.loadHall(config, T0);
  const issued = new Set<string>();
  for (let i = 0; i < TICKETS; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, TICKETS - i) }, (_, j) =>
        kiosk.execute(HALL, wire("ticket:issue", { serviceId: SERVICES[(i + j) % 4]!, priority: (i + j) % 17 === 0 ? "elderly" : "normal" }), { now: T0 + i + j, by: "kiosk", staffId: null }),
      ),
    );
    for (const { event: e } of batch) if (e.type === "ticket:issued") issued.add(e.ticket.id);
  }
  expect(issued.size).toBe(TICKETS);

  const counters: RedisStore[] = [];
  for (let i = 0; i < nodes; i++) {
    const store = await createRedisStore({ url: redis.url, prefix });
    await store.loadHall(config, T0);
    counters.push(store);
  }
  let tick = 0;
  const now = () => T0 + 60_000 + ++tick;
  const calledBy = new Map<string, string[]>();
  const started = Date.now();
  await Promise.all(
    Array.from({ length: WINDOWS }, async (_, i) => {
      const store = counters[i % nodes]!;
      const windowId = `w${i + 1}`;
      const mine: string[] = [];
      calledBy.set(windowId, mine);
      await store.execute(HALL, { name: "window:signIn", payload: { windowId, staffId: `staff-${i + 1}` } }, { now: now(), by: "staff", staffId: null });
      for (;;) {
        let ev: HallEvent;
        try {
          ev = (await store.execute(HALL, wire("window:callNext", { windowId }), { now: now(), by: "staff", staffId: null })).event;
        } catch (err) {
          if (err instanceof HallCallError && err.code === "QUEUE_EMPTY") break;
          throw err;
        }
        if (ev.type !== "ticket:called") throw new Error(`unexpected ${ev.type}`);
        mine.push(ev.ticket.id);
        await store.execute(HALL, wire("ticket:finish", { windowId }), { now: now(), by: "staff", staffId: null });
      }
    }),
  );
  const elapsedMs = Date.now() - started;

  // Through the windows' own answers.
  const allCalls = [...calledBy.values()].flat();
  expect(allCalls).toHaveLength(TICKETS);
  expect(new Set(allCalls)).toEqual(issued);
  expect([...calledBy.values()].filter((ids) => ids.length > 0).length).toBeGreaterThan(WINDOWS / 2);

  // Through the store.
  const snap = await kiosk.snapshot(HALL);
  expect(snap.tickets).toEqual([]);
  expect(Object.values(snap.stats.called).reduce((a, b) => a + b, 0)).toBe(TICKETS);
  expect(Object.values(snap.stats.finished).reduce((a, b) => a + b, 0)).toBe(TICKETS);
  expect(snap.windows.reduce((n, w) => n + w.servedToday, 0)).toBe(TICKETS);
  for (const id of [...issued].slice(0, 50)) expect(await kiosk.ticket(HALL, id)).toMatchObject({ state: "finished" });

  // Through the event log: contiguous seq, one call and one finish per ticket.
  const log = await kiosk.eventsSince(HALL, 0, 100_000);
  expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
  expect(log[log.length - 1]!.seq).toBe(snap.seq);
  const calls = log.filter((e) => e.type === "ticket:called").map((e) => (e as Extract<HallEvent, { type: "ticket:called" }>).ticket.id);
  const finishes = log.filter((e) => e.type === "ticket:finished").map((e) => (e as Extract<HallEvent, { type: "ticket:finished" }>).ticket.id);
  expect(calls).toHaveLength(TICKETS);
  expect(new Set(calls)).toEqual(issued);
  expect(new Set(finishes)).toEqual(issued);

  const conflicts = counters.reduce((n, c) => n + c.conflicts, 0);
  console.info(`race: ${TICKETS} calls + finishes by ${WINDOWS} windows on ${nodes} node(s) in ${elapsedMs} ms (${Math.round((2 * TICKETS) / (elapsedMs / 1000))} commands/s, ${conflicts} commits decided again)`);
  for (const s of [kiosk, ...counters]) await s.close();
});
