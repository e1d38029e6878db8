/**
 * What a load-test run is made of: the halls the servers load, each hall's devices, the schedule
 * every generator process keeps, and each generator's plan (the seats it connects, the phones it
 * sends, its target node) for loadtest/busy-hour.ts and loadtest/devices.cjs.
 */
import { hashPassword } from "../../server/transport/auth.js";
import type { HallConfigInput } from "../../server/domain/config.js";

export const PASSWORD = "loadtest-password";
/** The nodes' SESSION_SECRET: one for all nodes of a run, so a token from one is good on every other. */
export const SECRET = "loadtest-session-secret-0123456789";

/** Phase lengths, seconds. */
export interface Phases {
  connectS: number;
  rampS: number;
  busyS: number;
  satS: number;
  drainS: number;
}

export interface Scenario {
  halls: number;
  /** Tickets per second per hall in the paced phases. */
  rate: number;
  /** Phones following a hall's tickets at once, at steady state. */
  trackers: number;
  phases: Phases;
}

/** Each hall's devices: 3 boards, a strip over each of 16 windows, 2 kiosks, a counter at each window. */
export interface HallDevices {
  id: string;
  services: string[];
  boards: string[];
  strips: { token: string; windowId: string }[];
  kiosks: string[];
  counters: { staffId: string; windowId: string }[];
}

export const WINDOWS_PER_HALL = 16;
export const SOCKETS_PER_HALL_FIXED = 3 + WINDOWS_PER_HALL + 2 + WINDOWS_PER_HALL;

/** The hall configs for the servers and the devices of each hall. */
export function makeHalls(count: number): { config: { halls: HallConfigInput[] }; devices: HallDevices[] } {
  const hash = hashPassword(PASSWORD);
  const services = ["s1", "s2", "s3", "s4"];
  const config: HallConfigInput[] = [];
  const devices: HallDevices[] = [];
  for (let h = 1; h <= count; h++) {
    const id = `h${String(h).padStart(2, "0")}`;
    const tok = (what: string) => `lt-${id}-${what}-${Math.random().toString(36).slice(2, 10)}`;
    const windows = Array.from({ length: WINDOWS_PER_HALL }, (_, i) => String(i + 1));
    const d: HallDevices = {
      id,
      services,
      boards: [tok("board1"), tok("board2"), tok("board3")],
      strips: windows.map((w) => ({ token: tok(`strip${w}`), windowId: w })),
      kiosks: [tok("kiosk1"), tok("kiosk2")],
      counters: windows.map((w) => ({ staffId: `c${w}`, windowId: w })),
    };
    devices.push(d);
    config.push({
      id,
      name: { zh: `第${h}大厅`, en: `Hall ${h}` },
      timezone: "Asia/Shanghai",
      services: services.map((s, i) => ({ id: s, prefix: "ABCD"[i]!, name: { zh: `业务${i + 1}`, en: `Service ${i + 1}` }, dailyQuota: 10_000_000, opens: "00:00", closes: "24:00", serviceMin: 6 + 2 * i })),
      windows: windows.map((w, i) => {
        const primary = services[i % services.length]!;
        return { id: w, label: { zh: `${w}号窗口`, en: `Window ${w}` }, qualified: services, serving: [primary, ...services.filter((s) => s !== primary)] };
      }),
      staff: windows.map((w) => ({ id: `c${w}`, name: `Clerk ${w}`, passwordHash: hash, roles: ["counter" as const] })),
      devices: [
        ...d.boards.map((token) => ({ token, role: "display" as const })),
        ...d.strips.map((s) => ({ token: s.token, role: "display" as const, windowId: s.windowId })),
        ...d.kiosks.map((token) => ({ token, role: "kiosk" as const })),
      ],
      balancer: { mode: "off" },
    });
  }
  return { config: { halls: config }, devices };
}

/** The run's schedule, epoch ms: connect → ramp → busy (measured) → sat (throughput after a warm-up) → drain → end. */
export interface Schedule {
  connect: number;
  ramp: number;
  busy: number;
  sat: number;
  satMeasure: number;
  drain: number;
  end: number;
}

