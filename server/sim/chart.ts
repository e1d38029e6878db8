/**
 * A hand-written SVG of the day per policy: citizens waiting over the day (top) and the mean wait
 * of tickets by the time they were issued (bottom), each averaged over the runs.
 */
import type { RunResult } from "./engine.js";
import type { Policy, Scenario } from "./scenario.js";

export interface Series {
  policy: string;
  /** Minutes since opening of each point. */
  t: number[];
  values: number[];
}

const COLORS: Record<string, string> = { static: "#d1495b", dynamic: "#00798c", pooled: "#8d96a3" };

/** Average number of waiting citizens every `stepMin` minutes. */
export function queueSeries(policy: string, runs: RunResult[], stepMin = 5): Series {
  const endMin = Math.max(...runs.map((r) => r.dayLengthMs / 60_000), 0);
  const t: number[] = [];
  const values: number[] = [];
  for (let m = 0; m <= endMin + stepMin; m += stepMin) {
    const at = m * 60_000;
    let n = 0;
    for (const r of runs) for (const k of r.tickets) if (k.issuedAt <= at && (k.calledAt < 0 || k.calledAt > at)) n++;
    t.push(m);
    values.push(n / Math.max(1, runs.length));
  }
  return { policy, t, values };
}

/** Mean wait (minutes) of tickets issued in each `stepMin`-minute slot. */
export function waitSeries(policy: string, runs: RunResult[], stepMin = 15): Series {
  const sums = new Map<number, [number, number]>();
  for (const r of runs) {
    for (const k of r.tickets) {
      if (k.waitSec < 0) continue;
      const slot = Math.floor(k.issuedAt / 60_000 / stepMin);
      const cur = sums.get(slot) ?? [0, 0];
      sums.set(slot, [cur[0] + k.waitSec / 60, cur[1] + 1]);
    }
  }
  const slots = [...sums.keys()].sort((a, b) => a - b);
  return { policy, t: slots.map((s) => s * stepMin + stepMin / 2), values: slots.map((s) => sums.get(s)![0] / sums.get(s)![1]) };
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function hhmm(openMin: number, m: number): string {
  const x = openMin + Math.round(m);
  return `${String(Math.floor(x / 60) % 24).padStart(2, "0")}:${String(x % 60).padStart(2, "0")}`;
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const k of [1, 2, 2.5, 5, 10]) if (k * p >= v) return k * p;
  return 10 * p;
}

function panel(title: string, unit: string, series: Series[], x0: number, y0: number, w: number, h: number, endMin: number, openMin: number): string {
  const top = niceMax(Math.max(1, ...series.flatMap((s) => s.values)));
  const sx = (m: number) => x0 + (m / endMin) * w;
  const sy = (v: number) => y0 + h - (v / top) * h;
  const out: string[] = [];
  out.push(`<text x="${x0}" y="${y0 - 10}" class="title">${esc(title)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const v = (top * i) / 4;
    out.push(`<line x1="${x0}" x2="${x0 + w}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" class="grid"/>`);
    out.push(`<text x="${x0 - 6}" y="${(sy(v) + 4).toFixed(1)}" class="axis" text-anchor="end">${Number.isInteger(v) ? v : v.toFixed(1)}</text>`);
  }
  for (let m = 0; m <= endMin; m += 60) {
    out.push(`<line x1="${sx(m).toFixed(1)}" x2="${sx(m).toFixed(1)}" y1="${y0}" y2="${y0 + h}" class="grid"/>`);
    out.push(`<text x="${sx(m).toFixed(1)}" y="${y0 + h + 16}" class="axis" text-anchor="middle">${hhmm(openMin, m)}</text>`);
  }
  out.push(`<text x="${x0 - 40}" y="${y0 + h / 2}" class="axis" transform="rotate(-90 ${x0 - 40} ${y0 + h / 2})" text-anchor="middle">${esc(unit)}</text>`);
  for (const s of series) {
    const pts = s.t.map((m, i) => `${sx(Math.min(m, endMin)).toFixed(1)},${sy(s.values[i]!).toFixed(1)}`).join(" ");
    out.push(`<polyline points="${pts}" fill="none" stroke="${COLORS[s.policy] ?? "#333"}" stroke-width="2"/>`);
  }
  return out.join("\n");
}

export function renderChart(sc: Scenario, results: Partial<Record<Policy, RunResult[]>>): string {
  const W = 900;
  const H = 620;
  const x0 = 70;
  const w = W - x0 - 30;
  const h = 210;
  const openMin = Number(sc.open.slice(0, 2)) * 60 + Number(sc.open.slice(3, 5));
  const entries = Object.entries(results).filter(([, r]) => r && r.length) as [string, RunResult[]][];
  const endMin = Math.max(60, ...entries.flatMap(([, rs]) => rs.map((r) => r.dayLengthMs / 60_000)));
  const queue = entries.map(([p, rs]) => queueSeries(p, rs));
  const waits = entries.map(([p, rs]) => waitSeries(p, rs));
  const runs = entries[0]?.[1].length ?? 0;
  const legend = entries
    .map(([p], i) => `<rect x="${x0 + i * 120}" y="${H - 28}" width="14" height="4" fill="${COLORS[p] ?? "#333"}"/><text x="${x0 + i * 120 + 20}" y="${H - 23}" class="axis">${esc(p)}</text>`)
    .join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif">
<style>.title{font-size:14px;font-weight:600;fill:#222}.axis{font-size:11px;fill:#555}.grid{stroke:#e3e3e3;stroke-width:1}</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="${x0}" y="22" class="title">${esc(sc.name)}: ${runs} run(s) per policy, averaged</text>
${panel("Citizens waiting (等候人数)", "waiting", queue, x0, 60, w, h, endMin, openMin)}
${panel("Mean wait by time of issue (平均等待, minutes)", "minutes", waits, x0, 60 + h + 70, w, h, endMin, openMin)}
${legend}
</svg>
`;
}
