/**
 * The load test's figures and verdict: turns each run (Artillery's reports, CPU windows, memory
 * samples, the event-log check) into a result, prints them side by side with the ratios to the
 * baseline, checks the targets, and decides the exit status.
 *
 * Runnable on its own, to print a saved run again:
 *   tsx scripts/loadtest/report.ts loadtest/results/<file>.json
 */
import { readFileSync } from "node:fs";
import { mergeReports, type CpuWindow, type ScenarioRun, type Summary } from "./artillery.js";
import type { LogCheck } from "./event-log.js";
import { satWarmS, type Phases } from "./plan.js";

export interface RunResult {
  label: string;
  nodes: number;
  store: string;
  /** Most sockets the servers held at once. */
  sockets: number;
  latency: Record<"issue" | "call" | "finish" | "callToScreen" | "handshake", Summary | null>;
  counters: Record<string, number>;
  /** Errors: the devices' own count (timeouts, refusals, dropped sockets) plus VUs Artillery saw fail. */
  errors: number;
  errorKinds: Record<string, number>;
  busy: { seconds: number; commands: number; frames: number; cpu: CpuWindow };
  sat: { seconds: number; commands: number; cpu: CpuWindow };
  memory: { idleRss: number; peakRss: number; idleHeap: number; peakHeap: number; rssPerConnKB: number; heapPerConnKB: number };
  log?: LogCheck;
  generatorExits: (number | null)[];
  seconds: number;
}

export function toResult(label: string, nodes: number, store: string, run: ScenarioRun, phases: Phases, seconds: number, log?: LogCheck): RunResult {
  const r = mergeReports(run.reports);
  const c = r.counters;
  const peak = run.samples.reduce((a, s) => (s.sockets > a.sockets ? s : a), run.idle);
  const errorKinds = Object.fromEntries(Object.entries(c).filter(([k]) => k.startsWith("errors.") || k.startsWith("hallcall.error.")));
  return {
    label,
    nodes,
    store,
    sockets: peak.sockets,
    latency: {
      issue: r.summaries["hallcall.ack.issue"] ?? null,
      call: r.summaries["hallcall.ack.call"] ?? null,
      finish: r.summaries["hallcall.ack.finish"] ?? null,
      callToScreen: r.summaries["hallcall.call_to_screen"] ?? null,
      handshake: r.summaries["hallcall.handshake"] ?? null,
    },
    counters: Object.fromEntries(Object.entries(c).filter(([k]) => (k.startsWith("hallcall.") && !k.startsWith("hallcall.error.")) || k.startsWith("vusers."))),
    errors: (c["hallcall.errors"] ?? 0) + (c["vusers.failed"] ?? 0),
    errorKinds,
    busy: { seconds: phases.busyS, commands: c["hallcall.busy.commands"] ?? 0, frames: c["hallcall.busy.frames"] ?? 0, cpu: run.cpu.busy },
    sat: { seconds: phases.satS - satWarmS(phases), commands: c["hallcall.sat.commands"] ?? 0, cpu: run.cpu.sat },
    memory: {
      idleRss: run.idle.rss,
      peakRss: peak.rss,
      idleHeap: run.idle.heapUsed,
      peakHeap: peak.heapUsed,
      rssPerConnKB: peak.sockets ? (peak.rss - run.idle.rss) / peak.sockets / 1024 : NaN,
      heapPerConnKB: peak.sockets ? (peak.heapUsed - run.idle.heapUsed) / peak.sockets / 1024 : NaN,
    },
    log,
    generatorExits: run.exits,
    seconds,
  };
}

/** Server CPU seconds per 1,000 commands acked in the busy phase; with Redis when `withRedis`. */
export const cpuPerKCommands = (r: RunResult, withRedis = false): number => ((r.busy.cpu.servers + (withRedis ? (r.busy.cpu.redis ?? 0) : 0)) / r.busy.commands) * 1000;
/** Server CPU seconds per 1,000 frames the devices received in the busy phase. */
export const cpuPerKFrames = (r: RunResult): number => (r.busy.cpu.servers / r.busy.frames) * 1000;
export const throughput = (r: RunResult): number => r.sat.commands / r.sat.seconds;

export interface Check {
  name: string;
  value: string;
  target: string;
  pass: boolean;
  /** Correctness checks always decide the exit status; performance ones only in a full run. */
  kind: "correctness" | "performance";
}

