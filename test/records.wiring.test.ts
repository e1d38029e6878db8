/**
 * `server/main.ts` keeps the records as a deployment runs it: on the embedded store in its own
 * SQLite file, on Redis in the PostgreSQL that DATABASE_URL names.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { sendCommand } from "../protocol/command-retry.js";
import { TOKENS, testHall } from "./helpers/hall.js";
import { FailoverClient, startNodeProcesses } from "./helpers/nodes.js";
import { createTestDatabase } from "./helpers/postgres.js";
import { startRedisServer, uniquePrefix } from "./helpers/redis.js";

const hall = testHall();

/** Three tickets at the kiosk, one after another. */
async function issueThree(url: string): Promise<void> {
  const kiosk = new FailoverClient(() => [url], { role: "kiosk", hallId: hall.id, deviceToken: TOKENS.kiosk });
  await kiosk.connect();
  for (let i = 0; i < 3; i++) expect((await sendCommand(kiosk.emit, "ticket:issue", { serviceId: "social" })).ok).toBe(true);
  kiosk.close();
}

describe("the records main.ts keeps", () => {
  it("on the embedded store: every event and a row per ticket in the store's own SQLite file", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "hallcall-records-"));
    const { nodes, stop } = await startNodeProcesses({ halls: [hall], env: { REDIS_URL: "", REDIS_CLUSTER_NODES: "", DATA_DIR: dataDir } }, 1);
    await issueThree(nodes[0]!.url);
    const db = new Database(path.join(dataDir, "hallcall.db"), { readonly: true });
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE hall_id = ?`).get(hall.id) as { n: number }).n;
    await expect.poll(() => count("records_tickets"), { timeout: 10_000 }).toBe(3);
    expect(count("records_events")).toBe((db.prepare("SELECT count(*) AS n FROM store_events WHERE hall_id = ?").get(hall.id) as { n: number }).n);
    db.close();
    await stop();
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("on Redis with DATABASE_URL: every event and a row per ticket in PostgreSQL", async () => {
    const redis = await startRedisServer();
    const pg = await createTestDatabase("wiring");
    const { nodes, stop } = await startNodeProcesses({ halls: [hall], env: { REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix("rec"), DATABASE_URL: pg.url, SESSION_SECRET: "records-secret-0123456789" } }, 1);
    await issueThree(nodes[0]!.url);
    const tickets = async () => Number((await pg.query<{ n: string }>("SELECT count(*) AS n FROM records_tickets WHERE hall_id = $1", [hall.id]))[0]!.n);
    await expect.poll(tickets, { timeout: 10_000 }).toBe(3);
    await stop();
    await pg.drop();
    await redis.stop();
  }, 60_000);
});
