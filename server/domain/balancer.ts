/**
 * The balancer: which of its qualified services each window serves now.
 *
 * Each round it forecasts the hall (eta.ts: the real dispatch rule played forward with measured
 * rates and the day's bookings still to come) and reads every service's *pressure*: its worst
 * predicted wait (a ticket issued now, or the longest-waiting ticket's wait so far plus what is
 * left) divided by its target wait.
 *
 * - Add: a service at pressure ≥ `addAt` borrows one more window per round (at most
 *   `maxAddsPerRound`): among the open windows qualified for it and not serving it, the one whose
 *   own services are under the least pressure (and at least `helperGap` below). The service is
 *   appended to the window's list, so the window's primary service keeps its preference in
 *   dispatch.
 * - Fairness, the lender's own queue: a lending is judged *after* it. The hall is forecast again
 *   with the window also serving the borrowed service, and each service the window serves must
 *   then stay within `keepAt` × its target (or no worse than now); the next candidate is tried
 *   otherwise. The reason given says what the lender's own queue should expect afterwards.
 * - Fairness, the only window for a service (帮办代办, 办不成事): a citizen who comes while that
 *   window serves a borrowed ticket waits for the call to end, whatever the dispatch rule, so
 *   lending it always costs its service something. Its borrowed calls are held to a budget, the
 *   *borrowed delay*: the mean wait its borrowed calls of the last hour would have added for a
 *   citizen coming at a random moment (Σ call² ÷ 2 h, measured by HallBalancer), at most
 *   `soleDelay` × the service's target. It takes on a service only while nobody waits for its own
 *   one and the budget would still hold after a dwell time spent wholly on the borrowed service;
 *   it gives its borrowed services back once the budget is spent (after the dwell time), and at
 *   once, whatever the dwell time, when one of its own citizens waits (a recall), so that this
 *   citizen is its next call.
 * - Drop: a borrowed service (not one of the window's home services) goes back when the window's
 *   own services go over `keepAt` × target while the borrowed queue has eased (pressure ≤
 *   `dropAt`) and the windows that would still serve it can carry its load (measured walk-ins and
 *   the next hour's bookings) at no more than `dropLoad` utilisation. While its own queues are
 *   within target a window keeps what it serves: dispatch already calls its own citizens first
 *   when they wait relatively longer, and taking the service away would only leave the borrowed
 *   queue's next surge without it.
 * - Hysteresis: the gap between `addAt` and `keepAt`/`dropAt`, the load check, and a window keeps
 *   a serving set for at least `minDwellMs` (only a recall for a waiting citizen goes sooner). One
 *   change per window and per service per round.
 * - A change never interrupts a ticket in service: serving only decides a window's next call, and
 *   a drop waits while the window is calling or serving one of that service's tickets.
 *
 * Pure: every reason is a bilingual sentence a manager can read in the console.
 */
import type { Bilingual, HallSnapshot, ServiceInfo, Window } from "../../protocol/index.js";
import { forecast, type BookedArrival, type Forecast } from "./eta.js";
import { bookedPerSec, type RatesView } from "./rates.js";

export interface BalancerOptions {
  /** Pressure (predicted wait ÷ target) at which a service asks for another window. */
  addAt: number;
  /** A borrowed service goes back only once its pressure is at or under this. */
  dropAt: number;
  /** After a drop, the remaining windows must run the service at no more than this utilisation. */
  dropLoad: number;
  /** A helping window's own pressure must be at least this much lower than the service it helps. */
  helperGap: number;
  /** A window keeps its serving set at least this long (ms). */
  minDwellMs: number;
  /** Windows a service may borrow in one round. */
  maxAddsPerRound: number;
  /**
   * The lender's own services must stay at or under this pressure after a lending (or no higher
   * than before it); over it, the window takes back borrowed services that have eased.
   */
  keepAt: number;
  /**
   * The only open window qualified for a service may add to that service's mean wait, through
   * its borrowed calls, at most this share of the service's target (see the borrowed delay).
   */
  soleDelay: number;
  /** Candidate windows checked by a what-if forecast per add, best first. */
  whatIfTries: number;
}

/** The borrowed delay looks back this far (seconds). */
export const BORROWED_DELAY_WINDOW_SEC = 3600;

