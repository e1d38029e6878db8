/**
 * Simulator results: the contract's JSON (shared/DESIGN.md "Simulator contract"), the readable
 * summary table, and the targets (targets.ts) checked with PASS/FAIL. With several runs every
 * figure is over all runs' tickets together.
 *
 * Walk-ins and checked-in bookings are reported apart. `waitSec`, `perService` and `eta` are the
 * walk-ins' (a late check-in queues as a walk-in, so it counts there). `appointments`, present
 * when the scenario takes bookings, is the on-time check-ins': their wait runs from the slot
 * start, or from the check-in when the citizen came after it (the hall cannot call anyone
 * earlier than they come), never below zero for one called before the slot started.
 */
import type { RunResult, TicketRecord } from "./engine.js";
import { hasAppointments, type Policy, type Scenario } from "./scenario.js";
import { assessHall, WORSE_OFF_NOISE, type HallAssessment } from "./targets.js";

export interface WaitStats {
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  max: number;
}

export interface EtaError {
  maeSec: number;
  naiveMaeSec: number;
}

export interface AppointmentReport {
  /** Bookings made, and what became of them (sums over the runs). */
  booked: number;
  missed: number;
  late: number;
  /** Bookers who found no slot and walked in. */
  unbooked: number;
  turnedAway: number;
  /** On-time check-ins, and their waits from the slot start. */
  onTime: number;
  waitSec: WaitStats;
  perService: Record<string, { onTime: number; waitSec: WaitStats; eta: EtaError }>;
  eta: EtaError;
}

