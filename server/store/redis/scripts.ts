/**
 * Loads the Lua scripts of scripts/ (one file per transition, `NAME-<fixed key count>.lua`),
 * inlines `--- @include "name"` lines from scripts/includes/, and runs them by EVALSHA, falling
 * back to EVAL when a node does not have the script cached yet (fresh node, failover, cluster shard).
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const DIR = fileURLToPath(new URL("./scripts/", import.meta.url));

export interface LuaScript {
  name: string;
  /** Keys every call passes at least (the file name's number). */
  fixedKeys: number;
  source: string;
  sha: string;
}

function resolveIncludes(source: string, seen: Set<string> = new Set()): string {
  return source.replace(/^--- @include "([\w-]+)"\s*$/gm, (_, name: string) => {
    if (seen.has(name)) return "";
    seen.add(name);
    return resolveIncludes(readFileSync(join(DIR, "includes", `${name}.lua`), "utf8"), seen);
  });
}

function load(): Record<string, LuaScript> {
  const out: Record<string, LuaScript> = {};
  for (const file of readdirSync(DIR)) {
    const m = /^(\w+)-(\d+)\.lua$/.exec(file);
    if (!m) continue;
    const source = resolveIncludes(readFileSync(join(DIR, file), "utf8"));
    out[m[1]!] = { name: m[1]!, fixedKeys: Number(m[2]), source, sha: createHash("sha1").update(source).digest("hex") };
  }
  return out;
}

export const SCRIPTS = load();

export type ScriptName = "issue" | "callNext" | "windowTicket" | "ticket" | "window" | "balancer" | "rollDay" | "loadHall" | "snapshot";

export function script(name: ScriptName): LuaScript {
  const s = SCRIPTS[name];
  if (!s) throw new Error(`missing Lua script ${name}-N.lua in ${DIR}`);
  return s;
}