export function schedule(t0: number, p: Phases): Schedule {
  const at = (s: number) => t0 + Math.round(s * 1000);
  const sat = p.connectS + p.rampS + p.busyS;
  return { connect: t0, ramp: at(p.connectS), busy: at(p.connectS + p.rampS), sat: at(sat), satMeasure: at(sat + satWarmS(p)), drain: at(sat + p.satS), end: at(sat + p.satS + p.drainS) };
}

/** Saturation is measured after this warm-up, seconds. */
export const satWarmS = (p: Phases): number => Math.min(3, p.satS / 4);

/** How long a phone follows its ticket, so that a hall has `trackers` phones at the ticket rate. */
export const trackerStayS = (s: Scenario): number => s.trackers / s.rate;

/** What one generator process connects (loadtest/devices.cjs reads it as HC_PLAN). */
export interface GeneratorPlan {
  target: string;
  schedule: Schedule;
  rate: number;
  trackerStayMs: number;
  satKioskLoops: number;
  halls: { id: string; services: string[]; windows: number; kiosks: number }[];
  seats: Seat[];
  trackerArrivals: number;
  /** Artillery's phases, whole seconds from its own start (about `bootS` after the plan is made). */
  artillery: { connectS: number; trackersAfterS: number; trackersS: number };
}

export type Seat =
  | { kind: "board" | "kiosk"; role: "display" | "kiosk"; hallId: string; deviceToken: string }
  | { kind: "strip"; role: "display"; hallId: string; deviceToken: string; windowId: string }
  | { kind: "counter"; role: "counter"; hallId: string; token: string; windowId: string };

/**
 * Split every hall's devices over `targets` generator processes, one per node, so that each
 * hall's sockets spread over the nodes (a call on one node must reach boards on another).
 * `tokens` gives the signed-in counter token per hall and window.
 */
export function generatorPlans(devices: HallDevices[], tokens: (hallId: string, windowId: string) => string, targets: string[], scenario: Scenario, when: Schedule, bootS: number): GeneratorPlan[] {
  const n = targets.length;
  const perHall = devices.map((d, h) => {
    const mine = <T>(list: T[], g: number) => list.filter((_, i) => (i + h) % n === g);
    return Array.from({ length: n }, (_, g): Seat[] => [
      ...mine(d.boards, g).map((deviceToken) => ({ kind: "board" as const, role: "display" as const, hallId: d.id, deviceToken })),
      ...mine(d.strips, g).map((s) => ({ kind: "strip" as const, role: "display" as const, hallId: d.id, deviceToken: s.token, windowId: s.windowId })),
      ...mine(d.kiosks, g).map((deviceToken) => ({ kind: "kiosk" as const, role: "kiosk" as const, hallId: d.id, deviceToken })),
      ...mine(d.counters, g).map((c) => ({ kind: "counter" as const, role: "counter" as const, hallId: d.id, token: tokens(d.id, c.windowId), windowId: c.windowId })),
    ]);
  });
  const p = scenario.phases;
  // Artillery takes whole seconds.
  const connectS = Math.max(1, Math.round(p.connectS * 0.6));
  const trackersS = Math.max(1, Math.round(p.rampS + p.busyS + p.satS - 1));
  return targets.map((target, g) => {
    // Interleave the halls so every hall's devices connect over the whole spread.
    const lists = perHall.map((per) => per[g]!);
    const seats: Seat[] = [];
    for (let k = 0; k < Math.max(...lists.map((l) => l.length)); k++) for (const l of lists) if (l[k]) seats.push(l[k]!);
    return {
      target,
      schedule: when,
      rate: scenario.rate,
      trackerStayMs: Math.round(trackerStayS(scenario) * 1000),
      satKioskLoops: 4,
      halls: devices.map((d) => ({ id: d.id, services: d.services, windows: d.counters.length, kiosks: d.kiosks.length })),
      seats,
      // Phones arrive as tickets are issued (one phone per new ticket), from the ramp to the drain.
      trackerArrivals: scenario.trackers > 0 ? Math.round((devices.length * scenario.rate * trackersS) / n) : 0,
      artillery: { connectS, trackersAfterS: Math.max(1, Math.round(p.connectS - connectS + (when.connect - Date.now()) / 1000 - bootS)), trackersS },
    };
  });
}
