/**
 * The busy-hour load test on Artillery: the bare Socket.IO baseline first, then HallCall (one
 * node, and N nodes with --nodes N), each driven by the same scenario in the same run; the event
 * log checked while it runs; figures printed side by side with their targets and saved as JSON
 * under loadtest/results/.
 *
 *   npm run loadtest                      # full: 20 halls × 237 sockets, 100 tickets/s, 1 node, private Redis
 *   npm run loadtest -- --smoke           # short (CI): 4 halls, about a minute
 *   npm run loadtest -- --nodes 2         # baseline, 1 node and 2 nodes on one Redis
 *   options: --store memory|redis  --redis URL  --no-baseline  --no-single  --halls N
 *            --rate T (tickets/s per hall)  --busy S  --trackers N (per hall)  --json FILE
 *
 * Exit status 1 when a correctness check fails (errors, gaps, tickets twice or lost); in a full
 * run also when a performance target fails. The parts: scripts/loadtest/plan.ts (halls, seats,
 * schedule), servers.ts (start servers, read their CPU and memory), artillery.ts (run the
 * scenario), event-log.ts (twice or lost), report.ts (figures and checks).
 */
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ARTILLERY_BOOT_MS, ensureArtillery, runScenario } from "./loadtest/artillery.js";
import { LogChecker, nodeLogReader, redisLogReader } from "./loadtest/event-log.js";
import { generatorPlans, makeHalls, schedule, SOCKETS_PER_HALL_FIXED, trackerStayS, type HallDevices, type Scenario } from "./loadtest/plan.js";
import { evaluate, toResult, type RunResult } from "./loadtest/report.js";
import { memoryOf, signIn, startBaseline, startNode, startRedisServer, stopChild, type HallCallNode, type RedisServerHandle } from "./loadtest/servers.js";
import type { HallConfigInput } from "../server/domain/config.js";

const ROOT = path.resolve(import.meta.dirname, "..");

interface Opts {
  smoke: boolean;
  nodes: number;
  store: "memory" | "redis";
  redis?: string;
  baseline: boolean;
  single: boolean;
  scenario: Scenario;
  json?: string;
}

const USAGE = "usage: npm run loadtest -- [--smoke] [--nodes N] [--store memory|redis] [--redis URL] [--no-baseline] [--no-single] [--halls N] [--rate T] [--busy S] [--trackers N] [--json FILE]";

/** A mistake in the command line: printed with the usage, without a stack. */
class UsageError extends Error {}

function options(): Opts {
  try {
    return parseOptions();
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError(err instanceof Error ? err.message : String(err));
  }
}

function parseOptions(): Opts {
  const { values } = parseArgs({
    options: {
      smoke: { type: "boolean", default: false },
      nodes: { type: "string", default: "1" },
      store: { type: "string", default: "redis" },
      redis: { type: "string" },
      "no-baseline": { type: "boolean", default: false },
      "no-single": { type: "boolean", default: false },
      halls: { type: "string" },
      rate: { type: "string" },
      busy: { type: "string" },
      trackers: { type: "string" },
      json: { type: "string" },
    },
  });
  const smoke = values.smoke!;
  const store = values.store as Opts["store"];
  if (store !== "memory" && store !== "redis") throw new UsageError("--store is memory or redis");
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1) throw new UsageError("--nodes is a whole number, at least 1");
  if (store === "memory" && nodes > 1) throw new UsageError("several nodes need --store redis");
  const rate = Number(values.rate ?? (smoke ? 10 : 5));
  const trackers = Number(values.trackers ?? (smoke ? 50 : 200));
  const stay = trackers / rate;
  const scenario: Scenario = {
    halls: Number(values.halls ?? (smoke ? 4 : 20)),
    rate,
    trackers,
    // The ramp lasts until every hall has its phones (one per new ticket, each staying `stay` s).
    phases: smoke
      ? { connectS: 4, rampS: Math.max(4, stay + 1), busyS: Number(values.busy ?? 12), satS: 6, drainS: 3 }
      : { connectS: 12, rampS: Math.max(15, stay + 5), busyS: Number(values.busy ?? 90), satS: 20, drainS: 3 },
  };
  if (!(rate > 0) || !Number.isInteger(scenario.halls) || scenario.halls < 1 || !Number.isInteger(trackers) || trackers < 0 || !(scenario.phases.busyS > 0)) throw new UsageError("--rate and --busy must be positive, --halls a whole number at least 1, --trackers a whole number at least 0");
  return { smoke, nodes, store, redis: values.redis, baseline: !values["no-baseline"], single: nodes > 1 && !values["no-single"], scenario, json: values.json };
}

