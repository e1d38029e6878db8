/**
 * Several HallCall nodes on this machine sharing one Redis, for trying and testing scale-out:
 *
 *   npm run cluster -- --nodes 3 [--base-port 3001] [--redis redis://127.0.0.1:6379] [--cluster-nodes URL,URL,...]
 *
 * Each node is `server/main.ts` on its own port (base-port, base-port+1, …) with the same
 * SESSION_SECRET (a staff token from one node works on all) and REDIS_URL; other settings
 * (HALL_CONFIG, LOG_LEVEL, …) pass through from the environment. Without --redis a private
 * redis-server is started on a free port and removed afterwards. Ctrl-C stops everything.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import { startRedisServer, type RedisServerHandle } from "../test/helpers/redis.js";

const ROOT = path.resolve(import.meta.dirname, "..");

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nodes: { type: "string", default: "3" },
      "base-port": { type: "string", default: "3001" },
      redis: { type: "string" },
      "cluster-nodes": { type: "string" },
    },
  });
  const count = Number(values.nodes);
  const basePort = Number(values["base-port"]);
  if (!Number.isInteger(count) || count < 1) throw new Error("--nodes must be a positive integer");

  let redis: RedisServerHandle | null = null;
  const env: NodeJS.ProcessEnv = { ...process.env, SESSION_SECRET: process.env.SESSION_SECRET || randomBytes(32).toString("base64url") };
  if (values["cluster-nodes"]) env.REDIS_CLUSTER_NODES = values["cluster-nodes"];
  else if (values.redis) env.REDIS_URL = values.redis;
  else if (!process.env.REDIS_URL && !process.env.REDIS_CLUSTER_NODES) {
    redis = await startRedisServer();
    env.REDIS_URL = redis.url;
    console.log(`started a private redis-server at ${redis.url} (data in ${redis.dir}, removed on exit)`);
  }

  const children: ChildProcess[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once("exit", () => resolve());
            c.kill("SIGTERM");
            setTimeout(() => c.kill("SIGKILL"), 5000).unref();
          }),
      ),
    );
    await redis?.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  for (let i = 0; i < count; i++) {
    const port = basePort + i;
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "server/main.ts")], { cwd: ROOT, env: { ...env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
    const tag = `[node ${i + 1} :${port}] `;
    const prefix = (chunk: Buffer) => chunk.toString().replace(/^(?=.)/gm, tag);
    child.stdout!.on("data", (d: Buffer) => process.stdout.write(prefix(d)));
    child.stderr!.on("data", (d: Buffer) => process.stderr.write(prefix(d)));
    child.once("exit", (code, signal) => {
      if (stopping) return;
      console.error(`${tag}exited (${signal ?? code}); stopping the others`);
      void stop(1);
    });
    children.push(child);
  }

  const urls = children.map((_, i) => `http://localhost:${basePort + i}`);
  for (const url of urls) {
    for (let tries = 0; ; tries++) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {
        /* starting */
      }
      if (tries > 300) throw new Error(`${url} did not become healthy`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  console.log(`\n${count} HallCall node(s) sharing ${env.REDIS_CLUSTER_NODES ?? env.REDIS_URL}:`);
  for (const url of urls) console.log(`  ${url}`);
  console.log("Ctrl-C stops them all.");
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
