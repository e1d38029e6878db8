/**
 * The archiver on the Redis deployment: halls on a real redis-server (wireRedis, with its per-hall
 * lock), archived into a PostgreSQL database of this file's own, which the tests take away and
 * give back while the hall goes on.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../server/domain/clock.js";
import { silentLogger } from "../server/log.js";
import { Archiver } from "../server/records/archiver.js";
import { openRecords } from "../server/records/open.js";
import type { RecordsStore } from "../server/records/records-store.js";
import { wireRedis, type WiredRedis } from "../server/store/redis/wiring.js";
import { useTestDatabase } from "./helpers/postgres.js";
import { startRedisServer, uniquePrefix, type RedisServerHandle } from "./helpers/redis.js";
import { HallScript } from "./records.contract.js";
import { MIN, T0 } from "./store.contract.js";

const FAST = { intervalMs: 50, backoffMinMs: 50, backoffMaxMs: 300 };
const pgdb = useTestDatabase("archiver");

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("archiver from Redis to PostgreSQL", () => {
  let redis: RedisServerHandle;
  let nodes: WiredRedis[];
  let opened: RecordsStore[];
  let archivers: Archiver[];
  let hall: HallScript;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });
  beforeEach(async () => {
    nodes = [];
    opened = [];
    archivers = [];
    hall = await new HallScript((await node()).store, new ManualClock(T0)).load();
    await hall.run("window:open", { windowId: "w1" });
  });
  afterEach(async () => {
    await pgdb.unblock();
    await Promise.all(archivers.map((a) => a.stop()));
    await Promise.all(opened.map((r) => r.close()));
    await Promise.all(nodes.map((n) => n.store.close()));
  });

  const prefix = uniquePrefix("archiver");
  async function node(): Promise<WiredRedis> {
    const wired = await wireRedis({ url: redis.url, prefix, log: silentLogger });
    nodes.push(wired);
    return wired;
  }
  async function records(): Promise<RecordsStore> {
    const r = await openRecords({ databaseUrl: pgdb.url, log: silentLogger });
    opened.push(r);
    return r;
  }
  function archiver(on: WiredRedis, into: RecordsStore): Archiver {
    const a = new Archiver({ store: on.store, records: into, halls: [hall.hallId], lock: on.lock, ...FAST });
    archivers.push(a);
    return a;
  }
  /** The events table as kept, straight from PostgreSQL. */
  const table = () => pgdb.query<{ epoch: string; seq: number; event: string }>("SELECT epoch, seq, event FROM records_events WHERE hall_id = $1 ORDER BY at, seq", [hall.hallId]);
  const sameAsLog = async () => {
    const [rows, log] = await Promise.all([table(), hall.log()]);
    return rows.length === log.length && rows.every((r, i) => JSON.stringify(JSON.parse(r.event)) === JSON.stringify(log[i]));
  };

  it("keeps the events table the same as the hall's log", async () => {
    archiver(nodes[0]!, await records()).start();
    for (let i = 0; i < 4; i++) await hall.issue(i % 2 ? "medical" : "social");
    await hall.serve("w1");
    await until("the log is archived", sameAsLog);
    expect((await table()).map((r) => r.seq)).toEqual((await hall.log()).map((e) => e.seq));
  });

  it("the hall goes on while PostgreSQL is away, and every event arrives once when it is back", async () => {
    const a = archiver(nodes[0]!, await records());
    a.start();
    await hall.issue("social");
    await until("the first ticket is archived", sameAsLog);

    await pgdb.block();
    const started = performance.now();
    for (let i = 0; i < 5; i++) {
      await hall.issue("social");
      hall.clock.advance(MIN);
    }
    await hall.serve("w1", 3);
    const commandsMs = performance.now() - started;
    await until("the archiver finds the database away", async () => a.failures(hall.hallId) > 0);
    expect(commandsMs).toBeLessThan(2_000);

    await pgdb.unblock();
    await until("the archiver catches up", sameAsLog);
    const rows = await table();
    expect(new Set(rows.map((r) => `${r.epoch}/${r.seq}`)).size).toBe(rows.length);
    const served = await pgdb.query<{ service_sec: number }>("SELECT service_sec FROM records_tickets WHERE hall_id = $1 AND outcome = 'finished'", [hall.hallId]);
    expect(served).toEqual([{ service_sec: 180 }]);
  });

  it("a connection cut in the middle of the day loses nothing: the next round reconnects", async () => {
    const a = archiver(nodes[0]!, await records());
    a.start();
    await hall.issue("social");
    await until("the first ticket is archived", sameAsLog);
    // Without refusing new connections: only the pool's open ones go, as in a server restart.
    await pgdb.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    await hall.issue("medical");
    await until("the ticket after the cut is archived", sameAsLog);
  });

  it("an archiver restarted on another connection resumes from the cursor without doubles", async () => {
    const first = archiver(nodes[0]!, await records());
    await hall.issue("social");
    await hall.run("window:callNext", { windowId: "w1" });
    await hall.run("ticket:start", { windowId: "w1" });
    await first.archive(hall.hallId);
    await first.stop();
    await opened[0]!.close();

    hall.clock.advance(4 * MIN);
    await hall.run("ticket:finish", { windowId: "w1" });
    await hall.issue("medical");
    const restarted = await records();
    expect(await restarted.cursor(hall.hallId)).toMatchObject({ seq: (await table()).at(-1)!.seq });
    await archiver(nodes[0]!, restarted).archive(hall.hallId);
    expect(await sameAsLog()).toBe(true);
    const tickets = await pgdb.query<{ outcome: string | null; service_sec: number | null }>("SELECT outcome, service_sec FROM records_tickets WHERE hall_id = $1 ORDER BY issued_at", [hall.hallId]);
    expect(tickets).toEqual([
      { outcome: "finished", service_sec: 240 },
      { outcome: null, service_sec: null },
    ]);
  });

  it("with two nodes, one archives the hall, and when it stops the other takes over after the lease", async () => {
    const other = await node();
    await new HallScript(other.store, hall.clock, hall.hallId).load();
    const into = await records();
    const a = new Archiver({ store: nodes[0]!.store, records: into, halls: [hall.hallId], lock: nodes[0]!.lock, ...FAST, lockTtlMs: 300 });
    const b = new Archiver({ store: other.store, records: into, halls: [hall.hallId], lock: other.lock, ...FAST, lockTtlMs: 300 });
    archivers.push(a, b);
    a.start();
    await hall.issue("social");
    await until("the first node archives", sameAsLog);
    b.start();
    await a.stop();
    await hall.issue("social");
    await until("the second node takes over", sameAsLog);
  });
});
