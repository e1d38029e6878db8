/**
 * One HallCall node for the load test, run as a forked child by servers.ts: the same wiring as
 * server/main.ts (memory store, or Redis with its adapter and hall lock), plus an IPC channel
 * through which the parent reads a memory store's event log.
 *
 * Env: HALL_CONFIG, PORT, LT_STORE (memory | redis), REDIS_URL, REDIS_PREFIX, and the server's own
 * QUEUE_SUMMARY_MS and TRACKER_SUMMARY_MS (see server/settings.ts), to load-test other cadences.
 */
import { readHallsFile } from "../../server/hall-file.js";
import { createHallCallServer } from "../../server/app.js";
import { loadServerConfig } from "../../server/settings.js";
import { createLogger } from "../../server/log.js";
import { createBackend } from "../../server/store/backend.js";
import { SECRET } from "./plan.js";

/** What the parent may ask a node over IPC. */
export type NodeRequest = { op: "events"; hallId: string; after: number; limit: number } | { op: "snapshot"; hallId: string };

async function serve(): Promise<void> {
  const log = createLogger("warn", `node:${process.env.PORT}`);
  const halls = readHallsFile(process.env.HALL_CONFIG!);
  const redis = process.env.LT_STORE === "redis";
  const { store, wiring } = await createBackend({ redisUrl: redis ? process.env.REDIS_URL : undefined, prefix: process.env.REDIS_PREFIX ?? "hc", log });
  const { QUEUE_SUMMARY_MS, TRACKER_SUMMARY_MS } = loadServerConfig();
  // Every simulated device connects from this machine's one address: the per-address and per-hall
  // connection limits would count a city's devices as one flood.
  const limits = { connectionsPerAddressPerMin: Number.MAX_SAFE_INTEGER, connectionsPerHallPerMin: Number.MAX_SAFE_INTEGER };
  const server = await createHallCallServer({ store, halls, sessionSecret: SECRET, log, queueSummaryMs: QUEUE_SUMMARY_MS, trackerSummaryMs: TRACKER_SUMMARY_MS, limits, ...wiring });
  const port = await server.listen(Number(process.env.PORT), "127.0.0.1");
  process.on("message", (msg: NodeRequest & { id: number }) => {
    const work = msg.op === "events" ? store.eventsSince(msg.hallId, msg.after, msg.limit) : store.snapshot(msg.hallId);
    work.then(
      (data) => process.send!({ id: msg.id, data }),
      (err: Error) => process.send!({ id: msg.id, error: err.message }),
    );
  });
  process.on("SIGTERM", () => void server.close().then(() => store.close()).finally(() => process.exit(0)));
  process.send!({ ready: port });
}

serve().catch((err) => {
  console.error(err);
  process.exit(1);
});
