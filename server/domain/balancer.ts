/**
 * The balancer: which of its qualified services each window serves now.
 *
 * Each round it forecasts the hall (eta.ts: the real dispatch rule played forward with measured
 * rates and the day's bookings still to come) and reads every service's *pressure*: its worst predicted wait (a ticket issued now, or
 * the longest-waiting ticket's wait so far plus what is left) divided by its target wait.
 *
 * - Add: a service at pressure ≥ `addAt` borrows one more window per round: among the open windows
 *   qualified for it and not serving it, the one whose own services are under the least pressure
 *   (and at least `helperGap` below). The service is appended to the window's list, so the
 *   window's primary service keeps its preference in dispatch.
 * - Drop: a borrowed service (not one of the window's home services) goes back when its pressure
 *   is ≤ `dropAt` and the windows that would still serve it can carry its load (measured walk-ins
 *   and the next hour's bookings) at no more than `dropLoad` utilisation.
 * - Hysteresis: the gap between `addAt` and `dropAt`, the load check, and a window keeps a serving
 *   set for at least `minDwellMs`. One change per window and per service per round.
 * - A change never interrupts a ticket in service: serving only decides a window's next call, and
 *   a service is not dropped from a window while that window is calling or serving one of its
 *   tickets (the drop waits for a later round).
 *
 * Pure: every reason is a bilingual sentence a manager can read in the console.
 */
import type { Bilingual, HallSnapshot, ServiceInfo, Window } from "../../protocol/index.js";
import { forecast, type BookedArrival, type Forecast } from "./eta.js";
import { bookedPerSec, type RatesView } from "./rates.js";

export interface BalancerOptions {
  /** Pressure (predicted wait ÷ target) at which a service asks for another window. */
  addAt: number;
  /** Pressure at or under which a borrowed window may go back. */
  dropAt: number;
  /** After a drop, the remaining windows must run the service at no more than this utilisation. */
  dropLoad: number;
  /** A helping window's own pressure must be at least this much lower than the service it helps. */
  helperGap: number;
  /** A window keeps its serving set at least this long (ms). */
  minDwellMs: number;
  /** Windows a service may borrow in one round. */
  maxAddsPerRound: number;
}

export const DEFAULT_BALANCER_OPTIONS: BalancerOptions = { addAt: 0.1, dropAt: 0.05, dropLoad: 0.5, helperGap: 0.05, minDwellMs: 10 * 60_000, maxAddsPerRound: 2 };

export interface BalancerInput {
  snapshot: HallSnapshot;
  rates: RatesView;
  now: number;
  /** When each window's serving set last changed (ms since epoch); missing means long ago. */
  lastChangeAt?: Record<string, number>;
  /** Services each window never gives up (its configured ones). Default: its first-listed service. */
  home?: Record<string, string[]>;
  /** The hall's dispatch.primaryPreference, for the forecast. */
  primaryPreference?: number;
  /** The day's bookings still to come (rates.ts `bookedArrivals`). */
  booked?: readonly BookedArrival[];
  options?: Partial<BalancerOptions>;
}

export interface ServicePressure {
  waiting: number;
  /** Worst predicted wait, seconds. */
  predictedWaitSec: number;
  targetSec: number;
  /** predictedWaitSec ÷ targetSec. */
  pressure: number;
  /** Open windows serving it now. */
  windows: number;
}

export interface ServingChange {
  windowId: string;
  kind: "add" | "drop";
  serviceId: string;
  from: string[];
  serving: string[];
  reason: Bilingual;
}

export interface BalancerPlan {
  pressure: Record<string, ServicePressure>;
  changes: ServingChange[];
  forecast: Forecast;
}

/** Each service's pressure from one forecast. */
export function pressures(snapshot: HallSnapshot, f: Forecast, now: number): Record<string, ServicePressure> {
  const out: Record<string, ServicePressure> = {};
  for (const s of snapshot.services) {
    out[s.id] = { waiting: 0, predictedWaitSec: f.newTicketSec.get(s.id) ?? 0, targetSec: s.targetWaitMin * 60, pressure: 0, windows: 0 };
  }
  for (const t of snapshot.tickets) {
    const p = out[t.serviceId];
    if (!p || t.state !== "waiting") continue;
    p.waiting++;
    const total = Math.max(0, now - t.queuedAt) / 1000 + (f.waitSec.get(t.id) ?? 0);
    if (total > p.predictedWaitSec) p.predictedWaitSec = total;
  }
  for (const w of snapshot.windows) if (w.state === "open") for (const s of w.serving) if (out[s]) out[s].windows++;
  for (const p of Object.values(out)) {
    // Nobody waits and no window serves it (its windows are closed): nothing to predict yet, and
    // pulling a window away from citizens who do wait would only make them wait longer.
    if (p.waiting === 0 && p.windows === 0) p.predictedWaitSec = 0;
    p.pressure = p.predictedWaitSec / p.targetSec;
  }
  return out;
}