export const DEFAULT_BALANCER_OPTIONS: BalancerOptions = { addAt: 0.05, dropAt: 0.05, dropLoad: 0.5, helperGap: 0.05, minDwellMs: 10 * 60_000, maxAddsPerRound: 2, keepAt: 1, soleDelay: 0.07, whatIfTries: 3 };

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
  /**
   * Per window, its borrowed delay (seconds): the mean wait its calls of borrowed services in the
   * last hour would have added for a citizen coming at a random moment (HallBalancer measures it).
   * Missing means none.
   */
  borrowedDelaySec?: Record<string, number>;
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
  /** "recall": the window gives borrowed services back because a citizen of a service only it can serve waits. */
  kind: "add" | "drop" | "recall";
  /** The service added or dropped (for a recall, the first of those given back). */
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

  const forecastOptions = { primaryPreference: input.primaryPreference ?? 0.2, booked };
  /** Services in w's list that no other open window is qualified for. */
  const soleOn = (w: Window) => serving.get(w.id)!.filter((x) => open.every((o) => o.id === w.id || !o.qualified.includes(x)));
  const borrowedDelay = (w: Window) => input.borrowedDelaySec?.[w.id] ?? 0;
  /** The borrowed delay the window's sole services allow (seconds): the strictest of them. */
  const soleBudget = (w: Window) => Math.min(Infinity, ...soleOn(w).map((x) => opts.soleDelay * p[x]!.targetSec));

  // Give-backs: a window some service cannot do without returns its borrowed services, at once when
  // a citizen of that service waits (recall), after the dwell time once its budget is spent.
  for (const w of open) {
    const sole = soleOn(w);
    if (!sole.length) continue;
    const home = homeOf(w);
    const current = serving.get(w.id)!;
    const back = current.filter((x) => !home.includes(x) && !sole.includes(x));
    if (!back.length) continue;
    const waitingFor = sole.find((x) => (p[x]?.waiting ?? 0) > 0);
    const spent = borrowedDelay(w) > soleBudget(w) && rested(w);
    if (!waitingFor && !spent) continue;
    const next = current.filter((x) => !back.includes(x));
    serving.set(w.id, next);
    changedWindows.add(w.id);
    for (const x of back) changedServices.add(x);
    const reason = waitingFor ? recallReason(back.map((x) => services.get(x)!), w, services.get(waitingFor)!, p[waitingFor]!) : budgetReason(back.map((x) => services.get(x)!), w, sole.map((x) => services.get(x)!), borrowedDelay(w));
    changes.push({ windowId: w.id, kind: "recall", serviceId: back[0]!, from: current, serving: next, reason });
  }

  // Adds, the most pressed service first.
  const pressed = snapshot.services.filter((s) => p[s.id]!.pressure >= opts.addAt).sort((a, b) => p[b.id]!.pressure - p[a.id]!.pressure);
  for (const s of pressed) {
    for (let k = 0; k < opts.maxAddsPerRound; k++) {
      const need = p[s.id]!.pressure;
      // A window some service cannot do without lends only while nobody waits for that service and
      // its borrowed delay stays within budget after a dwell time spent wholly on s (a citizen coming
      // then waits on average half a call of s; a call's spread is taken as exponential, so Σ call² ≈ 2 × time × call).
      const soleMaySpare = (w: Window) => soleOn(w).every((x) => (p[x]?.waiting ?? 0) === 0) && borrowedDelay(w) + (opts.minDwellMs / 1000) * rates.occupancySec(s.id) / BORROWED_DELAY_WINDOW_SEC <= soleBudget(w);
      const candidates = open
        .filter((w) => !changedWindows.has(w.id) && rested(w) && w.qualified.includes(s.id) && !serving.get(w.id)!.includes(s.id) && ownPressure(w) + opts.helperGap <= need && soleMaySpare(w))
        .sort((a, b) => ownPressure(a) - ownPressure(b) || serving.get(a.id)!.length - serving.get(b.id)!.length);
      let lent: { w: Window; after: Record<string, ServicePressure> } | null = null;
      for (const w of candidates.slice(0, opts.whatIfTries)) {
        const own = serving.get(w.id)!;
        const whatIf = Object.fromEntries([...serving].map(([id, list]) => [id, id === w.id ? [...list, s.id] : list]));
        const after = pressures(snapshot, forecast(snapshot, rates, now, { ...forecastOptions, serving: whatIf }), now);
        if (own.every((x) => after[x]!.pressure <= Math.max(opts.keepAt, p[x]!.pressure))) {
          lent = { w, after };
          break;
        }
      }
      if (!lent) break;
      const best = lent.w;
      const from = serving.get(best.id)!;
      const next = [...from, s.id];
      serving.set(best.id, next);
      changedWindows.add(best.id);
      changedServices.add(s.id);
      changes.push({ windowId: best.id, kind: "add", serviceId: s.id, from, serving: next, reason: addReason(s, best, p[s.id]!, from.map((x) => ({ service: services.get(x)!, after: lent.after[x]! }))) });
    }
  }

  // Drops: the window's own queues are over target and a borrowed one has eased.
  for (const w of open) {
    if (changedWindows.has(w.id) || !rested(w)) continue;
    const home = homeOf(w);
    const current = serving.get(w.id)!;
    const busyWith = w.ticketId ? byTicket.get(w.ticketId)?.serviceId : undefined;
    const own = current.filter((x) => home.includes(x)).reduce<ServicePressure | null>((a, x) => (p[x] && (!a || p[x]!.pressure > a.pressure) ? p[x]! : a), null);
    if (!own || own.pressure < opts.keepAt || current.length <= 1) continue;
    const ownService = services.get(current.find((x) => p[x] === own)!)!;
    for (const sid of current) {
      if (home.includes(sid) || changedServices.has(sid) || sid === busyWith) continue;
      const sp = p[sid];
      if (!sp || sp.pressure > opts.dropAt) continue;
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
      changes.push({ windowId: w.id, kind: "drop", serviceId: sid, from: current, serving: next, reason: dropReason(services.get(sid)!, w, sp, ownService, own) });
      break;
    }
  }
  return { pressure: p, changes, forecast: f };
}