export interface PolicyReport {
  /** Every ticket issued, walk-ins and check-ins. */
  tickets: number;
  served: number;
  noShows: number;
  /** Walk-ins (late check-ins included) from here on. */
  waitSec: WaitStats;
  perService: Record<string, { tickets: number; waitSec: WaitStats; eta: EtaError }>;
  eta: EtaError;
  /** Only when the scenario takes bookings. */
  appointments?: AppointmentReport;
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

const etaError = (called: TicketRecord[]): EtaError => ({ maeSec: mae(called, (t) => t.etaSec), naiveMaeSec: mae(called, (t) => t.naiveSec) });

/** An on-time check-in: from its slot start, or from its check-in when that came later. */
export function waitFromSlotSec(t: TicketRecord): number {
  return Math.max(0, (t.calledAt - Math.max(t.appointment!.slotStart, t.issuedAt)) / 1000);
}

export function policyReport(sc: Scenario, runs: RunResult[]): PolicyReport {
  const tickets = runs.flatMap((r) => r.tickets);
  const called = tickets.filter((t) => t.waitSec >= 0);
  const isAppointment = (t: TicketRecord) => t.appointment?.onTime === true;
  const walkIns = called.filter((t) => !isAppointment(t));
  const perService: PolicyReport["perService"] = {};
  for (const s of sc.services) {
    const mine = walkIns.filter((t) => t.serviceId === s.id);
    perService[s.id] = { tickets: tickets.filter((t) => t.serviceId === s.id && !isAppointment(t)).length, waitSec: waitStats(mine.map((t) => t.waitSec)), eta: etaError(mine) };
  }
  const out: PolicyReport = {
    tickets: tickets.length,
    served: runs.reduce((a, r) => a + r.served, 0),
    noShows: runs.reduce((a, r) => a + r.noShows, 0),
    waitSec: waitStats(walkIns.map((t) => t.waitSec)),
    perService,
    eta: etaError(walkIns),
  };
  if (hasAppointments(sc)) {
    const appts = called.filter(isAppointment);
    const sum = (k: "booked" | "missed" | "late" | "unbooked" | "turnedAway") => runs.reduce((a, r) => a + (r.bookings?.[k] ?? 0), 0);
    const byService: AppointmentReport["perService"] = {};
    for (const s of sc.services.filter((x) => x.appointments)) {
      const mine = appts.filter((t) => t.serviceId === s.id);
      byService[s.id] = { onTime: tickets.filter((t) => t.serviceId === s.id && isAppointment(t)).length, waitSec: waitStats(mine.map(waitFromSlotSec)), eta: etaError(mine) };
    }
    out.appointments = {
      booked: sum("booked"),
      missed: sum("missed"),
      late: sum("late"),
      unbooked: sum("unbooked"),
      turnedAway: sum("turnedAway"),
      onTime: tickets.filter(isAppointment).length,
      waitSec: waitStats(appts.map(waitFromSlotSec)),
      perService: byService,
      eta: etaError(appts),
    };
  }
  return out;
}

export function buildReport(sc: Scenario, seed: number, runs: number, results: Partial<Record<Policy, RunResult[]>>): SimReport {
  const policies: Record<string, PolicyReport> = {};
  for (const [p, rs] of Object.entries(results)) if (rs) policies[p] = policyReport(sc, rs);
  return { scenario: sc.name, seed, runs, policies };
}

const min = (sec: number) => (sec / 60).toFixed(1);

/** Columns from `rightFrom` are right-aligned, and from `leftFrom` on left-aligned again; no trailing blanks. */
function table(rows: string[][], rightFrom = 1, leftFrom = Infinity): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? ""))));
  return rows.map((r) => r.map((c, i) => pad(c, widths[i]!, i >= rightFrom && i < leftFrom)).join("  ").trimEnd()).join("\n");
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
  if (hasAppointments(sc)) lines.push("Walk-ins (late check-ins queue as walk-ins and count here); tickets, served and no-shows count every ticket.");
  const head = ["policy", "tickets", "served", "no-shows", "mean", "p50", "p90", "p95", "max", "ETA MAE", "naive MAE"];
  const rows = [head];
  for (const n of names) {
    const p = report.policies[n]!;
    rows.push([n, String(p.tickets), String(p.served), String(p.noShows), min(p.waitSec.mean), min(p.waitSec.p50), min(p.waitSec.p90), min(p.waitSec.p95), min(p.waitSec.max), min(p.eta.maeSec), min(p.eta.naiveMaeSec)]);
  }
  lines.push(table(rows));
  const booked = hasAppointments(sc);
  if (booked) {
    lines.push("");
    lines.push("Appointments checked in on time (wait from the slot start, or from a check-in after it)");
    const arows = [["policy", "booked", "missed", "late", "no slot", "on time", "mean", "p50", "p90", "p95", "max", "ETA MAE", "naive MAE"]];
    for (const n of names) {
      const a = report.policies[n]!.appointments!;
      arows.push([n, String(a.booked), String(a.missed), String(a.late), String(a.unbooked), String(a.onTime), min(a.waitSec.mean), min(a.waitSec.p50), min(a.waitSec.p90), min(a.waitSec.p95), min(a.waitSec.max), min(a.eta.maeSec), min(a.eta.naiveMaeSec)]);
    }
    lines.push(table(arows));
  }
  const byService = (title: string, count: (p: PolicyReport, id: string) => number, cell: (p: PolicyReport, id: string) => string, booking = false) => {
    lines.push("");
    lines.push(title);
    const srows = [["service", "target", "tickets", ...names]];
    for (const s of sc.services) if (!booking || s.appointments) srows.push([`${s.id} ${s.name.zh}`, String(s.targetWaitMin), String(count(report.policies[names[0]!]!, s.id)), ...names.map((n) => cell(report.policies[n]!, s.id))]);
    lines.push(table(srows));
  };
  const stats = (w: WaitStats) => `${min(w.mean)} / ${min(w.p90)} / ${min(w.max)}`;
  const eta = (e: EtaError) => `${min(e.maeSec)} / ${min(e.naiveMaeSec)}`;
  byService(booked ? "Per service, walk-ins: mean / p90 / max wait (minutes)" : "Per service: mean / p90 / max wait (minutes)", (p, id) => p.perService[id]!.tickets, (p, id) => stats(p.perService[id]!.waitSec));
  if (booked) byService("Per service, appointments on time: mean / p90 / max wait from the slot start (minutes)", (p, id) => p.appointments!.perService[id]!.onTime, (p, id) => stats(p.appointments!.perService[id]!.waitSec), true);
  byService(booked ? "Per service, walk-ins: ETA mean absolute error, HallCall / naive (minutes)" : "Per service: ETA mean absolute error, HallCall / naive (minutes)", (p, id) => p.perService[id]!.tickets, (p, id) => eta(p.perService[id]!.eta));
  if (booked) byService("Per service, appointments on time: ETA mean absolute error, HallCall / naive (minutes)", (p, id) => p.appointments!.perService[id]!.onTime, (p, id) => eta(p.appointments!.perService[id]!.eta), true);
  const assessment = assessHall(sc, report);
  lines.push(...formatAssessment(sc, report, assessment));
  return lines.join("\n");
}

