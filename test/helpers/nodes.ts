/**
 * HallCall nodes as real processes (`server/main.ts` under tsx), so that a test can kill one the
 * way a host failure would (SIGKILL), and clients that fail over from one node to the next the
 * way a load balancer moves them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { hallNamespace, type Ack } from "../../protocol/index.js";
import type { Emit } from "../../protocol/command-retry.js";
import type { HallConfig } from "../../server/domain/config.js";
import { freePort } from "./redis.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface NodeProcess {
  url: string;
  process: ChildProcess;
  /** As a host failure: no shutdown, sockets drop at once. */
  kill(): void;
  stop(): Promise<void>;
}

export interface NodeSettings {
  halls: HallConfig[];
  env: Record<string, string>;
  /** The nodes' ports, in order (default: free ones): a node started again where a killed one was, for clients that reconnect to the same address. */
  ports?: number[];
}

/** Starts `count` nodes with the same settings and waits until each answers /healthz. */
export async function startNodeProcesses(settings: NodeSettings, count: number): Promise<{ nodes: NodeProcess[]; stop(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "hallcall-nodes-"));
  const config = path.join(dir, "halls.json");
  await writeFile(config, JSON.stringify({ halls: settings.halls }));
  const nodes = await Promise.all(Array.from({ length: count }, (_, i) => startOne(config, settings.env, settings.ports?.[i])));
  return {
    nodes,
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function startOne(config: string, env: Record<string, string>, pinned?: number): Promise<NodeProcess> {
  const port = pinned ?? (await freePort());
  // Node itself with tsx's loader, not the tsx launcher: SIGKILL must reach the server, not a wrapper.
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", HALL_CONFIG: config, LOG_LEVEL: "error" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += String(d)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`node on ${port} exited: ${stderr}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > until) throw new Error(`node on ${port} did not become healthy: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    kill: () => child.kill("SIGKILL"),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
    },
  };
}

/**
 * A client of one hall that stays connected to some node: when its node goes away it moves to the
 * next one in `urls` (as a load balancer would send its reconnect elsewhere). `emit` fits the
 * clients' retry rule (protocol/command-retry.ts): it rejects when there is no connection or no answer.
 */
export class FailoverClient {
  socket: Socket | null = null;
  private at = 0;
  private closed = false;
  /** When the client last lost its node, and when it was connected again (ms, performance.now()). */
  outages: { lostAt: number; backAt: number | null }[] = [];

  constructor(
    private readonly urls: () => string[],
    private readonly auth: Record<string, unknown>,
  ) {}

  async connect(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const urls = this.urls();
      const url = urls[this.at % urls.length]!;
      try {
        this.socket = await open(url, this.auth);
        const last = this.outages.at(-1);
        if (last && last.backAt === null) last.backAt = performance.now();
        this.socket.once("disconnect", () => {
          if (this.closed) return;
          this.outages.push({ lostAt: performance.now(), backAt: null });
          this.at += 1;
          void this.connect();
        });
        return;
      } catch {
        this.at += 1;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  emit: Emit = (name, payload, timeoutMs) => {
    const s = this.socket;
    if (!s?.connected) return Promise.reject(new Error("not connected"));
    return s.timeout(timeoutMs).emitWithAck(name, payload) as Promise<Ack<unknown>>;
  };

  close(): void {
    this.closed = true;
    this.socket?.disconnect();
  }
}

function open(url: string, auth: Record<string, unknown>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(url + hallNamespace(String(auth.hallId)), { auth, transports: ["websocket"], reconnection: false, forceNew: true, timeout: 2_000 });
    s.once("connect", () => resolve(s));
    s.once("connect_error", (err) => {
      s.close();
      reject(err);
    });
  });
}