/** One scenario against servers already up: plans for one generator per target, the run, the result. */
async function measure(label: string, nodes: number, store: string, urls: string[], devices: HallDevices[], tokens: (hallId: string, windowId: string) => string, opts: Opts, tmp: string, pids: { servers: number[]; redis?: number }, kind: "hallcall" | "baseline", check?: LogChecker): Promise<RunResult> {
  const started = Date.now();
  const when = schedule(Date.now() + ARTILLERY_BOOT_MS, opts.scenario.phases);
  const plans = generatorPlans(devices, tokens, urls, opts.scenario, when, ARTILLERY_BOOT_MS / 1000);
  const following = check?.follow();
  const run = await runScenario(label, plans, tmp, { ...pids, sample: () => memoryOf(urls, kind) });
  check?.stop();
  await following;
  return toResult(label, nodes, store, run, opts.scenario.phases, (Date.now() - started) / 1000, await check?.finish());
}

async function main(): Promise<void> {
  const opts = options();
  ensureArtillery();
  const started = Date.now();
  const s = opts.scenario;
  const tmp = mkdtempSync(path.join(tmpdir(), "hallcall-loadtest-"));
  const { config, devices } = makeHalls(s.halls);
  const configFile = path.join(tmp, "halls.json");
  writeFileSync(configFile, JSON.stringify(config));
  const p = s.phases;
  console.log(`load test: ${opts.smoke ? "SMOKE" : "FULL"} · ${s.halls} halls × ${SOCKETS_PER_HALL_FIXED} devices + ${s.trackers} phones ≈ ${s.halls * (SOCKETS_PER_HALL_FIXED + s.trackers)} sockets · ${s.rate} tickets/s/hall (${s.rate * s.halls}/s city-wide) · phones stay ${trackerStayS(s)} s · store ${opts.store}`);
  console.log(`phases (s): connect ${p.connectS}, ramp ${p.rampS}, busy ${p.busyS} (measured), saturation ${p.satS}, drain ${p.drainS}`);

  const results: RunResult[] = [];
  const children: ChildProcess[] = [];
  let redis: RedisServerHandle | null = null;
  const cleanup = async () => {
    await Promise.all(children.map(stopChild));
    await redis?.stop();
  };
  process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));
  try {
    if (opts.baseline) {
      const b = await startBaseline();
      children.push(b.child);
      console.log(`\n▶ baseline (bare Socket.IO) on ${b.url}`);
      results.push(await measure("baseline", 1, "-", [b.url], devices, () => "baseline", opts, tmp, { servers: [b.child.pid!] }, "baseline"));
      await stopChild(b.child);
    }
    if (opts.store === "redis" && !opts.redis) redis = await startRedisServer();
    const redisUrl = opts.redis ?? redis?.url;
    for (const n of [...(opts.single || opts.nodes === 1 ? [1] : []), ...(opts.nodes > 1 ? [opts.nodes] : [])]) {
      const prefix = `lt${Date.now().toString(36)}n${n}`;
      const nodes: HallCallNode[] = [];
      for (let i = 0; i < n; i++) {
        const node = await startNode({ HALL_CONFIG: configFile, LT_STORE: opts.store, REDIS_URL: redisUrl, REDIS_PREFIX: prefix });
        children.push(node.child);
        nodes.push(node);
      }
      const urls = nodes.map((x) => x.url);
      console.log(`\n▶ HallCall, ${n} node${n > 1 ? "s" : ""}: ${urls.join(", ")}${redisUrl ? ` · Redis ${redisUrl}` : ""}`);
      const t = Date.now();
      const tokens = await signIn(devices, urls);
      console.log(`  ${devices.length * 16} staff signed in over REST in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      const reader = redisUrl ? await redisLogReader(redisUrl, prefix, config.halls as HallConfigInput[]) : nodeLogReader(nodes[0]!);
      const check = new LogChecker(reader, devices.map((d) => d.id));
      results.push(await measure(n === 1 ? "hallcall" : `hallcall-${n}n`, n, opts.store, urls, devices, tokens, opts, tmp, { servers: nodes.map((x) => x.child.pid!), redis: redis?.process.pid }, "hallcall", check));
      await reader.close();
      await Promise.all(nodes.map((x) => stopChild(x.child)));
    }
  } finally {
    await cleanup();
    rmSync(tmp, { recursive: true, force: true });
  }

  const report = evaluate(results, opts.smoke);
  const file = opts.json ?? path.join(ROOT, "loadtest/results", `${new Date().toISOString().replace(/[:.]/g, "-")}-${opts.smoke ? "smoke" : "full"}-${opts.nodes}n-${opts.store}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  const command = `npm run loadtest -- ${process.argv.slice(2).join(" ")}`.trim();
  writeFileSync(file, JSON.stringify({ command, at: new Date().toISOString(), options: opts, results, checks: report.checks, seconds: (Date.now() - started) / 1000 }, null, 2));
  console.log(`\nsaved ${path.relative(ROOT, file)} · total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exit(report.exitCode);
}

main().catch((err) => {
  if (err instanceof UsageError) console.error(`${err.message}\n${USAGE}`);
  else console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
