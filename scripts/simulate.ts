/**
 * npm run simulate -- --scenario FILE [--seed N] [--runs K] [--policy static,dynamic,pooled] [--json OUT] [--chart OUT.svg] [--ignore-bookings]
 *
 * Plays a scenario's day through the real HallCall domain, balancer and ETA on a virtual clock
 * (see docs/SIMULATOR.md and the "Simulator contract" in shared/DESIGN.md), prints a summary
 * table, each service's dynamic ÷ static with the ones worse off flagged, whether the hall's
 * qualifications form a chain, and the targets (server/sim/targets.ts; walk-ins, and on-time
 * bookings apart when the scenario has them), and optionally writes the JSON report (the
 * contract's fields and `assessment`: the same comparison and targets) and an SVG chart. `--ignore-bookings` keeps the bookings
 * still to come from the forecast and the balancer, to measure what knowing them is worth.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { renderChart } from "../server/sim/chart.js";
import { simulate } from "../server/sim/run.js";
import { buildReport, formatReport } from "../server/sim/report.js";
import { assessHall } from "../server/sim/targets.js";
import { loadScenario, POLICIES, type Policy } from "../server/sim/scenario.js";

const USAGE = "usage: npm run simulate -- --scenario FILE [--seed N] [--runs K] [--policy static,dynamic,pooled] [--json OUT] [--chart OUT.svg] [--ignore-bookings]";

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function integer(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        scenario: { type: "string" },
        seed: { type: "string" },
        runs: { type: "string" },
        policy: { type: "string" },
        json: { type: "string" },
        chart: { type: "string" },
        "ignore-bookings": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.scenario) fail("--scenario is required");
  const seed = integer("seed", values.seed, 1, 0);
  const runs = integer("runs", values.runs, 1, 1);
  const policies = (values.policy ?? POLICIES.join(",")).split(",").map((p) => p.trim()).filter(Boolean);
  for (const p of policies) if (!(POLICIES as readonly string[]).includes(p)) fail(`unknown policy "${p}" (known: ${POLICIES.join(", ")})`);

  let scenario;
  try {
    scenario = loadScenario(values.scenario);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const t0 = performance.now();
  const results = simulate(scenario, policies as Policy[], seed, runs, { forecastBookings: !values["ignore-bookings"] });
  const report = buildReport(scenario, seed, runs, results);
  const seconds = (performance.now() - t0) / 1000;
  console.log(formatReport(scenario, report, seconds));
  if (values.json) {
    writeFileSync(values.json, JSON.stringify({ ...report, assessment: assessHall(scenario, report) }, null, 2) + "\n");
    console.log(`\nJSON written to ${values.json}`);
  }
  if (values.chart) {
    writeFileSync(values.chart, renderChart(scenario, results));
    console.log(`Chart written to ${values.chart}`);
  }
}

main();
