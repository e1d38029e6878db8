/**
 * The busy-hour load test: writes a 20-hall config, starts HallCall (`--nodes N`, `--store
 * memory|redis`) and, first, the bare Socket.IO baseline; signs the staff in over REST; runs
 * loadtest/busy-hour.js in k6 against each; reads HallCall's event log while it runs to prove no
 * ticket was called twice or lost; samples memory; prints the figures with their targets and the
 * ratios to the baseline; saves everything as JSON under loadtest/results/.
 *
 *   npm run loadtest                      # full: 20 halls × 237 sockets, 1 node, local Redis
 *   npm run loadtest -- --smoke           # short (CI): 4 halls, about a minute, private Redis
 *   npm run loadtest -- --nodes 2 --halls 40
 *   options: --store memory|redis  --redis URL  --no-baseline  --halls N  --rate T/s/hall
 *            --busy S  --trackers N  --json FILE
 *
 * Exit status: 1 when a correctness check fails (errors, sequence gaps, tickets twice or lost);
 * in a full run also when a latency or throughput target fails.
 * Internal: `--serve` runs one HallCall node as a forked child (the same wiring as server/main.ts,
 * plus an IPC channel through which the parent reads the event log).
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { HallEvent, HallSnapshot } from "../protocol/index.js";
import { createHallCallServer } from "../server/app.js";
import { parseHalls, type HallConfigInput } from "../server/domain/config.js";
import { createLogger } from "../server/log.js";
import { MemoryStore } from "../server/store/memory/memory-store.js";
import type { HallStore } from "../server/store/types.js";
import { hashPassword } from "../server/transport/auth.js";
import { freePort, startRedisServer, type RedisServerHandle } from "../test/helpers/redis.js";
import { findK6 } from "./k6.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const PASSWORD = "loadtest-password";
const SECRET = "loadtest-session-secret-0123456789";

// ---------------------------------------------------------------- child: one HallCall node

type Req = { op: "events"; hallId: string; after: number; limit: number } | { op: "snapshot"; hallId: string };
type Request = Req & { id: number };

async function serve(): Promise<void> {
  const log = createLogger("warn", `node:${process.env.PORT}`);
  const halls = parseHalls(JSON.parse(readFileSync(process.env.HALL_CONFIG!, "utf8")));
  let store: HallStore;
  let configureIo, ready, lock;
  if (process.env.LT_STORE === "redis") {
    const { wireRedis } = await import("../server/store/redis/wiring.js");
    const wired = await wireRedis({ url: process.env.REDIS_URL, prefix: process.env.REDIS_PREFIX ?? "hc", log });
    ({ store, configureIo, ready, lock } = wired);
  } else {
    store = new MemoryStore();
  }
  const server = await createHallCallServer({ store, halls, sessionSecret: SECRET, log, configureIo, ready, lock });
  const port = await server.listen(Number(process.env.PORT), "127.0.0.1");
  process.on("message", (msg: Request) => {
    const work = msg.op === "events" ? store.eventsSince(msg.hallId, msg.after, msg.limit) : store.snapshot(msg.hallId, Date.now());
    work.then(
      (data) => process.send!({ id: msg.id, data }),
      (err: Error) => process.send!({ id: msg.id, error: err.message }),
    );
  });
  process.on("SIGTERM", () => void server.close().then(() => store.close()).finally(() => process.exit(0)));
  process.send!({ ready: port });
}

// ---------------------------------------------------------------- parent

interface Opts {
  smoke: boolean;
  nodes: number;
  store: "memory" | "redis";
  redis?: string;
  baseline: boolean;
  halls: number;
  rate: number;
  trackers: number;
  phases: { CONNECT_S: number; RAMP_S: number; BUSY_S: number; SAT_S: number };
  json?: string;
}

function options(): Opts {
  const { values } = parseArgs({
    options: {
      smoke: { type: "boolean", default: false },
      nodes: { type: "string", default: "1" },
      store: { type: "string" },
      redis: { type: "string" },
      "no-baseline": { type: "boolean", default: false },
      baseline: { type: "boolean" },
      halls: { type: "string" },
      rate: { type: "string" },
      busy: { type: "string" },
      trackers: { type: "string" },
      json: { type: "string" },
      serve: { type: "boolean" },
    },
  });
  const smoke = values.smoke!;
  const store = (values.store ?? "redis") as Opts["store"];
  if (store !== "memory" && store !== "redis") throw new Error("--store is memory or redis");
  if (store === "memory" && Number(values.nodes) > 1) throw new Error("several nodes need --store redis");
  return {
    smoke,
    nodes: Math.max(1, Number(values.nodes)),
    store,
    redis: values.redis,
    baseline: !values["no-baseline"],
    halls: Number(values.halls ?? (smoke ? 4 : 20)),
    rate: Number(values.rate ?? 10),
    trackers: Number(values.trackers ?? (smoke ? 50 : 200)),
    phases: smoke ? { CONNECT_S: 3, RAMP_S: 4, BUSY_S: Number(values.busy ?? 12), SAT_S: 6 } : { CONNECT_S: 12, RAMP_S: 15, BUSY_S: Number(values.busy ?? 90), SAT_S: 20 },
    json: values.json,
  };
}

interface PlanHall {
  id: string;
  services: string[];
  boards: string[];
  strips: { token: string; windowId: string }[];
  kiosks: string[];
  counters: { staffId: string; token: string; windowId: string }[];
}

/** The hall config (for the servers) and the plan (for k6: who connects with which secret). */
function makeHalls(count: number): { config: { halls: HallConfigInput[] }; plan: PlanHall[] } {
  const hash = hashPassword(PASSWORD);
  const services = ["s1", "s2", "s3", "s4"];
  const config: HallConfigInput[] = [];
  const plan: PlanHall[] = [];
  for (let h = 1; h <= count; h++) {
    const id = `h${String(h).padStart(2, "0")}`;
    const tok = (what: string) => `lt-${id}-${what}-${Math.random().toString(36).slice(2, 10)}`;
    const windows = Array.from({ length: 16 }, (_, i) => String(i + 1));
    const p: PlanHall = {
      id,
      services,
      boards: [tok("board1"), tok("board2"), tok("board3")],
      strips: windows.map((w) => ({ token: tok(`strip${w}`), windowId: w })),
      kiosks: [tok("kiosk1"), tok("kiosk2")],
      counters: windows.map((w) => ({ staffId: `c${w}`, token: "", windowId: w })),
    };
    plan.push(p);
    config.push({
      id,
      name: { zh: `第${h}大厅`, en: `Hall ${h}` },
      timezone: "Asia/Shanghai",
      services: services.map((s, i) => ({ id: s, prefix: "ABCD"[i]!, name: { zh: `业务${i + 1}`, en: `Service ${i + 1}` }, dailyQuota: 10_000_000, opens: "00:00", closes: "23:59", serviceMin: 6 + 2 * i })),
      windows: windows.map((w, i) => {
        const primary = services[i % services.length]!;
        return { id: w, label: { zh: `${w}号窗口`, en: `Window ${w}` }, qualified: services, serving: [primary, ...services.filter((s) => s !== primary)] };
      }),
      staff: windows.map((w) => ({ id: `c${w}`, name: `Clerk ${w}`, passwordHash: hash, roles: ["counter" as const] })),
      devices: [
        ...p.boards.map((token) => ({ token, role: "display" as const })),
        ...p.strips.map((s) => ({ token: s.token, role: "display" as const, windowId: s.windowId })),
        ...p.kiosks.map((token) => ({ token, role: "kiosk" as const })),
      ],
      balancer: { mode: "off" },
    });
  }
  return { config: { halls: config }, plan };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Node {
  url: string;
  child: ChildProcess;
  request<T>(req: Req): Promise<T>;
}

async function startNode(env: Record<string, string>): Promise<Node> {
  const port = await freePort();
  const child = fork(path.join(ROOT, "scripts/loadtest.ts"), ["--serve"], {
    cwd: ROOT,
    // LOADTEST_NODE_ARGS: extra Node flags for the nodes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    execArgv: ["--import", "tsx", "--max-old-space-size=4096", ...(process.env.LOADTEST_NODE_ARGS?.split(" ").filter(Boolean) ?? [])],
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`HallCall node exited with ${code} before listening`)));
    child.on("message", (m: { ready?: number; id?: number; data?: unknown; error?: string }) => {
      if (m.ready) return resolve();
      const w = waiting.get(m.id!);
      if (!w) return;
      waiting.delete(m.id!);
      if (m.error) w.reject(new Error(m.error));
      else w.resolve(m.data);
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    request: <T>(req: Req) =>
      new Promise<T>((resolve, reject) => {
        const id = ++next;
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ ...req, id });
      }),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGKILL");
    await exited;
  }
}