const ratio = (x: number | null) => (x === null ? "—" : x.toFixed(2));

/** The per-service comparison with static, the qualification graph, the pooled gap and the targets. */
function formatAssessment(sc: Scenario, report: SimReport, a: HallAssessment): string[] {
  const lines: string[] = [];
  const st = report.policies.static;
  const dy = report.policies.dynamic;
  const po = report.policies.pooled;
  if (a.services.length && st && dy) {
    const booked = a.services.some((s) => s.tickets === "appointments");
    lines.push("");
    lines.push(`Per service, dynamic ÷ static${booked ? " (walk-ins, then on-time bookings from the slot start)" : ""}: worse off = dynamic mean or longest above static × ${WORSE_OFF_NOISE.ratio} + ${WORSE_OFF_NOISE.slackSec / 60} min`);
    const rows = [["service", "windows", "static mean / max", "dynamic mean / max", "mean ÷", "longest ÷", "worse off"]];
    for (const r of a.services) {
      const s = sc.services.find((x) => x.id === r.serviceId)!;
      const w = (p: PolicyReport) => (r.tickets === "walkIns" ? p.perService[r.serviceId]!.waitSec : p.appointments!.perService[r.serviceId]!.waitSec);
      const flag = r.worseOff.any ? `WORSE (${[r.worseOff.mean ? "mean" : "", r.worseOff.longest ? "longest" : ""].filter(Boolean).join(", ")})` : "";
      rows.push([`${s.id} ${s.name.zh}${r.tickets === "appointments" ? " 预约" : ""}`, String(r.windows), `${min(w(st).mean)} / ${min(w(st).max)}`, `${min(w(dy).mean)} / ${min(w(dy).max)}`, ratio(r.meanRatio), ratio(r.longestRatio), flag]);
    }
    lines.push(table(rows, 1, 6));
  }
  const q = a.qualifications;
  lines.push("");
  const qualifiedBy = (e: { windowId: string; serviceId: string }) => `${e.windowId}–${e.serviceId}`;
  lines.push(
    q.chain
      ? "Qualifications form a chain: windows and services connected, every qualification on a cycle (no bridge)."
      : `Qualifications form no chain: ${[q.components > 1 ? `${q.components} separate groups` : "", q.bridges.length ? `${q.bridges.length} bridge(s) (window–service): ${q.bridges.map(qualifiedBy).join(", ")}` : ""].filter(Boolean).join("; ")}.`,
  );
  if (q.single.length) lines.push(`Services with one qualified window: ${q.single.join(", ")}.`);
  if (dy && po) {
    const gap = (x: number, y: number) => `${x >= y ? "+" : "−"}${min(Math.abs(x - y))} min (${y > 0 ? (x / y).toFixed(2) : "∞"}×)`;
    lines.push(`Dynamic vs pooled (the full-flexibility bound): mean ${gap(dy.waitSec.mean, po.waitSec.mean)}, p90 ${gap(dy.waitSec.p90, po.waitSec.p90)}, max ${gap(dy.waitSec.max, po.waitSec.max)}`);
  }
  if (a.targets.length) {
    lines.push("");
    lines.push("Targets");
    const rows = [["check", "value", "limit", "", "note"], ...a.targets.map((t) => [t.name, Number.isFinite(t.value) ? (t.id === "worseOff" ? String(t.value) : t.value.toFixed(3)) : "∞", `≤ ${t.limit}`, !t.applies ? "info" : t.pass ? "PASS" : "FAIL", t.note ?? ""])];
    lines.push(table(rows, 1, 3));
  }
  return lines;
}
