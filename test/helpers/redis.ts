/**
 * Real redis-server processes for tests: each on a free port, in its own temp dir, without
 * persistence unless asked (`persistent`, for tests that kill and restart it), stopped in
 * teardown. Never touches the machine's own Redis on 6379.
 *
 *   const redis = await startRedisServer();          // one standalone server
 *   const cluster = await startRedisCluster();       // 3 masters, cluster_state:ok
 *   afterAll(() => redis.stop());
 */
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

export const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? "/usr/bin/redis-server";
export const REDIS_CLI_BIN = process.env.REDIS_CLI_BIN ?? "/usr/bin/redis-cli";

export interface RedisServerHandle {
  port: number;
  host: string;
  url: string;
  dir: string;
  /** The running redis-server (a new one after `restart()`). */
  readonly process: ChildProcess;
  /** SIGKILL, as a crash would: connections drop at once; the data stays in `dir` (see `persistent`). */
  kill(): Promise<void>;
  /** Kill (if running) and start again on the same port, dir and arguments. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisClusterHandle {
  nodes: RedisServerHandle[];
  /** "redis://127.0.0.1:PORT" of every master, for createCluster({ rootNodes }). */
  urls: string[];
  stop(): Promise<void>;
}

/** A TCP port nobody listens on right now (never 6379). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once("error", reject);
      srv.listen(0, "127.0.0.1", () => {
        const addr = srv.address();
        const p = typeof addr === "object" && addr ? addr.port : 0;
        srv.close(() => resolve(p));
      });
    });
    // Cluster bus uses port + 10000: keep both in range.
    if (port !== 6379 && port + 10000 < 65535) return port;
  }
}

/** A unique key prefix for one test, so tests sharing a server never see each other's keys. */
export function uniquePrefix(label = "t"): string {
  return `${label}-${randomBytes(4).toString("hex")}:`;
}

/** Send one inline command and resolve with the raw reply text (enough for PING / CLUSTER INFO). */
export function rawCommand(port: number, command: string, host = "127.0.0.1", timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, host);
    let buf = "";
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`redis on ${port}: no reply to ${command}`));
    }, timeoutMs);
    sock.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    sock.on("connect", () => sock.write(`${command}\r\n`));
    sock.on("data", (d) => {
      buf += d.toString("utf8");
      // Simple string / error: one line; bulk string: "$len\r\n...\r\n".
      const bulk = /^\$(\d+)\r\n/.exec(buf);
      const done = bulk ? buf.length >= bulk[0].length + Number(bulk[1]) + 2 : buf.endsWith("\r\n");
      if (done) {
        clearTimeout(timer);
        sock.end();
        resolve(buf);
      }
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export interface RedisServerOptions {
  /**
   * Keep the data across `kill()` and `restart()`: an append-only file fsynced on every write, so
   * that a test can take Redis away and bring the same data back on the same port.
   */
  persistent?: boolean;
}

/** Start one redis-server on a free port; extra args go on its command line. */
export async function startRedisServer(extraArgs: string[] = [], opts: RedisServerOptions = {}): Promise<RedisServerHandle> {
  const dir = await mkdtemp(join(tmpdir(), "hallcall-redis-"));
  const port = await freePort();
  const host = "127.0.0.1";
  const persistence = opts.persistent ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
  const args = ["--port", String(port), "--bind", host, "--save", "", ...persistence, "--dir", dir, "--protected-mode", "no", "--loglevel", "warning", ...extraArgs];

  let child!: ChildProcess;
  let exited = false;
  let exitedP: Promise<void> = Promise.resolve();
  const launch = async () => {
    child = spawn(REDIS_SERVER_BIN, args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (d) => (stderr += d.toString()));
    exited = false;
    const self = child;
    exitedP = new Promise<void>((resolve) => self.once("exit", () => ((exited = true), resolve())));
    try {
      await waitFor(`redis-server on port ${port}`, async () => {
        if (exited) throw new Error(`redis-server exited: ${stderr}`);
        return (await rawCommand(port, "PING", host)).startsWith("+PONG");
      });
    } catch (err) {
      child.kill("SIGKILL");
      throw err;
    }
  };
  const kill = async () => {
    if (exited) return;
    child.kill("SIGKILL");
    await exitedP;
  };
  try {
    await launch();
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const handle: RedisServerHandle = {
    port,
    host,
    url: `redis://${host}:${port}`,
    dir,
    get process() {
      return child;
    },
    kill,
    async restart() {
      await kill();
      await launch();
    },
    async stop() {
      if (!exited) {
        child.kill("SIGTERM");
        await Promise.race([exitedP, sleep(3000)]);
        if (!exited) await kill();
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
  return handle;
}

function run(bin: string, args: string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${bin} ${args.join(" ")} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/**
 * Start `masters` cluster-enabled redis-servers (3 by default, no replicas), join them with
 * `redis-cli --cluster create` and wait until every node reports cluster_state:ok.
 */
export async function startRedisCluster(masters = 3): Promise<RedisClusterHandle> {
  const nodes: RedisServerHandle[] = [];
  const stopAll = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  };
  try {
    for (let i = 0; i < masters; i++) {
      nodes.push(await startRedisServer(["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000"]));
    }
    await run(REDIS_CLI_BIN, ["--cluster", "create", ...nodes.map((n) => `${n.host}:${n.port}`), "--cluster-replicas", "0", "--cluster-yes"]);
    for (const n of nodes) {
      await waitFor(`cluster_state:ok on ${n.port}`, async () => (await rawCommand(n.port, "CLUSTER INFO", n.host)).includes("cluster_state:ok"), 20_000);
    }
  } catch (err) {
    await stopAll();
    throw err;
  }
  return { nodes, urls: nodes.map((n) => n.url), stop: stopAll };
}

/** Run redis-cli against a node (e.g. `CLUSTER KEYSLOT`), returning its trimmed output. */
export async function redisCli(node: { host: string; port: number }, ...args: string[]): Promise<string> {
  return (await run(REDIS_CLI_BIN, ["-h", node.host, "-p", String(node.port), ...args])).trim();
}