async function waitHealthy(url: string, pathName: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url + pathName)).ok) return;
    } catch {
      /* not yet */
    }
    await sleep(100);
  }
  throw new Error(`${url} never became healthy`);
}

/** Sign every counter's staff member in (REST), spread over the nodes, a few at a time. */
async function signIn(plan: PlanHall[], urls: string[]): Promise<void> {
  const jobs = plan.flatMap((h) => h.counters.map((c) => ({ h, c })));
  let i = 0;
  const worker = async () => {
    while (i < jobs.length) {
      const { h, c } = jobs[i]!;
      const url = urls[i++ % urls.length]!;
      const res = await fetch(`${url}/api/halls/${h.id}/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ staffId: c.staffId, password: PASSWORD }) });
      if (!res.ok) throw new Error(`login ${h.id}/${c.staffId}: ${res.status} ${await res.text()}`);
      c.token = ((await res.json()) as { token: string }).token;
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere or once it exited. */
function cpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // Fields after the ")" that ends the command name: utime and stime are the 12th and 13th, in clock ticks (100/s).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Cores each part kept busy over a k6 run: the load generator, the servers, Redis. */
interface CpuUse {
  k6: number;
  servers: number;
  redis: number | null;
}

interface MemSample {
  at: number;
  sockets: number;
  rss: number;
  heapUsed: number;
}

/** rss, heap and sockets of one HallCall node from /metrics (prom-client), or the baseline's /stats. */
async function memoryOf(url: string, kind: "hallcall" | "baseline"): Promise<MemSample> {
  if (kind === "baseline") {
    const s = (await (await fetch(`${url}/stats`)).json()) as { sockets: number; rss: number; heapUsed: number };
    return { at: Date.now(), ...s };
  }
  const text = await (await fetch(`${url}/metrics`)).text();
  const one = (name: string) => Number(new RegExp(`^${name} ([0-9.e+]+)`, "m").exec(text)?.[1] ?? NaN);
  const sockets = [...text.matchAll(/^hallcall_connected_sockets\{[^}]*\} ([0-9.e+-]+)/gm)].reduce((a, m) => a + Number(m[1]), 0);
  return { at: Date.now(), sockets, rss: one("process_resident_memory_bytes"), heapUsed: one("nodejs_heap_size_used_bytes") };
}

/** Where the checker reads the log: Redis directly (no load on the nodes), or the node's memory store over IPC. */
interface LogReader {
  events(hallId: string, after: number, limit: number): Promise<HallEvent[]>;
  snapshot(hallId: string): Promise<HallSnapshot>;
  close(): Promise<void>;
}

async function logReader(node: Node, redis: { url: string; prefix: string; halls: HallConfigInput[] } | null): Promise<LogReader> {
  if (!redis) {
    return {
      events: (hallId, after, limit) => node.request<HallEvent[]>({ op: "events", hallId, after, limit }),
      snapshot: (hallId) => node.request<HallSnapshot>({ op: "snapshot", hallId }),
      close: async () => {},
    };
  }
  const { createRedisStore } = await import("../server/store/redis/redis-store.js");
  const { normalizePrefix } = await import("../server/store/redis/wiring.js");
  const store = await createRedisStore({ url: redis.url, prefix: normalizePrefix(redis.prefix) });
  // Registers the halls with this store object; halls that exist keep their live state.
  for (const h of parseHalls({ halls: redis.halls })) await store.loadHall(h, Date.now());
  return {
    events: (hallId, after, limit) => store.eventsSince(hallId, after, limit),
    snapshot: (hallId) => store.snapshot(hallId, Date.now()),
    close: () => store.close(),
  };
}

/** Reads every hall's event log as it grows and keeps what the "twice or lost" check needs. */
class LogChecker {
  private after = new Map<string, number>();
  readonly issued = new Map<string, number>();
  readonly calls = new Map<string, number>();
  events = 0;
  logHoles = 0;
  private stopped = false;

  constructor(
    private log: LogReader,
    private halls: string[],
  ) {}

  async pass(): Promise<number> {
    let got = 0;
    for (const hallId of this.halls) {
      for (;;) {
        const after = this.after.get(hallId) ?? 0;
        const page = await this.log.events(hallId, after, 2000);
        if (!page.length) break;
        if (page[0]!.seq !== after + 1) this.logHoles++; // trimmed before we read it
        for (const e of page) {
          if (e.type === "ticket:issued") this.issued.set(e.ticket.id, (this.issued.get(e.ticket.id) ?? 0) + 1);
          if (e.type === "ticket:called" && !e.recall) this.calls.set(e.ticket.id, (this.calls.get(e.ticket.id) ?? 0) + 1);
        }
        this.events += page.length;
        got += page.length;
        this.after.set(hallId, page[page.length - 1]!.seq);
        await sleep(5);
        if (page.length < 2000) break;
      }
    }
    return got;
  }

  async follow(): Promise<void> {
    while (!this.stopped) {
      await this.pass();
      await sleep(500);
    }
  }

  stop(): void {
    this.stopped = true;
  }

  async finish(): Promise<{ events: number; issued: number; calledTwice: number; lost: number; logHoles: number; waitingAtEnd: number }> {
    while ((await this.pass()) > 0);
    const open = new Set<string>();
    for (const hallId of this.halls) {
      const snap = await this.log.snapshot(hallId);
      for (const t of snap.tickets) if (t.state === "waiting") open.add(t.id);
    }
    let lost = 0;
    for (const id of this.issued.keys()) if (!this.calls.has(id) && !open.has(id)) lost++;
    const calledTwice = [...this.calls.values()].filter((n) => n > 1).length + [...this.issued.values()].filter((n) => n > 1).length;
    return { events: this.events, issued: this.issued.size, calledTwice, lost, logHoles: this.logHoles, waitingAtEnd: open.size };
  }
}

type Stats = { avg: number; med: number; "p(95)": number; "p(99)": number; max: number; count: number };

interface RunResult {
  label: string;
  nodes: number;
  sockets: number;
  trend: Record<"issue" | "call" | "finish" | "callToScreen" | "connect", Stats | null>;
  counters: Record<string, number>;
  throughput: number;
  memory: { idleRss: number; peakRss: number; peakHeap: number; idleHeap: number; peakSockets: number; rssPerConnKB: number; heapPerConnKB: number };
  log?: Awaited<ReturnType<LogChecker["finish"]>>;
  cpu: CpuUse;
  k6Exit: number | null;
  seconds: number;
}

async function runK6(
  k6: string,
  label: string,
  urls: string[],
  planFile: string,
  opts: Opts,
  sample: () => Promise<MemSample>,
  tmp: string,
  pids: { servers: number[]; redis?: number },
): Promise<{ summary: { metrics: Record<string, { values: Record<string, number> }> }; exit: number | null; samples: MemSample[]; idle: MemSample; cpu: CpuUse }> {
  const out = path.join(tmp, `${label}-summary.json`);
  const env: Record<string, string> = {
    HC_PLAN: planFile,
    HC_URLS: urls.join(","),
    RATE: String(opts.rate),
    TRACKERS: String(opts.trackers),
    SUMMARY_OUT: out,
    ...Object.fromEntries(Object.entries(opts.phases).map(([k, v]) => [k, String(v)])),
  };
  const idle = await sample();
  const samples: MemSample[] = [];
  const serverCpu = () => pids.servers.reduce((a, pid) => a + (cpuSeconds(pid) ?? 0), 0);
  const cpu0 = { servers: serverCpu(), redis: cpuSeconds(pids.redis), at: Date.now() };
  let k6Cpu = 0;
  let k6Pid: number | undefined;
  let done = false;
  const sampler = (async () => {
    while (!done) {
      await sleep(2000);
      k6Cpu = cpuSeconds(k6Pid) ?? k6Cpu;
      if (!done) samples.push(await sample().catch(() => idle));
    }
  })();
  const child = spawn(k6, ["run", "--quiet", "--no-usage-report", "--no-color", ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]), path.join(ROOT, "loadtest/busy-hour.js")], {
    stdio: ["ignore", "inherit", "inherit"],
    // k6 allocates per received frame; a lazier GC leaves more of the 2 cores to the servers.
    env: { ...process.env, GOGC: process.env.GOGC ?? "400" },
  });
  k6Pid = child.pid;
  const exit = await new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  done = true;
  await sampler;
  // k6's last reading is up to 2 s old (its /proc entry is gone at exit): the quiet drain phase.
  const secs = (Date.now() - cpu0.at) / 1000;
  const redisNow = cpuSeconds(pids.redis);
  const cpu = { k6: k6Cpu / secs, servers: (serverCpu() - cpu0.servers) / secs, redis: redisNow !== null && cpu0.redis !== null ? (redisNow - cpu0.redis) / secs : null };
  return { summary: JSON.parse(readFileSync(out, "utf8")), exit, samples, idle, cpu };
}

function toResult(label: string, nodes: number, k: Awaited<ReturnType<typeof runK6>>, opts: Opts, seconds: number): RunResult {
  const m = k.summary.metrics;
  const trend = (name: string) => (m[name] ? (m[name]!.values as unknown as Stats) : null);
  const count = (name: string) => m[name]?.values.count ?? 0;
  const peak = k.samples.reduce((a, s) => (s.sockets > a.sockets ? s : a), k.idle);
  const satWarm = Math.min(3, opts.phases.SAT_S / 4);
  return {
    label,
    nodes,
    sockets: peak.sockets,
    trend: { issue: trend("hc_ack_issue"), call: trend("hc_ack_call"), finish: trend("hc_ack_finish"), callToScreen: trend("hc_call_to_screen"), connect: trend("hc_connect") },
    counters: Object.fromEntries(["hc_errors", "hc_seq_gaps", "hc_seq_late", "hc_board_events", "hc_issued_ok", "hc_called_ok", "hc_finished_ok", "hc_queue_empty", "hc_busy_commands", "hc_sat_commands", "hc_sockets_opened"].map((n) => [n, count(n)])),
    throughput: count("hc_sat_commands") / (opts.phases.SAT_S - satWarm),
    memory: {
      idleRss: k.idle.rss,
      peakRss: peak.rss,
      idleHeap: k.idle.heapUsed,
      peakHeap: peak.heapUsed,
      peakSockets: peak.sockets,
      rssPerConnKB: peak.sockets ? (peak.rss - k.idle.rss) / peak.sockets / 1024 : NaN,
      heapPerConnKB: peak.sockets ? (peak.heapUsed - k.idle.heapUsed) / peak.sockets / 1024 : NaN,
    },
    cpu: k.cpu,
    k6Exit: k.exit,
    seconds,
  };
}

/** Sum the memory samples of several nodes taken at the same moment. */
const summed = async (urls: string[], kind: "hallcall" | "baseline"): Promise<MemSample> => {
  const all = await Promise.all(urls.map((u) => memoryOf(u, kind)));
  return all.reduce((a, s) => ({ at: s.at, sockets: a.sockets + s.sockets, rss: a.rss + s.rss, heapUsed: a.heapUsed + s.heapUsed }), { at: 0, sockets: 0, rss: 0, heapUsed: 0 });
};

async function main(): Promise<void> {
  const opts = options();
  const k6 = findK6();
  const started = Date.now();
  const tmp = mkdtempSync(path.join(tmpdir(), "hallcall-loadtest-"));
  const { config, plan } = makeHalls(opts.halls);
  const configFile = path.join(tmp, "halls.json");
  writeFileSync(configFile, JSON.stringify(config));
  const planFile = path.join(tmp, "plan.json");
  const perHall = 16 + 2 + 3 + 16 + opts.trackers;
  console.log(`load test: ${opts.smoke ? "SMOKE" : "FULL"} · ${opts.halls} halls × ${perHall} sockets ≈ ${opts.halls * perHall} · ${opts.rate} tickets/s/hall (${opts.rate * opts.halls}/s city) · ${opts.nodes} node(s), store ${opts.store} · k6 ${k6}`);
  console.log(`phases (s): connect ${opts.phases.CONNECT_S}, ramp ${opts.phases.RAMP_S}, busy ${opts.phases.BUSY_S} (measured), saturation ${opts.phases.SAT_S}`);

  const results: RunResult[] = [];
  let redis: RedisServerHandle | null = null;
  const children: ChildProcess[] = [];
  const cleanup = async () => {
    await Promise.all(children.map(stopChild));
    await redis?.stop();
  };
  process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));

  try {
    if (opts.baseline) {
      const port = await freePort();
      const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "loadtest/baseline-server.ts"), "--port", String(port)], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
      children.push(child);
      const url = `http://127.0.0.1:${port}`;
      await waitHealthy(url, "/healthz");
      writeFileSync(planFile, JSON.stringify({ halls: plan.map((h) => ({ ...h, counters: h.counters.map((c) => ({ ...c, token: "baseline" })) })) }));
      console.log(`\n▶ baseline (bare Socket.IO) on ${url}`);
      const t = Date.now();
      const k = await runK6(k6, "baseline", [url], planFile, opts, () => summed([url], "baseline"), tmp, { servers: [child.pid!] });
      results.push(toResult("baseline", 1, k, opts, (Date.now() - t) / 1000));
      await stopChild(child);
    }

    const env: Record<string, string> = { HALL_CONFIG: configFile, LT_STORE: opts.store, REDIS_PREFIX: `lt${Date.now().toString(36)}` };
    if (opts.store === "redis") {
      if (!opts.redis) redis = await startRedisServer();
      env.REDIS_URL = opts.redis ?? redis!.url;
    }
    const nodes: Node[] = [];
    for (let i = 0; i < opts.nodes; i++) {
      const n = await startNode(env);
      children.push(n.child);
      nodes.push(n);
    }
    const urls = nodes.map((n) => n.url);
    await Promise.all(urls.map((u) => waitHealthy(u, "/healthz")));
    console.log(`\n▶ HallCall: ${urls.join(", ")}${env.REDIS_URL ? ` · Redis ${env.REDIS_URL}` : ""}`);
    const t0 = Date.now();
    await signIn(plan, urls);
    console.log(`  ${plan.length * 16} staff signed in over REST in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    writeFileSync(planFile, JSON.stringify({ halls: plan }));
    const reader = await logReader(nodes[0]!, env.REDIS_URL ? { url: env.REDIS_URL, prefix: env.REDIS_PREFIX!, halls: config.halls } : null);
    const checker = new LogChecker(reader, plan.map((h) => h.id));
    const following = checker.follow();
    const t = Date.now();
    const k = await runK6(k6, "hallcall", urls, planFile, opts, () => summed(urls, "hallcall"), tmp, { servers: nodes.map((n) => n.child.pid!), redis: redis?.process.pid });
    const r = toResult("hallcall", opts.nodes, k, opts, (Date.now() - t) / 1000);
    checker.stop();
    await following.catch((err) => console.error("event log reader failed", err));
    r.log = await checker.finish();
    await reader.close();
    results.push(r);
  } finally {
    await cleanup();
    rmSync(tmp, { recursive: true, force: true });
  }

  const report = evaluate(results, opts);
  const file = opts.json ?? path.join(ROOT, "loadtest/results", `${new Date().toISOString().replace(/[:.]/g, "-")}-${opts.smoke ? "smoke" : "full"}-${opts.nodes}n-${opts.store}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ command: `npm run loadtest -- ${process.argv.slice(2).join(" ")}`.trim(), at: new Date().toISOString(), options: opts, results, checks: report.checks, seconds: (Date.now() - started) / 1000 }, null, 2));
  console.log(`\nsaved ${path.relative(ROOT, file)} · total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exit(report.exitCode);
}

interface Check {
  name: string;
  value: string;
  target: string;
  pass: boolean;
  kind: "correctness" | "performance" | "info";
}

function evaluate(results: RunResult[], opts: Opts): { checks: Check[]; exitCode: number } {
  const hc = results.find((r) => r.label === "hallcall")!;
  const base = results.find((r) => r.label === "baseline");
  const ms = (s: Stats | null, k: keyof Stats) => (s ? s[k] : NaN);
  const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "–");
  const trio = (s: Stats | null) => `${f(ms(s, "med"))} / ${f(ms(s, "p(95)"))} / ${f(ms(s, "p(99)"))}`;

  console.log("\n figure                                  HallCall                 baseline                 ratio");
  const row = (name: string, a: string, b: string, ratio = "") => console.log(` ${name.padEnd(40)}${a.padEnd(25)}${b.padEnd(25)}${ratio}`);
  const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : "");
  row("sockets (peak, server side)", String(hc.sockets), String(base?.sockets ?? "–"));
  row("issue ack p50/p95/p99 (ms)", trio(hc.trend.issue), trio(base?.trend.issue ?? null), ratio(ms(hc.trend.issue, "p(99)"), ms(base?.trend.issue ?? null, "p(99)")));
  row("call ack p50/p95/p99 (ms)", trio(hc.trend.call), trio(base?.trend.call ?? null), ratio(ms(hc.trend.call, "p(99)"), ms(base?.trend.call ?? null, "p(99)")));
  row("finish ack p50/p95/p99 (ms)", trio(hc.trend.finish), trio(base?.trend.finish ?? null), ratio(ms(hc.trend.finish, "p(99)"), ms(base?.trend.finish ?? null, "p(99)")));
  row("call-to-screen p50/p95/p99 (ms)", trio(hc.trend.callToScreen), trio(base?.trend.callToScreen ?? null), ratio(ms(hc.trend.callToScreen, "p(99)"), ms(base?.trend.callToScreen ?? null, "p(99)")));
  row("connect p50/p95/p99 (ms)", trio(hc.trend.connect), trio(base?.trend.connect ?? null));
  const busyRate = (r: RunResult | undefined) => (r ? r.counters.hc_busy_commands! / opts.phases.BUSY_S : NaN);
  row("busy-phase commands/s (paced)", f(busyRate(hc), 0), f(busyRate(base), 0));
  row("saturated commands/s", f(hc.throughput, 0), f(base?.throughput ?? NaN, 0), ratio(hc.throughput, base?.throughput ?? NaN));
  row("tickets issued / called / finished", `${hc.counters.hc_issued_ok} / ${hc.counters.hc_called_ok} / ${hc.counters.hc_finished_ok}`, base ? `${base.counters.hc_issued_ok} / ${base.counters.hc_called_ok} / ${base.counters.hc_finished_ok}` : "–");
  row("board events received", String(hc.counters.hc_board_events), String(base?.counters.hc_board_events ?? "–"));
  row("errors / sequence gaps (of which late)", `${hc.counters.hc_errors} / ${hc.counters.hc_seq_gaps} (${hc.counters.hc_seq_late})`, base ? `${base.counters.hc_errors} / ${base.counters.hc_seq_gaps} (${base.counters.hc_seq_late})` : "–");
  row("memory per connection rss / heap (KB)", `${f(hc.memory.rssPerConnKB)} / ${f(hc.memory.heapPerConnKB)}`, base ? `${f(base.memory.rssPerConnKB)} / ${f(base.memory.heapPerConnKB)}` : "–", ratio(hc.memory.rssPerConnKB, base?.memory.rssPerConnKB ?? NaN));
  row("rss idle → peak (MB)", `${f(hc.memory.idleRss / 2 ** 20, 0)} → ${f(hc.memory.peakRss / 2 ** 20, 0)}`, base ? `${f(base.memory.idleRss / 2 ** 20, 0)} → ${f(base.memory.peakRss / 2 ** 20, 0)}` : "–");
  const cores = (c: CpuUse) => `${f(c.k6, 2)} / ${f(c.servers, 2)} / ${c.redis === null ? "–" : f(c.redis, 2)}`;
  row("CPU cores busy: k6 / server / Redis", cores(hc.cpu), base ? cores(base.cpu) : "–");
  if (hc.log) row("event log: events / tickets / waiting", `${hc.log.events} / ${hc.log.issued} / ${hc.log.waitingAtEnd}`, "");

  const c2sBase = ms(base?.trend.callToScreen ?? null, "p(99)");
  const checks: Check[] = [
    { name: "errors", value: String(hc.counters.hc_errors), target: "0", pass: hc.counters.hc_errors === 0 && hc.k6Exit === 0, kind: "correctness" },
    { name: "sequence gaps at the boards", value: String(hc.counters.hc_seq_gaps), target: "0", pass: hc.counters.hc_seq_gaps === 0, kind: "correctness" },
    { name: "tickets dispatched twice (event log)", value: String(hc.log?.calledTwice ?? "?"), target: "0", pass: hc.log?.calledTwice === 0, kind: "correctness" },
    { name: "tickets lost (event log)", value: String(hc.log?.lost ?? "?"), target: "0", pass: hc.log?.lost === 0 && hc.log.logHoles === 0, kind: "correctness" },
    { name: "issued acks = issued in log", value: `${hc.counters.hc_issued_ok} = ${hc.log?.issued}`, target: "equal", pass: hc.counters.hc_issued_ok === hc.log?.issued, kind: "correctness" },
    { name: "issue ack p99", value: `${f(ms(hc.trend.issue, "p(99)"))} ms`, target: "≤ 50 ms", pass: ms(hc.trend.issue, "p(99)") <= 50, kind: "performance" },
    { name: "call ack p99", value: `${f(ms(hc.trend.call, "p(99)"))} ms`, target: "≤ 50 ms", pass: ms(hc.trend.call, "p(99)") <= 50, kind: "performance" },
    { name: "call-to-screen p99", value: `${f(ms(hc.trend.callToScreen, "p(99)"))} ms`, target: "≤ 250 ms", pass: ms(hc.trend.callToScreen, "p(99)") <= 250, kind: "performance" },
  ];
  if (base) {
    checks.push(
      { name: "throughput vs baseline", value: `${(hc.throughput / base.throughput).toFixed(2)}×`, target: "≥ 0.5×", pass: hc.throughput >= 0.5 * base.throughput, kind: "performance" },
      { name: "call-to-screen p99 vs baseline broadcast p99", value: `${(ms(hc.trend.callToScreen, "p(99)") / c2sBase).toFixed(2)}× (${f(c2sBase)} ms)`, target: "≤ 1.5×", pass: ms(hc.trend.callToScreen, "p(99)") <= 1.5 * c2sBase, kind: "performance" },
      { name: "baseline run clean", value: `${base.counters.hc_errors} errors, ${base.counters.hc_seq_gaps} gaps`, target: "0", pass: base.counters.hc_errors === 0 && base.counters.hc_seq_gaps === 0, kind: "info" },
    );
  }
  console.log("\n check                                          value                        target     result");
  for (const c of checks) console.log(` ${c.name.padEnd(47)}${c.value.padEnd(29)}${c.target.padEnd(11)}${c.pass ? "PASS" : "FAIL"}${c.kind === "info" || (c.kind === "performance" && opts.smoke) ? " (informative)" : ""}`);
  const failed = checks.filter((c) => !c.pass && (c.kind === "correctness" || (c.kind === "performance" && !opts.smoke)));
  return { checks, exitCode: failed.length ? 1 : 0 };
}

if (process.argv.includes("--serve")) {
  serve().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err instanceof Error ? err.stack ?? err.message : err);
    process.exit(1);
  });
}