export function proposeChanges(input: BalancerInput): BalancerPlan {
  const { snapshot, rates, now } = input;
  const opts = { ...DEFAULT_BALANCER_OPTIONS, ...input.options };
  const booked = input.booked ?? [];
  const f = forecast(snapshot, rates, now, { primaryPreference: input.primaryPreference ?? 0.2, booked });
  const p = pressures(snapshot, f, now);
  const services = new Map(snapshot.services.map((s) => [s.id, s]));
  const byTicket = new Map(snapshot.tickets.map((t) => [t.id, t]));
  const open = snapshot.windows.filter((w) => w.state === "open");
  const serving = new Map(open.map((w) => [w.id, [...w.serving]]));
  const changedWindows = new Set<string>();
  const changedServices = new Set<string>();
  const changes: ServingChange[] = [];
  const rested = (w: Window) => now - (input.lastChangeAt?.[w.id] ?? -Infinity) >= opts.minDwellMs;
  const homeOf = (w: Window) => input.home?.[w.id] ?? w.serving.slice(0, 1);
  const ownPressure = (w: Window) => Math.max(0, ...serving.get(w.id)!.map((s) => p[s]?.pressure ?? 0));

  // Adds, the most pressed service first.
  const pressed = snapshot.services.filter((s) => p[s.id]!.pressure >= opts.addAt).sort((a, b) => p[b.id]!.pressure - p[a.id]!.pressure);
  for (const s of pressed) {
    for (let k = 0; k < opts.maxAddsPerRound; k++) {
      const need = p[s.id]!.pressure;
      let best: Window | null = null;
      let bestOwn = Infinity;
      for (const w of open) {
        if (changedWindows.has(w.id) || !rested(w) || !w.qualified.includes(s.id) || serving.get(w.id)!.includes(s.id)) continue;
        const own = ownPressure(w);
        if (own + opts.helperGap > need) continue;
        if (own < bestOwn || (own === bestOwn && best && serving.get(w.id)!.length < serving.get(best.id)!.length)) {
          best = w;
          bestOwn = own;
        }
      }
      if (!best) break;
      const from = serving.get(best.id)!;
      const next = [...from, s.id];
      serving.set(best.id, next);
      changedWindows.add(best.id);
      changedServices.add(s.id);
      changes.push({ windowId: best.id, kind: "add", serviceId: s.id, from, serving: next, reason: addReason(s, best, p[s.id]!, ownWaitSec(best, p)) });
    }
  }

  // Drops of borrowed services whose queue has eased.
  for (const w of open) {
    if (changedWindows.has(w.id) || !rested(w)) continue;
    const home = homeOf(w);
    const current = serving.get(w.id)!;
    const busyWith = w.ticketId ? byTicket.get(w.ticketId)?.serviceId : undefined;
    for (const sid of current) {
      if (home.includes(sid) || changedServices.has(sid) || sid === busyWith) continue;
      const sp = p[sid];
      if (!sp || sp.pressure > opts.dropAt) continue;
      if (current.length <= 1) continue;
      // Capacity left for the service: other windows, each sharing itself among what it serves.
      let capacity = 0;
      for (const o of open) {
        if (o.id === w.id) continue;
        const list = serving.get(o.id)!;
        if (list.includes(sid)) capacity += 1 / list.length;
      }
      const load = (rates.arrivalPerSec(sid) + bookedPerSec(booked, sid, now)) * rates.occupancySec(sid);
      if (capacity <= 0 || load > opts.dropLoad * capacity) continue;
      const next = current.filter((x) => x !== sid);
      serving.set(w.id, next);
      changedWindows.add(w.id);
      changedServices.add(sid);
      changes.push({ windowId: w.id, kind: "drop", serviceId: sid, from: current, serving: next, reason: dropReason(services.get(sid)!, w, sp) });
      break;
    }
  }
  return { pressure: p, changes, forecast: f };
}

function ownWaitSec(w: Window, p: Record<string, ServicePressure>): number {
  return Math.max(0, ...w.serving.map((s) => p[s]?.predictedWaitSec ?? 0));
}

const minutes = (sec: number) => Math.max(0, Math.round(sec / 60));

function addReason(s: ServiceInfo, w: Window, sp: ServicePressure, ownSec: number): Bilingual {
  return {
    zh: `${s.name.zh}预计等待约${minutes(sp.predictedWaitSec)}分钟（目标${s.targetWaitMin}分钟，${sp.waiting}人等候）；${w.label.zh}所办业务预计等待约${minutes(ownSec)}分钟，临时加办${s.name.zh}。`,
    en: `${s.name.en}: expected wait about ${minutes(sp.predictedWaitSec)} min against a ${s.targetWaitMin} min target (${sp.waiting} waiting); ${w.label.en}'s own queues expect about ${minutes(ownSec)} min, so it also serves ${s.name.en} for now.`,
  };
}

function dropReason(s: ServiceInfo, w: Window, sp: ServicePressure): Bilingual {
  return {
    zh: `${s.name.zh}排队已缓解（${sp.waiting}人等候，预计等待约${minutes(sp.predictedWaitSec)}分钟），${w.label.zh}不再加办，回到本职业务。`,
    en: `${s.name.en} has eased (${sp.waiting} waiting, about ${minutes(sp.predictedWaitSec)} min expected); ${w.label.en} stops serving it and returns to its own services.`,
  };
}
