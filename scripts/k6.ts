/**
 * Finds a k6 binary for the load tests, building it from source into a cache dir when none is found:
 * K6_BIN, then `k6` on PATH, then $XDG_CACHE_HOME/hallcall-k6/k6 (~/.cache/hallcall-k6/k6), else
 * `go install go.k6.io/k6/v2@v2.3.0` into that dir, falling back to go.k6.io/k6@v1.8.1 (which also
 * has k6/websockets) when the Go module proxy does not serve v2.3.0.
 *
 *   tsx scripts/k6.ts          # prints the path, building first if needed
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

export const K6_MODULES = ["go.k6.io/k6/v2@v2.3.0", "go.k6.io/k6@v1.8.1"];

export function k6CacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), ".cache"), "hallcall-k6");
}

function works(bin: string): string | null {
  const res = spawnSync(bin, ["version"], { encoding: "utf8" });
  return res.status === 0 ? res.stdout.trim() : null;
}

function onPath(): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const bin = path.join(dir, "k6");
    if (dir && existsSync(bin)) return bin;
  }
  return null;
}

/** Path of a working k6; builds one (a few minutes) when none exists. Logs what it does to stderr. */
export function findK6(log: (msg: string) => void = (m) => console.error(m)): string {
  const candidates = [process.env.K6_BIN, onPath(), path.join(k6CacheDir(), "k6")].filter((p): p is string => !!p);
  for (const bin of candidates) {
    if (existsSync(bin) && works(bin)) return bin;
  }
  if (process.env.K6_BIN) throw new Error(`K6_BIN=${process.env.K6_BIN} is not a working k6 binary`);
  const dir = k6CacheDir();
  mkdirSync(dir, { recursive: true });
  const errors: string[] = [];
  for (const mod of K6_MODULES) {
    log(`k6 not found: building ${mod} with go install into ${dir} (takes a few minutes, once)…`);
    try {
      execFileSync("go", ["install", mod], { env: { ...process.env, GOBIN: dir, CGO_ENABLED: "0" }, stdio: ["ignore", "inherit", "pipe"] });
      const bin = path.join(dir, "k6");
      const version = works(bin);
      if (version) {
        const why = errors[0]?.split("\n").filter((l) => l.trim()).pop() ?? "?";
        if (mod !== K6_MODULES[0]) log(`NOTE: ${K6_MODULES[0]} could not be built (${why.trim()}); using ${mod} instead (${version}).`);
        return bin;
      }
      errors.push(`${mod}: built but does not run`);
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
      errors.push(`${mod}: ${stderr || (err as Error).message}`);
      log(`go install ${mod} failed: ${stderr?.split("\n").slice(-2).join(" ") || (err as Error).message}`);
    }
  }
  throw new Error(`Could not find or build k6. Install Go (https://go.dev/dl) or set K6_BIN.\n${errors.join("\n")}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const bin = findK6();
  console.log(`${bin}\n${works(bin)}`);
}
