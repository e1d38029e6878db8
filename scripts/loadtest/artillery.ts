/**
 * Runs the busy-hour Artillery scenario (loadtest/busy-hour.ts, loadtest/devices.cjs) against a
 * set of servers: one Artillery process per target node, each with its generator plan; reads what
 * the servers, Redis and the generators spend in CPU over the busy and saturation windows (from
 * /proc, at the schedule's boundaries) and samples memory every 2 s; returns each generator's
 * Artillery report.
 *
 * Artillery is installed into loadtest/node_modules on first use (`npm ci --prefix loadtest`,
 * no install scripts, so Playwright downloads no browser); nothing else is fetched at run time.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cpuSeconds, descendants, type MemSample } from "./servers.js";
import type { GeneratorPlan, Schedule } from "./plan.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const LOADTEST = path.join(ROOT, "loadtest");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** How long Artillery takes from spawn to its first VU here (bundling the script, starting a worker), ms. */
export const ARTILLERY_BOOT_MS = 4_000;

/** The pinned Artillery, installed into loadtest/ when missing or of another version; returns its launcher. */
export function ensureArtillery(): string {
  const wanted = (JSON.parse(readFileSync(path.join(LOADTEST, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies.artillery;
  const installed = path.join(LOADTEST, "node_modules/artillery/package.json");
  const version = existsSync(installed) ? (JSON.parse(readFileSync(installed, "utf8")) as { version: string }).version : null;
  if (version !== wanted) {
    console.log(`installing Artillery ${wanted} into loadtest/ (npm ci --prefix loadtest, once)…`);
    const npm = spawnSync("npm", ["ci", "--prefix", LOADTEST, "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], {
      stdio: "inherit",
      env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" },
    });
    if (npm.status !== 0) throw new Error("npm ci --prefix loadtest failed");
  }
  return path.join(LOADTEST, "node_modules/artillery/bin/run");
}

/** One Artillery summary (a histogram's statistics), ms. */
export interface Summary {
  min: number;
  max: number;
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface ArtilleryReport {
  counters: Record<string, number>;
  summaries: Record<string, Summary>;
}

/** Cores kept busy over a window, by part, and the window's length. */
export interface CpuWindow {
  seconds: number;
  /** CPU seconds used in the window. */
  servers: number;
  redis: number | null;
  generators: number;
}

export interface ScenarioRun {
  reports: ArtilleryReport[];
  exits: (number | null)[];
  cpu: { busy: CpuWindow; sat: CpuWindow };
  idle: MemSample;
  samples: MemSample[];
}

export interface ScenarioTargets {
  /** PIDs of the server processes (HallCall nodes or the baseline). */
  servers: number[];
  redis?: number;
  /** Memory and sockets of the servers now. */
  sample: () => Promise<MemSample>;
}

export async function runScenario(label: string, plans: GeneratorPlan[], dir: string, targets: ScenarioTargets): Promise<ScenarioRun> {
  const artillery = ensureArtillery();
  const S: Schedule = plans[0]!.schedule;
  const idle = await targets.sample();
  const procs = plans.map((plan, g) => {
    // Each generator runs from a folder of its own: Artillery bundles the script into a dist/ beside it.
    const own = path.join(dir, `${label}-g${g + 1}`);
    mkdirSync(own, { recursive: true });
    for (const f of ["busy-hour.ts", "devices.cjs"]) if (!existsSync(path.join(own, f))) symlinkSync(path.join(LOADTEST, f), path.join(own, f));
    const planFile = path.join(own, "plan.json");
    writeFileSync(planFile, JSON.stringify(plan));
    const output = path.join(own, "report.json");
    const child = spawn(process.execPath, [artillery, "run", "--quiet", "--output", output, path.join(own, "busy-hour.ts")], {
      cwd: own,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, HC_PLAN: planFile, ARTILLERY_DISABLE_TELEMETRY: "true", PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" },
    });
    const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    return { child, output, exit };
  });

  // A process that already exited keeps its last reading.
  const last = new Map<number, number>();
  const cpuOf = (pid: number | undefined) => {
    const now = cpuSeconds(pid);
    if (pid && now !== null) last.set(pid, now);
    return pid ? (last.get(pid) ?? null) : null;
  };
  // The generators' CPU includes what they start (esbuild services), also once those exited.
  const generatorPids = new Set<number>();
  const read = () => {
    for (const p of procs) if (p.child.pid) [p.child.pid, ...descendants(p.child.pid)].forEach((pid) => generatorPids.add(pid));
    return {
      servers: targets.servers.reduce((a, pid) => a + (cpuOf(pid) ?? 0), 0),
      redis: cpuOf(targets.redis),
      generators: [...generatorPids].reduce((a, pid) => a + (cpuOf(pid) ?? 0), 0),
      at: Date.now(),
    };
  };
  const window = (a: ReturnType<typeof read>, b: ReturnType<typeof read>): CpuWindow => ({
    seconds: (b.at - a.at) / 1000,
    servers: b.servers - a.servers,
    redis: a.redis !== null && b.redis !== null ? b.redis - a.redis : null,
    generators: b.generators - a.generators,
  });
  const at = async (t: number) => {
    await sleep(t - Date.now());
    return read();
  };
  const cpuWindows = (async () => {
    const busy0 = await at(S.busy);
    const busy1 = await at(S.sat);
    const sat0 = await at(S.satMeasure);
    const sat1 = await at(S.drain);
    return { busy: window(busy0, busy1), sat: window(sat0, sat1) };
  })();

  const samples: MemSample[] = [];
  let done = false;
  const sampler = (async () => {
    while (!done) {
      await sleep(2000);
      if (!done) samples.push(await targets.sample().catch(() => idle));
    }
  })();
  const exits = await Promise.all(procs.map((p) => p.exit));
  done = true;
  await sampler;
  const cpu = await cpuWindows;
  const reports = procs.map((p) => {
    if (!existsSync(p.output)) return { counters: {}, summaries: {} };
    const r = JSON.parse(readFileSync(p.output, "utf8")) as { aggregate: ArtilleryReport };
    return { counters: r.aggregate.counters, summaries: r.aggregate.summaries };
  });
  return { reports, exits, cpu, idle, samples };
}

/**
 * One report for several generators: counters add up; of a histogram, count, min and max are
 * exact, the mean is weighted, and each percentile is the highest of the generators' (an upper
 * bound: Artillery's report keeps no mergeable histogram).
 */
export function mergeReports(reports: ArtilleryReport[]): ArtilleryReport {
  if (reports.length === 1) return reports[0]!;
  const counters: Record<string, number> = {};
  for (const r of reports) for (const [k, v] of Object.entries(r.counters)) counters[k] = (counters[k] ?? 0) + v;
  const summaries: Record<string, Summary> = {};
  for (const name of new Set(reports.flatMap((r) => Object.keys(r.summaries)))) {
    const all = reports.map((r) => r.summaries[name]).filter((s): s is Summary => !!s);
    const count = all.reduce((a, s) => a + s.count, 0);
    summaries[name] = {
      count,
      min: Math.min(...all.map((s) => s.min)),
      max: Math.max(...all.map((s) => s.max)),
      mean: all.reduce((a, s) => a + s.mean * s.count, 0) / count,
      p50: Math.max(...all.map((s) => s.p50)),
      p95: Math.max(...all.map((s) => s.p95)),
      p99: Math.max(...all.map((s) => s.p99)),
    };
  }
  return { counters, summaries };
}
