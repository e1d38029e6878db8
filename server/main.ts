/**
 * Starts HallCall from the environment: the halls from HALL_CONFIG, Redis when REDIS_URL or
 * REDIS_CLUSTER_NODES is set (with the Redis adapter for several nodes), else the embedded SQLite
 * store in DATA_DIR. With records (PostgreSQL, or the embedded store's file) the server also
 * takes bookings, checks them in, marks the missed ones and keeps the hours managers edit.
 */
import { createHallCallServer, defaultWebRoot } from "./app.js";
import { loadServerConfig, restLimitsOf } from "./settings.js";
import { readHallsFile } from "./hall-file.js";
import { createLogger } from "./log.js";
import { createBackend } from "./store/backend.js";
import { SqliteStore } from "./store/sqlite/sqlite-store.js";
import { Archiver } from "./records/archiver.js";
import { openRecords } from "./records/open.js";
import { RetentionJob } from "./records/retention-job.js";
import { systemClock } from "./domain/clock.js";

async function main(): Promise<void> {
  const config = loadServerConfig();
  const log = createLogger(config.LOG_LEVEL);
  const halls = readHallsFile(config.HALL_CONFIG);

  const clusterNodes = config.REDIS_CLUSTER_NODES?.split(",").map((s) => s.trim()).filter(Boolean);
  const backend = await createBackend({ redisUrl: config.REDIS_URL, clusterNodes, dataDir: config.DATA_DIR, prefix: config.REDIS_PREFIX, storeDeadlineMs: config.STORE_DEADLINE_MS, log });
  const { store } = backend;
  if (backend.shared) log.info(`store: ${backend.description}`);
  // Loud, because the file is one process's: a second node on it, or a load balancer over two, would split the hall.
  else if (store.kind === "sqlite") log.warn(`store: EMBEDDED (no REDIS_URL): ${backend.description}; the halls survive restarts; run ONE node only on this DATA_DIR`);
  else log.warn("store: EMBEDDED MEMORY: state lives in this process only and is lost on restart; run one node only");
  if (config.TRUST_PROXY === true) log.warn("TRUST_PROXY=true: every client may name its own address in X-Forwarded-For and so escape the rate limits; give the proxy's hop count or addresses instead");
  if (config.sessionSecretGenerated) log.warn("SESSION_SECRET not set: staff sign-ins last until this process restarts and work on this node only");

  // The records: PostgreSQL when DATABASE_URL names one, else the embedded store's own SQLite file.
  const sqliteDb = store instanceof SqliteStore ? store.db : undefined;
  const phoneKey = config.PHONE_KEY;
  const records = config.DATABASE_URL ? await openRecords({ databaseUrl: config.DATABASE_URL, phoneKey, log }) : sqliteDb ? await openRecords({ sqlite: sqliteDb, phoneKey, log }) : null;
  if (!records && backend.shared) log.warn("DATABASE_URL not set: no history is kept beyond Redis's trimmed event log, and no bookings are taken");
  const archiver = records
    ? new Archiver({
        store,
        records,
        halls: halls.map((h) => h.id),
        lock: backend.wiring.lock,
        onError: (hallId, err) => log.warn(`records: archiving ${hallId} failed; retrying`, err),
        onGap: (hallId, after, next) => log.error(`records: ${hallId}'s log no longer holds seqs ${after + 1}..${next - 1}; they are missing from the records`),
      })
    : null;

  const server = await createHallCallServer({ store, halls, sessionSecret: config.SESSION_SECRET, sessionHours: config.SESSION_HOURS, log, webRoot: defaultWebRoot, ...backend.wiring, queueSummaryMs: config.QUEUE_SUMMARY_MS, trackerSummaryMs: config.TRACKER_SUMMARY_MS, storeDeadlineMs: config.STORE_DEADLINE_MS, publicUrl: config.PUBLIC_URL, limits: restLimitsOf(config), trustProxy: config.TRUST_PROXY, records: records ?? undefined });
  if (archiver) {
    server.ctx.onEvent(archiver.notify);
    archiver.start();
  }
  const erasers = [
    ...(records ? [(hallId: string, before: string) => records.erasePersonal(hallId, before), (hallId: string, before: string) => records.bookings.erasePersonal(hallId, before), (hallId: string, before: string) => records.cases.erasePersonal(hallId, before)] : []),
    ...(store instanceof SqliteStore ? [(hallId: string, before: string) => store.erasePersonal(hallId, before)] : []),
  ];
  const retention = new RetentionJob(halls, erasers, systemClock, log);
  retention.start();
  const port = await server.listen(config.PORT, config.HOST);
  log.info(`HallCall listening on http://localhost:${port} (${halls.length} hall${halls.length > 1 ? "s" : ""}: ${halls.map((h) => h.id).join(", ")})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: closing`);
    retention.stop();
    await server.close();
    await archiver?.stop();
    await records?.close();
    await backend.close();
    process.exit(0);
  };
  // Every handler answers its own errors; anything that still escapes is a bug to log, not a
  // reason to drop every screen in the hall.
  process.on("unhandledRejection", (err) => log.error("unhandled rejection", err));
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