const minutes = (sec: number) => Math.max(0, Math.round(sec / 60));

/** The lender's own services after the lending: the one expected to wait longest relative to its target. */
function worstOwn(own: { service: ServiceInfo; after: ServicePressure }[]): { service: ServiceInfo; after: ServicePressure } {
  return own.reduce((a, b) => (b.after.pressure > a.after.pressure ? b : a));
}

function addReason(s: ServiceInfo, w: Window, sp: ServicePressure, own: { service: ServiceInfo; after: ServicePressure }[]): Bilingual {
  const o = worstOwn(own);
  const names = { zh: own.map((x) => x.service.name.zh).join("、"), en: own.map((x) => x.service.name.en).join(", ") };
  const within = o.after.predictedWaitSec <= o.after.targetSec;
  return {
    zh: `${s.name.zh}预计等待约${minutes(sp.predictedWaitSec)}分钟（目标${s.targetWaitMin}分钟，${sp.waiting}人等候）；${w.label.zh}本身业务（${names.zh}）加办后预计等待约${minutes(o.after.predictedWaitSec)}分钟（目标${o.service.targetWaitMin}分钟），${within ? "借出后仍在目标内" : "加办不会让它等得更久"}，临时加办${s.name.zh}。`,
    en: `${s.name.en}: expected wait about ${minutes(sp.predictedWaitSec)} min against a ${s.targetWaitMin} min target (${sp.waiting} waiting); ${w.label.en}'s own queues (${names.en}) would expect about ${minutes(o.after.predictedWaitSec)} min against a ${o.service.targetWaitMin} min target with it, ${within ? "still within target" : "no longer than without it"}, so it also serves ${s.name.en} for now.`,
  };
}

function budgetReason(back: ServiceInfo[], w: Window, sole: ServiceInfo[], delaySec: number): Bilingual {
  return {
    zh: `${w.label.zh}是唯一能办理${sole.map((x) => x.name.zh).join("、")}的窗口，近一小时加办已让其平均多等约${Math.max(1, Math.round(delaySec / 60))}分钟，暂停加办${back.map((b) => b.name.zh).join("、")}，回到本职业务。`,
    en: `${w.label.en} is the only window for ${sole.map((x) => x.name.en).join(", ")}, and its other calls of the last hour would have kept those citizens waiting about ${Math.max(1, Math.round(delaySec / 60))} min longer: it stops serving ${back.map((b) => b.name.en).join(", ")} and returns to its own services.`,
  };
}

function recallReason(back: ServiceInfo[], w: Window, x: ServiceInfo, xp: ServicePressure): Bilingual {
  return {
    zh: `${x.name.zh}有${xp.waiting}人等候，只有${w.label.zh}能办理，${w.label.zh}暂停加办${back.map((b) => b.name.zh).join("、")}，下一位先办${x.name.zh}。`,
    en: `${xp.waiting} waiting for ${x.name.en}, which only ${w.label.en} can serve: ${w.label.en} stops serving ${back.map((b) => b.name.en).join(", ")} and calls ${x.name.en} next.`,
  };
}

function dropReason(s: ServiceInfo, w: Window, sp: ServicePressure, own: ServiceInfo, op: ServicePressure): Bilingual {
  return {
    zh: `${w.label.zh}本身业务${own.name.zh}预计等待约${minutes(op.predictedWaitSec)}分钟，${op.pressure >= 1 ? "已超过" : "已接近"}目标${own.targetWaitMin}分钟；${s.name.zh}排队已缓解（${sp.waiting}人等候，预计等待约${minutes(sp.predictedWaitSec)}分钟），${w.label.zh}不再加办，回到本职业务。`,
    en: `${w.label.en}'s own ${own.name.en} expects about ${minutes(op.predictedWaitSec)} min, ${op.pressure >= 1 ? "over" : "close to"} its ${own.targetWaitMin} min target, and ${s.name.en} has eased (${sp.waiting} waiting, about ${minutes(sp.predictedWaitSec)} min expected): ${w.label.en} stops serving it and returns to its own services.`,
  };
}
