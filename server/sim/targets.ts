/**
 * What a simulated hall is judged by (the balancer-fairness issue's targets), in one place for
 * the printout, the `--json` report and the tests:
 *
 * - dynamic against static: mean and p90 wait ≤ 0.30 ×, the longest wait ≤ 0.6 × over the
 *   services two or more windows are qualified for (a service with one window has the same tail
 *   under any policy that respects the qualifications);
 * - no service worse off than static (`worseOff`: 10 % + 30 s of noise on its mean or its longest);
 * - HallCall's ETA against the naive one: mean absolute error ≤ 0.75 ×, for walk-ins and, when the
 *   hall takes bookings, for on-time appointment tickets (and those wait ≤ 5 min from the slot);
 * - dynamic mean ≤ 2 × pooled when the hall's qualifications form a chain (`qualificationChain`);
 *   the ratio is printed on every hall.
 *
 * Everything is read from the scenario's qualifications and the report's figures, never from a
 * scenario's name.
 */
import type { EtaError, SimReport, WaitStats } from "./report.js";
import { hasAppointments, type Scenario } from "./scenario.js";

/** Noise a service's dynamic figure may exceed its static one by before it counts as worse off. */
export const WORSE_OFF_NOISE = { ratio: 1.1, slackSec: 30 } as const;

/** Whether `dynamic` leaves a service worse off than `stat`: mean or longest above static × 1.1 + 30 s. */
export function worseOff(dynamic: WaitStats, stat: WaitStats): { mean: boolean; longest: boolean; any: boolean } {
  const above = (d: number, s: number) => d > s * WORSE_OFF_NOISE.ratio + WORSE_OFF_NOISE.slackSec;
  const mean = above(dynamic.mean, stat.mean);
  const longest = above(dynamic.max, stat.max);
  return { mean, longest, any: mean || longest };
}

export const TARGETS = {
  meanWait: 0.3,
  p90Wait: 0.3,
  longestWait: 0.6,
  etaVsNaive: 0.75,
  appointmentWaitMin: 5,
  pooled: 2,
} as const;

/** A windows × services qualification, one edge of the hall's qualification graph. */
export interface Qualification {
  windowId: string;
  serviceId: string;
}

export interface QualificationGraph {
  /** Connected and every qualification on a cycle (no bridge): see `qualificationChain`. */
  chain: boolean;
  /** Groups of windows and services that share no qualification with one another. */
  components: number;
  /** Qualifications whose loss would split the hall in two. */
  bridges: Qualification[];
  /** Services two or more windows are qualified for, and those only one window is. */
  shared: string[];
  single: string[];
}

/**
 * Whether the hall's qualifications form a chain, read from the bipartite graph of windows and
 * services (an edge where a window is qualified for a service): connected, and no edge is a
 * bridge (2-edge-connected). Jordan & Graves's long chain (window i qualified for services i and
 * i + 1, the last for the first) is the smallest such graph, and full cross-training the largest.
 * This is stricter than "connected, every window and service of degree ≥ 2" (a bridgeless
 * connected graph has every degree ≥ 2), and the difference matters: two well-knit groups joined
 * by one qualification are connected with every degree ≥ 2, yet load can cross between them only
 * through that one window's one service, so the pair behaves like two halls and the pooled bound
 * of the whole is out of reach; with no bridge, every window and service lies on a cycle, around
 * which spare capacity can move either way.
 */
export function qualificationChain(sc: Scenario): QualificationGraph {
  // Nodes: windows 0..W-1, services W..W+S-1.
  const W = sc.windows.length;
  const serviceIndex = new Map(sc.services.map((s, i) => [s.id, W + i]));
  const n = W + sc.services.length;
  const adj: { to: number; edge: number }[][] = Array.from({ length: n }, () => []);
  const edges: Qualification[] = [];
  sc.windows.forEach((w, wi) => {
    for (const s of new Set(w.qualified)) {
      const si = serviceIndex.get(s)!;
      adj[wi]!.push({ to: si, edge: edges.length });
      adj[si]!.push({ to: wi, edge: edges.length });
      edges.push({ windowId: w.id, serviceId: s });
    }
  });
  // Tarjan's bridges, iteratively (a hall is small, but recursion depth should not depend on it).
  const disc = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const bridges: Qualification[] = [];
  let time = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (disc[root] !== -1) continue;
    components++;
    disc[root] = low[root] = time++;
    const stack: { node: number; viaEdge: number; next: number }[] = [{ node: root, viaEdge: -1, next: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const out = adj[top.node]!;
      if (top.next < out.length) {
        const { to, edge } = out[top.next++]!;
        if (edge === top.viaEdge) continue;
        if (disc[to] === -1) {
          disc[to] = low[to] = time++;
          stack.push({ node: to, viaEdge: edge, next: 0 });
        } else low[top.node] = Math.min(low[top.node]!, disc[to]!);
        continue;
      }
      stack.pop();
      const parent = stack[stack.length - 1];
      if (!parent) continue;
      low[parent.node] = Math.min(low[parent.node]!, low[top.node]!);
      if (low[top.node]! > disc[parent.node]!) bridges.push(edges[top.viaEdge]!);
    }
  }
  const windowsFor = (id: string) => sc.windows.filter((w) => w.qualified.includes(id)).length;
  return {
    chain: components === 1 && bridges.length === 0 && edges.length > 0,
    components,
    bridges,
    shared: sc.services.filter((s) => windowsFor(s.id) >= 2).map((s) => s.id),
    single: sc.services.filter((s) => windowsFor(s.id) < 2).map((s) => s.id),
  };
}

