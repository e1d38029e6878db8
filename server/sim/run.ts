/**
 * Several runs of several policies: run k of seed s plays the day drawn from mixSeed(s, k), the
 * same citizens under every policy. Same seed, same result.
 */
import { simulateDay, type RunResult, type SimOptions } from "./engine.js";
import { mixSeed } from "./rng.js";
import type { Policy, Scenario } from "./scenario.js";

export function runSeed(seed: number, run: number): number {
  return mixSeed(seed, run);
}

export function simulate(sc: Scenario, policies: readonly Policy[], seed: number, runs: number, options: Partial<SimOptions> = {}): Partial<Record<Policy, RunResult[]>> {
  const out: Partial<Record<Policy, RunResult[]>> = {};
  for (const p of policies) {
    out[p] = [];
    for (let k = 0; k < runs; k++) out[p]!.push(simulateDay(sc, p, runSeed(seed, k), options));
  }
  return out;
}
