/**
 * Simulator results: the contract's JSON (shared/DESIGN.md "Simulator contract"), the readable
 * summary table, and the issue's targets checked with PASS/FAIL. With several runs every figure
 * is over all runs' tickets together.
 */
import type { RunResult, TicketRecord } from "./engine.js";
import type { Policy, Scenario } from "./scenario.js";

export interface WaitStats {
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  max: number;
}

export interface PolicyReport {
  tickets: number;
  served: number;
  noShows: number;
  waitSec: WaitStats;
  perService: Record<string, { tickets: number; waitSec: WaitStats }>;
  eta: { maeSec: number; naiveMaeSec: number };
}

export interface SimReport {
  scenario: string;
  seed: number;
  runs: number;
  policies: Record<string, PolicyReport>;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Nearest-rank percentile of sorted values (0 for none). */
export function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export function waitStats(waits: number[]): WaitStats {
  const s = [...waits].sort((a, b) => a - b);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : 0;
  return { mean: round1(mean), p50: round1(percentile(s, 0.5)), p90: round1(percentile(s, 0.9)), p95: round1(percentile(s, 0.95)), max: round1(s[s.length - 1] ?? 0) };
}

function mae(tickets: TicketRecord[], pick: (t: TicketRecord) => number | null): number {
  let sum = 0;
  let n = 0;
  for (const t of tickets) {
    const p = pick(t);
    if (p === null || t.waitSec < 0) continue;
    sum += Math.abs(p - t.waitSec);
    n++;
  }
  return n ? round1(sum / n) : 0;
}

export function policyReport(sc: Scenario, runs: RunResult[]): PolicyReport {
  const tickets = runs.flatMap((r) => r.tickets);
  const called = tickets.filter((t) => t.waitSec >= 0);
  const perService: PolicyReport["perService"] = {};
  for (const s of sc.services) {
    const mine = called.filter((t) => t.serviceId === s.id);
    perService[s.id] = { tickets: tickets.filter((t) => t.serviceId === s.id).length, waitSec: waitStats(mine.map((t) => t.waitSec)) };
  }
  return {
    tickets: tickets.length,
    served: runs.reduce((a, r) => a + r.served, 0),
    noShows: runs.reduce((a, r) => a + r.noShows, 0),
    waitSec: waitStats(called.map((t) => t.waitSec)),
    perService,
    eta: { maeSec: mae(called, (t) => t.etaSec), naiveMaeSec: mae(called, (t) => t.naiveSec) },
  };
}

export function buildReport(sc: Scenario, seed: number, runs: number, results: Partial<Record<Policy, RunResult[]>>): SimReport {
  const policies: Record<string, PolicyReport> = {};
  for (const [p, rs] of Object.entries(results)) if (rs) policies[p] = policyReport(sc, rs);
  return { scenario: sc.name, seed, runs, policies };
}

export interface TargetCheck {
  name: string;
  value: number;
  limit: number;
  pass: boolean;
}

/** The issue's targets: dynamic against static, and the ETA against the naive predictor. */
export function checkTargets(report: SimReport): TargetCheck[] {
  const st = report.policies.static;
  const dy = report.policies.dynamic;
  const out: TargetCheck[] = [];
  if (st && dy) {
    const ratio = (a: number, b: number) => (b > 0 ? a / b : a > 0 ? Infinity : 0);
    out.push({ name: "dynamic mean wait ÷ static", value: ratio(dy.waitSec.mean, st.waitSec.mean), limit: 0.35, pass: false });
    out.push({ name: "dynamic p90 wait ÷ static", value: ratio(dy.waitSec.p90, st.waitSec.p90), limit: 0.35, pass: false });
    out.push({ name: "dynamic longest wait ÷ static", value: ratio(dy.waitSec.max, st.waitSec.max), limit: 0.6, pass: false });
  }
  if (dy) out.push({ name: "dynamic ETA MAE ÷ naive", value: dy.eta.naiveMaeSec > 0 ? dy.eta.maeSec / dy.eta.naiveMaeSec : 0, limit: 0.75, pass: false });
  for (const c of out) c.pass = c.value <= c.limit;
  return out;
}

const min = (sec: number) => (sec / 60).toFixed(1);

function table(rows: string[][], rightFrom = 1): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? ""))));
  return rows.map((r) => r.map((c, i) => pad(c, widths[i]!, i >= rightFrom)).join("  ")).join("\n");
}

/** Terminal width of a string (CJK characters take two columns). */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

function pad(s: string, width: number, right: boolean): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(s)));
  return right ? fill + s : s + fill;
}

/** The readable summary printed on stdout. */
export function formatReport(sc: Scenario, report: SimReport, seconds?: number): string {
  const lines: string[] = [];
  const names = Object.keys(report.policies);
  lines.push(`Scenario ${report.scenario}: ${report.runs} run(s) from seed ${report.seed}${seconds !== undefined ? `, ${seconds.toFixed(1)} s` : ""}. Waits in minutes.`);
  lines.push("");
  const head = ["policy", "tickets", "served", "no-shows", "mean", "p50", "p90", "p95", "max", "ETA MAE", "naive MAE"];
  const rows = [head];
  for (const n of names) {
    const p = report.policies[n]!;
    rows.push([n, String(p.tickets), String(p.served), String(p.noShows), min(p.waitSec.mean), min(p.waitSec.p50), min(p.waitSec.p90), min(p.waitSec.p95), min(p.waitSec.max), min(p.eta.maeSec), min(p.eta.naiveMaeSec)]);
  }
  lines.push(table(rows));
  lines.push("");
  lines.push("Per service: mean / p90 / max wait (minutes)");
  const srows = [["service", "target", "tickets", ...names]];
  for (const s of sc.services) {
    const cells = names.map((n) => {
      const w = report.policies[n]!.perService[s.id]!.waitSec;
      return `${min(w.mean)} / ${min(w.p90)} / ${min(w.max)}`;
    });
    srows.push([`${s.id} ${s.name.zh}`, String(s.targetWaitMin), String(report.policies[names[0]!]!.perService[s.id]!.tickets), ...cells]);
  }
  lines.push(table(srows));
  const dy = report.policies.dynamic;
  const po = report.policies.pooled;
  if (dy && po) {
    lines.push("");
    const gap = (a: number, b: number) => `${min(a - b)} min (${b > 0 ? (a / b).toFixed(2) : "∞"}×)`;
    lines.push(`Dynamic vs pooled (the full-flexibility bound): mean +${gap(dy.waitSec.mean, po.waitSec.mean)}, p90 +${gap(dy.waitSec.p90, po.waitSec.p90)}, max +${gap(dy.waitSec.max, po.waitSec.max)}`);
  }
  const targets = checkTargets(report);
  if (targets.length) {
    lines.push("");
    lines.push("Targets");
    lines.push(table([["check", "value", "limit", ""], ...targets.map((t) => [t.name, t.value.toFixed(3), `≤ ${t.limit}`, t.pass ? "PASS" : "FAIL"])]));
  }
  return lines.join("\n");
}