/** One service's dynamic figures against static: the ratios and whether it is worse off. */
export interface ServiceVsStatic {
  serviceId: string;
  /** Walk-ins, or on-time appointment tickets (wait from the slot start). */
  tickets: "walkIns" | "appointments";
  windows: number;
  meanRatio: number | null;
  longestRatio: number | null;
  worseOff: { mean: boolean; longest: boolean; any: boolean };
}

/** Null when static's figure is 0 (no ratio to speak of; the worse-off rule's slack still judges it). */
const ratioOf = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** Every service's dynamic ÷ static, walk-ins and (when the hall takes bookings) on-time appointments. */
export function servicesVsStatic(sc: Scenario, report: SimReport): ServiceVsStatic[] {
  const st = report.policies.static;
  const dy = report.policies.dynamic;
  if (!st || !dy) return [];
  const out: ServiceVsStatic[] = [];
  const row = (serviceId: string, tickets: ServiceVsStatic["tickets"], d: WaitStats, s: WaitStats) =>
    out.push({ serviceId, tickets, windows: sc.windows.filter((w) => w.qualified.includes(serviceId)).length, meanRatio: ratioOf(d.mean, s.mean), longestRatio: ratioOf(d.max, s.max), worseOff: worseOff(d, s) });
  for (const s of sc.services) row(s.id, "walkIns", dy.perService[s.id]!.waitSec, st.perService[s.id]!.waitSec);
  if (dy.appointments && st.appointments) {
    for (const s of sc.services) {
      const d = dy.appointments.perService[s.id];
      const t = st.appointments.perService[s.id];
      if (d && t) row(s.id, "appointments", d.waitSec, t.waitSec);
    }
  }
  return out;
}

export type TargetId = "meanWait" | "p90Wait" | "longestWait" | "worseOff" | "etaWalkIns" | "etaAppointments" | "appointmentWait" | "pooled";

export interface TargetCheck {
  id: TargetId;
  name: string;
  value: number;
  limit: number;
  /** False: shown for information, not a target on this hall (the pooled ratio when the qualifications are no chain). */
  applies: boolean;
  /** Whether the target holds (true when it does not apply). */
  pass: boolean;
  /** What the figure covers: the services counted, the ones worse off. */
  note?: string;
}

export interface HallAssessment {
  qualifications: QualificationGraph;
  services: ServiceVsStatic[];
  targets: TargetCheck[];
}

/** The hall's targets on a report of the static, dynamic and pooled policies (those present). */
export function assessHall(sc: Scenario, report: SimReport): HallAssessment {
  const qualifications = qualificationChain(sc);
  const services = servicesVsStatic(sc, report);
  const st = report.policies.static;
  const dy = report.policies.dynamic;
  const po = report.policies.pooled;
  const targets: TargetCheck[] = [];
  const push = (id: TargetId, name: string, value: number, limit: number, note?: string, applies = true) =>
    targets.push({ id, name, value, limit, applies, pass: !applies || value <= limit, ...(note ? { note } : {}) });
  const ratio = (a: number, b: number) => (b > 0 ? a / b : a > 0 ? Infinity : 0);
  if (st && dy) {
    push("meanWait", "dynamic mean wait ÷ static", ratio(dy.waitSec.mean, st.waitSec.mean), TARGETS.meanWait);
    push("p90Wait", "dynamic p90 wait ÷ static", ratio(dy.waitSec.p90, st.waitSec.p90), TARGETS.p90Wait);
    const longest = (p: typeof st) => Math.max(0, ...qualifications.shared.map((id) => p.perService[id]!.waitSec.max));
    const left = qualifications.single.length ? `; not ${qualifications.single.join(", ")} (one window)` : "";
    push("longestWait", "dynamic longest wait ÷ static, shared services", ratio(longest(dy), longest(st)), TARGETS.longestWait, `over ${qualifications.shared.join(", ") || "none"}${left}`);
    const worse = services.filter((s) => s.worseOff.any);
    const named = worse.map((s) => `${s.serviceId}${s.tickets === "appointments" ? " (booked)" : ""} ${[s.worseOff.mean ? "mean" : "", s.worseOff.longest ? "longest" : ""].filter(Boolean).join("+")}`);
    push("worseOff", "services worse off than static", worse.length, 0, worse.length ? named.join(", ") : undefined);
  }
  const etaRatio = (e: EtaError) => (e.naiveMaeSec > 0 ? e.maeSec / e.naiveMaeSec : 0);
  if (dy) push("etaWalkIns", "dynamic ETA MAE ÷ naive, walk-ins", etaRatio(dy.eta), TARGETS.etaVsNaive);
  if (dy?.appointments && hasAppointments(sc)) {
    push("etaAppointments", "dynamic ETA MAE ÷ naive, on-time bookings", etaRatio(dy.appointments.eta), TARGETS.etaVsNaive);
    push("appointmentWait", "dynamic booking wait from slot, min", dy.appointments.waitSec.mean / 60, TARGETS.appointmentWaitMin);
  }
  if (dy && po) push("pooled", "dynamic mean wait ÷ pooled", ratio(dy.waitSec.mean, po.waitSec.mean), TARGETS.pooled, qualifications.chain ? "qualifications form a chain" : "no chain: shown, not a target", qualifications.chain);
  return { qualifications, services, targets };
}
