/**
 * Loads the Lua scripts of scripts/ (one file per primitive, `NAME-<key count>.lua`) and runs
 * them by EVALSHA, falling back to EVAL when a node does not have the script cached yet (fresh
 * node, failover, cluster shard). The scripts hold no business rule: the domain decides, they
 * check, append and record.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const DIR = fileURLToPath(new URL("./scripts/", import.meta.url));

export type ScriptName = "commit" | "rebase" | "acquireLock" | "releaseLock";

export interface LuaScript {
  name: ScriptName;
  /** Keys every call passes at least (the file name's number). */
  fixedKeys: number;
  source: string;
  sha: string;
}

function load(): Map<string, LuaScript> {
  const out = new Map<string, LuaScript>();
  for (const file of readdirSync(DIR)) {
    const m = /^(\w+)-(\d+)\.lua$/.exec(file);
    if (!m) continue;
    const source = readFileSync(join(DIR, file), "utf8");
    out.set(m[1]!, { name: m[1] as ScriptName, fixedKeys: Number(m[2]), source, sha: createHash("sha1").update(source).digest("hex") });
  }
  return out;
}

const SCRIPTS = load();

export function script(name: ScriptName): LuaScript {
  const s = SCRIPTS.get(name);
  if (!s) throw new Error(`missing Lua script ${name}-N.lua in ${DIR}`);
  return s;
}

/** Sends one command, to the node of `firstKey` in a Cluster. */
export type Send = (firstKey: string | undefined, args: string[]) => Promise<unknown>;

/** Runs a script by its SHA, sending its source when this Redis (or shard) has not cached it yet. */
export async function runScript(send: Send, s: LuaScript, keys: string[], argv: string[]): Promise<unknown> {
  const tail = [String(keys.length), ...keys, ...argv];
  try {
    return await send(keys[0], ["EVALSHA", s.sha, ...tail]);
  } catch (err) {
    if (!String((err as Error)?.message).startsWith("NOSCRIPT")) throw err;
    return await send(keys[0], ["EVAL", s.source, ...tail]);
  }
}
