/**
 * The records at scale: 90 business days of a busy hall, each played through the simulator (the
 * real domain and store), kept in SQLite and in PostgreSQL as the archiver keeps them (batches of
 * 500), then on both: the summary of the whole range by service (three runs) and the XLSX export
 * of the last 30 days with the process's peak RSS.
 *
 *   npm run records:bench [-- --days 90] [--scale 3] [--scenario ../shared/scenarios/busy-day.json] [--database-url postgres://…]
 *
 * `--scale k` makes the hall k times the scenario's (k times the arrivals, k copies of each
 * window): busy-day is a 550-ticket day, the busy hall about 1,500.
 *
 * Without --database-url a database of its own is created on the local PostgreSQL
 * (postgres://postgres@127.0.0.1:5432) and dropped afterwards.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { HallEvent } from "../protocol/index.js";
import { Writable } from "node:stream";
import { openRecords } from "../server/records/open.js";
import { ticketsXlsx } from "../server/records/exports.js";
import { summarize } from "../server/records/reports.js";
import type { RecordsStore } from "../server/records/records-store.js";
import { simulateDay } from "../server/sim/engine.js";
import { hallConfigFor, loadScenario, type Scenario } from "../server/sim/scenario.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    days: { type: "string", default: "90" },
    scale: { type: "string", default: "3" },
    scenario: { type: "string", default: path.resolve(ROOT, "../shared/scenarios/busy-day.json") },
    "database-url": { type: "string" },
  },
});
const DAYS = Number(values.days);
if (!existsSync(values.scenario!)) throw new Error(`no scenario at ${values.scenario}: pass --scenario FILE`);
const SCALE = Number(values.scale);
const scenario = loadScenario(values.scenario!);
const base: Scenario = {
  ...scenario,
  services: scenario.services.map((s) => ({ ...s, arrivals: s.arrivals.map((a) => ({ ...a, perHour: a.perHour * SCALE })) })),
  windows: Array.from({ length: SCALE }, (_, k) => scenario.windows.map((w) => ({ ...w, id: k === 0 ? w.id : `${w.id}-${k + 1}` }))).flat(),
};
const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const first = "2026-01-05";
const dates = Array.from({ length: DAYS }, (_, i) => addDays(first, i));

async function withDatabase<T>(run: (url: string) => Promise<T>): Promise<T> {
  if (values["database-url"]) return run(values["database-url"]);
  const name = `hc_bench_${randomBytes(4).toString("hex")}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  await admin(`CREATE DATABASE "${name}"`);
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    return await run(url.toString());
  } finally {
    await admin(`DROP DATABASE "${name}" WITH (FORCE)`);
  }
}

/** Plays each day once and keeps its events in every database, a day at a time (a quarter of events never sits in memory). */
async function playInto(stores: { name: string; records: RecordsStore; ms: number }[]): Promise<{ tickets: number; events: number; playMs: number }> {
  const hallId = hallConfigFor(base, "dynamic").id;
  let tickets = 0;
  let events = 0;
  let playMs = 0;
  for (const [i, date] of dates.entries()) {
    const day: HallEvent[] = [];
    const started = performance.now();
    const run = simulateDay({ ...base, date }, "dynamic", 1_000 + i, { eta: false, onEvent: (e) => day.push(e) });
    playMs += performance.now() - started;
    tickets += run.tickets.length;
    events += day.length;
    for (const s of stores) {
      const keeping = performance.now();
      for (let j = 0; j < day.length; j += 500) await s.records.append(hallId, day.slice(j, j + 500));
      s.ms += performance.now() - keeping;
    }
  }
  return { tickets, events, playMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The 90-day summary by service (three runs), and the XLSX export of the last 30 days with the process's peak RSS. */
async function time(name: string, records: RecordsStore): Promise<void> {
  const hall = hallConfigFor(base, "dynamic");
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await summarize(records, hall, { from: dates[0]!, to: dates.at(-1)!, by: "service" });
    runs.push(performance.now() - started);
  }
  let bytes = 0;
  let peakRss = process.memoryUsage().rss;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      done();
    },
  });
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const rows = await ticketsXlsx(records, hall, { from: dates[Math.max(0, dates.length - 30)]!, to: dates.at(-1)! }, sink);
  const exportMs = performance.now() - started;
  console.log(
    `${name}: summary of ${dates.length} days by service ${runs.map((ms) => ms.toFixed(0)).join(" / ")} ms (median ${median(runs).toFixed(0)}); ` +
      `XLSX of the last 30 days: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB in ${(exportMs / 1000).toFixed(2)} s, RSS ${(rssBefore / 1e6).toFixed(0)} → peak ${(peakRss / 1e6).toFixed(0)} MB`,
  );
}

const dir = mkdtempSync(path.join(tmpdir(), "hallcall-records-bench-"));
try {
  await withDatabase(async (url) => {
    const stores = [
      { name: "SQLite", records: await openRecords({ sqlite: path.join(dir, "records.db") }), ms: 0 },
      { name: "PostgreSQL", records: await openRecords({ databaseUrl: url }), ms: 0 },
    ];
    const { tickets, events, playMs } = await playInto(stores);
    console.log(`${DAYS} days of ${path.basename(values.scenario!)} ×${SCALE}: ${tickets} tickets (${Math.round(tickets / DAYS)} a day), ${events} events, played in ${(playMs / 1000).toFixed(1)} s`);
    for (const s of stores) {
      console.log(`${s.name}: kept in ${(s.ms / 1000).toFixed(1)} s`);
      await time(s.name, s.records);
      await s.records.close();
    }
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