const f = (n: number | undefined | null, d = 1) => (n !== undefined && n !== null && Number.isFinite(n) ? n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d }) : "–");
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN);
const x = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : "–");

/** Print the runs side by side, then the checks; returns them with the exit code. */
export function evaluate(results: RunResult[], smoke: boolean): { checks: Check[]; exitCode: number } {
  const base = results.find((r) => r.label === "baseline");
  const hcs = results.filter((r) => r.label !== "baseline");
  const one = hcs.find((r) => r.nodes === 1);
  const cols = [...(base ? [base] : []), ...hcs];
  const trio = (s: Summary | null) => (s ? `${f(s.p50)} / ${f(s.p95)} / ${f(s.p99)}` : "–");
  const row = (name: string, cell: (r: RunResult) => string, extra = "") => console.log(` ${name.padEnd(44)}${cols.map((r) => cell(r).padEnd(26)).join("")}${extra}`);
  console.log(`\n ${"figure".padEnd(44)}${cols.map((r) => `${r.label}${r.label === "baseline" ? "" : ` (${r.nodes} node${r.nodes > 1 ? "s" : ""}, ${r.store})`}`.padEnd(26)).join("")}`);
  row("sockets (peak, at the servers)", (r) => String(r.sockets));
  row("issue ack p50 / p95 / p99 (ms)", (r) => trio(r.latency.issue));
  row("call ack p50 / p95 / p99 (ms)", (r) => trio(r.latency.call));
  row("finish ack p50 / p95 / p99 (ms)", (r) => trio(r.latency.finish));
  row("call-to-screen p50 / p95 / p99 (ms)", (r) => trio(r.latency.callToScreen));
  row("handshake p50 / p95 / p99 (ms)", (r) => trio(r.latency.handshake));
  row("busy phase: commands/s acked", (r) => f(r.busy.commands / r.busy.seconds, 0));
  row("busy phase: frames/s received", (r) => f(r.busy.frames / r.busy.seconds, 0));
  row("busy: server CPU s per 1,000 commands", (r) => `${f(cpuPerKCommands(r), 3)}${r.busy.cpu.redis !== null ? ` (+Redis ${f(cpuPerKCommands(r, true), 3)})` : ""}`);
  row("busy: server CPU s per 1,000 frames", (r) => f(cpuPerKFrames(r), 4));
  row("busy: cores, server / Redis / generator", (r) => `${f(r.busy.cpu.servers / r.busy.cpu.seconds, 2)} / ${r.busy.cpu.redis === null ? "–" : f(r.busy.cpu.redis / r.busy.cpu.seconds, 2)} / ${f(r.busy.cpu.generators / r.busy.cpu.seconds, 2)}`);
  row("saturated: commands/s acked", (r) => f(throughput(r), 0));
  row("saturated: cores, server / Redis / generator", (r) => `${f(r.sat.cpu.servers / r.sat.cpu.seconds, 2)} / ${r.sat.cpu.redis === null ? "–" : f(r.sat.cpu.redis / r.sat.cpu.seconds, 2)} / ${f(r.sat.cpu.generators / r.sat.cpu.seconds, 2)}`);
  row("tickets issued / called / finished", (r) => `${r.counters["hallcall.issued"] ?? 0} / ${r.counters["hallcall.called"] ?? 0} / ${r.counters["hallcall.finished"] ?? 0}`);
  row("errors / sequence gaps (of which late)", (r) => `${r.errors} / ${r.counters["hallcall.seq_gaps"] ?? 0} (${r.counters["hallcall.seq_late"] ?? 0})`);
  row("memory per connection, RSS / heap (KB)", (r) => `${f(r.memory.rssPerConnKB)} / ${f(r.memory.heapPerConnKB)}`);
  row("RSS idle → peak (MB)", (r) => `${f(r.memory.idleRss / 2 ** 20, 0)} → ${f(r.memory.peakRss / 2 ** 20, 0)}`);
  row("event log: events / tickets / waiting at end", (r) => (r.log ? `${r.log.events} / ${r.log.issued} / ${r.log.waitingAtEnd}` : "–"));
  for (const r of cols) if (Object.keys(r.errorKinds).length) console.log(` ${r.label} errors by kind: ${JSON.stringify(r.errorKinds)}`);
  if (hcs.some((r) => r.nodes > 1)) console.log(" (with several generator processes, each percentile is the highest of theirs)");

  const checks: Check[] = [];
  for (const r of hcs) {
    const tag = `${r.nodes} node${r.nodes > 1 ? "s" : ""}: `;
    checks.push(
      { name: `${tag}commands acked in the busy phase`, value: String(r.busy.commands), target: "> 0", pass: r.busy.commands > 0, kind: "correctness" },
      { name: `${tag}errors`, value: `${r.errors}${r.generatorExits.every((e) => e === 0) ? "" : `, generator exit ${r.generatorExits.join("/")}`}`, target: "0", pass: r.errors === 0 && r.generatorExits.every((e) => e === 0), kind: "correctness" },
      { name: `${tag}sequence gaps at the boards`, value: String(r.counters["hallcall.seq_gaps"] ?? 0), target: "0", pass: (r.counters["hallcall.seq_gaps"] ?? 0) === 0, kind: "correctness" },
      { name: `${tag}tickets dispatched twice (event log)`, value: String(r.log?.twice ?? "?"), target: "0", pass: r.log?.twice === 0, kind: "correctness" },
      { name: `${tag}tickets lost (event log)`, value: String(r.log?.lost ?? "?"), target: "0", pass: r.log?.lost === 0 && r.log.holes === 0, kind: "correctness" },
      { name: `${tag}issue acks = issued in the log`, value: `${r.counters["hallcall.issued"] ?? 0} = ${r.log?.issued ?? "?"}`, target: "equal", pass: (r.counters["hallcall.issued"] ?? 0) === r.log?.issued, kind: "correctness" },
    );
  }
  if (base && one) {
    const c2s = ratio(one.latency.callToScreen?.p99, base.latency.callToScreen?.p99);
    const cpu = ratio(cpuPerKCommands(one), cpuPerKCommands(base));
    const tp = ratio(throughput(one), throughput(base));
    console.log(`\n ratios to the baseline (1 node): server CPU per 1,000 commands ${x(cpu)} (with Redis ${x(ratio(cpuPerKCommands(one, true), cpuPerKCommands(base)))}), per 1,000 frames ${x(ratio(cpuPerKFrames(one), cpuPerKFrames(base)))}`);
    console.log(`   issue ack p50 ${x(ratio(one.latency.issue?.p50, base.latency.issue?.p50))} p99 ${x(ratio(one.latency.issue?.p99, base.latency.issue?.p99))} · call ack p50 ${x(ratio(one.latency.call?.p50, base.latency.call?.p50))} p99 ${x(ratio(one.latency.call?.p99, base.latency.call?.p99))} · call-to-screen p50 ${x(ratio(one.latency.callToScreen?.p50, base.latency.callToScreen?.p50))} p99 ${x(c2s)} · saturated throughput ${x(tp)}`);
    checks.push(
      { name: "server CPU per 1,000 commands vs baseline", value: x(cpu), target: "≤ 1.5×", pass: cpu <= 1.5, kind: "performance" },
      { name: "call-to-screen p99 vs baseline broadcast p99", value: `${x(c2s)} (${f(base.latency.callToScreen?.p99)} ms)`, target: "≤ 1.5×", pass: c2s <= 1.5, kind: "performance" },
      { name: "saturated throughput vs baseline", value: x(tp), target: "≥ 0.7×", pass: tp >= 0.7, kind: "performance" },
    );
  }
  for (const r of hcs.filter((h) => h.nodes > 1 && one)) {
    const v = ratio(cpuPerKCommands(r), cpuPerKCommands(one!));
    checks.push({ name: `${r.nodes} nodes: CPU per 1,000 commands vs 1 node`, value: x(v), target: "≤ 1.3×", pass: v <= 1.3, kind: "performance" });
  }
  console.log(`\n ${"check".padEnd(50)}${"value".padEnd(26)}${"target".padEnd(10)}result`);
  for (const c of checks) console.log(` ${c.name.padEnd(50)}${c.value.padEnd(26)}${c.target.padEnd(10)}${c.pass ? "PASS" : "FAIL"}${c.kind === "performance" && smoke ? " (informative in --smoke)" : ""}`);
  const failed = checks.filter((c) => !c.pass && (c.kind === "correctness" || !smoke));
  return { checks, exitCode: failed.length ? 1 : 0 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: report.ts loadtest/results/<file>.json");
  const saved = JSON.parse(readFileSync(file, "utf8")) as { command: string; results: RunResult[]; options: { smoke: boolean } };
  console.log(saved.command);
  process.exit(evaluate(saved.results, saved.options.smoke).exitCode);
}
