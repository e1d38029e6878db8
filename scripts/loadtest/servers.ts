/**
 * The servers under test: HallCall nodes (forked children running node.ts), the bare Socket.IO
 * baseline, a private redis-server; staff sign-in over REST; and what they spend, read from
 * outside: CPU seconds from /proc, memory and sockets from /metrics (or the baseline's /stats).
 *
 * Runnable on its own, to poke at the load-test halls by hand:
 *   tsx scripts/loadtest/servers.ts [--nodes N] [--halls N] [--store memory|redis] [--baseline]
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { freePort, startRedisServer, type RedisServerHandle } from "../../test/helpers/redis.js";
import type { NodeRequest } from "./node.js";
import { makeHalls, PASSWORD, type HallDevices } from "./plan.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface HallCallNode {
  url: string;
  child: ChildProcess;
  /** Ask the node over IPC (a memory store's log lives only there). */
  request<T>(req: NodeRequest): Promise<T>;
}

export interface NodeEnv {
  HALL_CONFIG: string;
  LT_STORE: "memory" | "redis";
  REDIS_URL?: string;
  REDIS_PREFIX: string;
}

export async function startNode(env: NodeEnv): Promise<HallCallNode> {
  const port = await freePort();
  const child = fork(path.join(ROOT, "scripts/loadtest/node.ts"), [], {
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
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url);
  return {
    url,
    child,
    request: <T>(req: NodeRequest) =>
      new Promise<T>((resolve, reject) => {
        const id = ++next;
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ ...req, id });
      }),
  };
}

export async function startBaseline(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/loadtest/baseline-server.ts"), "--port", String(port)], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url);
  return { url, child };
}

export { startRedisServer, type RedisServerHandle };

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGKILL");
    await exited;
  }
}

async function waitHealthy(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} never became healthy`);
}

/** Sign every counter's staff member in over REST, spread over the nodes, four at a time; returns the tokens by hall and window. */
export async function signIn(devices: HallDevices[], urls: string[]): Promise<(hallId: string, windowId: string) => string> {
  const tokens = new Map<string, string>();
  const jobs = devices.flatMap((h) => h.counters.map((c) => ({ h, c })));
  let i = 0;
  const worker = async () => {
    while (i < jobs.length) {
      const { h, c } = jobs[i]!;
      const url = urls[i++ % urls.length]!;
      const res = await fetch(`${url}/api/halls/${h.id}/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ staffId: c.staffId, password: PASSWORD }) });
      if (!res.ok) throw new Error(`login ${h.id}/${c.staffId}: ${res.status} ${await res.text()}`);
      tokens.set(`${h.id}/${c.windowId}`, ((await res.json()) as { token: string }).token);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return (hallId, windowId) => tokens.get(`${hallId}/${windowId}`) ?? "baseline";
}

/** CPU seconds (user + system, all threads) a process has used so far, from /proc (Linux); null elsewhere or once it exited. */
export function cpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // After the ")" that ends the command name, utime and stime are the 12th and 13th fields, in clock ticks (100/s).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The live descendants of a process (Artillery starts esbuild services), from /proc; [] elsewhere. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const ppid = Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
        children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      } catch {
        // gone while we looked
      }
    }
  } catch {
    return [];
  }
  const out: number[] = [];
  const walk = (p: number) => (children.get(p) ?? []).forEach((c) => (out.push(c), walk(c)));
  walk(pid);
  return out;
}

export interface MemSample {
  at: number;
  sockets: number;
  rss: number;
  heapUsed: number;
}

/** RSS, V8 heap and sockets of servers of one kind, summed, from /metrics (prom-client) or the baseline's /stats. */
export async function memoryOf(urls: string[], kind: "hallcall" | "baseline"): Promise<MemSample> {
  const one = async (url: string): Promise<MemSample> => {
    if (kind === "baseline") return { at: Date.now(), ...((await (await fetch(`${url}/stats`)).json()) as Omit<MemSample, "at">) };
    const text = await (await fetch(`${url}/metrics`)).text();
    const gauge = (name: string) => Number(new RegExp(`^${name} ([0-9.e+]+)`, "m").exec(text)?.[1] ?? NaN);
    const sockets = [...text.matchAll(/^hallcall_connected_sockets\{[^}]*\} ([0-9.e+-]+)/gm)].reduce((a, m) => a + Number(m[1]), 0);
    return { at: Date.now(), sockets, rss: gauge("process_resident_memory_bytes"), heapUsed: gauge("nodejs_heap_size_used_bytes") };
  };
  const all = await Promise.all(urls.map(one));
  return all.reduce((a, s) => ({ at: s.at, sockets: a.sockets + s.sockets, rss: a.rss + s.rss, heapUsed: a.heapUsed + s.heapUsed }), { at: 0, sockets: 0, rss: 0, heapUsed: 0 });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { nodes: { type: "string", default: "1" }, halls: { type: "string", default: "2" }, store: { type: "string", default: "memory" }, baseline: { type: "boolean", default: false } } });
  const children: ChildProcess[] = [];
  let redis: RedisServerHandle | null = null;
  if (values.baseline) {
    const b = await startBaseline();
    children.push(b.child);
    console.log(`baseline ${b.url}`);
  } else {
    const tmp = mkdtempSync(path.join(tmpdir(), "hallcall-lt-servers-"));
    const { config, devices } = makeHalls(Number(values.halls));
    const configFile = path.join(tmp, "halls.json");
    writeFileSync(configFile, JSON.stringify(config, null, 1));
    const store = values.store === "redis" ? "redis" : "memory";
    if (store === "redis") redis = await startRedisServer();
    for (let i = 0; i < Number(values.nodes); i++) {
      const n = await startNode({ HALL_CONFIG: configFile, LT_STORE: store, REDIS_URL: redis?.url, REDIS_PREFIX: "lt" });
      children.push(n.child);
      console.log(`HallCall ${n.url}`);
    }
    console.log(`halls ${devices.map((d) => d.id).join(", ")} (config ${configFile}; staff c1…c16, password "${PASSWORD}")${redis ? ` · Redis ${redis.url}` : ""} · Ctrl-C stops`);
  }
  process.on("SIGINT", () => void Promise.all(children.map(stopChild)).then(() => redis?.stop()).then(() => process.exit(0)));
}

if (import.meta.url === `file://${process.argv[1]}`) main().catch((err) => {
  console.error(err);
  process.exit(1);
});
