/**
 * The discrete-event simulator. One run plays one day of a scenario on a virtual clock through
 * the REAL hall: the embedded MemoryStore executes every command (issue, call next, start,
 * finish, no-show, balancer:apply) with the domain's own dispatch rule, the balancer is the
 * production HallBalancer, and every ETA shown comes from the production predictor fed by the
 * production rate estimator. There is no second model of the hall here: the simulator only
 * decides when citizens arrive, how long they take, and whether they show up.
 *
 * Staff behave simply: a window is open all day, calls next as soon as it is free, starts a
 * present citizen at once, and marks a no-show `noShowAfterSec` after calling one who is absent.
 * Random draws come from per-run seeded streams, and arrivals, service times and no-shows are
 * drawn before the day starts, so every policy faces the same citizens (common random numbers).
 */
import { HallCallError, type HallEvent, type HallSnapshot } from "../../protocol/index.js";
import { HallBalancer } from "../domain/hall-balancer.js";
import type { BalancerOptions } from "../domain/balancer.js";
import { instantOf, ManualClock } from "../domain/clock.js";
import type { Actor, StoreCommand } from "../domain/hall-commands.js";
import { etaFor, naiveEtaSec } from "../domain/eta.js";
import { MemoryStore } from "../store/memory/memory-store.js";
import { exponential, lognormal, mixSeed, mulberry32, pickShare, type Rng } from "./rng.js";
import { hallConfigFor, type Policy, type Scenario } from "./scenario.js";

export interface SimOptions {
  /** Seconds between balancer rounds (dynamic policy). */
  balancerEverySec: number;
  /** A called citizen who does not come is marked no-show after this long. */
  noShowAfterSec: number;
  /** Compute the ETA shown to each new ticket (the costliest part; tests may turn it off). */
  eta: boolean;
  /** Balancer tuning (defaults: DEFAULT_BALANCER_OPTIONS, as in production). */
  balancer?: Partial<BalancerOptions>;
  /** Sees every hall event the run produces (tests use it to audit the balancer). */
  onEvent?: (e: HallEvent) => void;
}

export const DEFAULT_SIM_OPTIONS: SimOptions = { balancerEverySec: 30, noShowAfterSec: 120, eta: true };

/** One citizen's visit as it happened. */
export interface TicketRecord {
  serviceId: string;
  priority: string;
  /** ms since the day's opening. */
  issuedAt: number;
  calledAt: number;
  waitSec: number;
  noShow: boolean;
  /** ETA shown at issue (HallCall's predictor) and the naive one, seconds; null when not computed. */
  etaSec: number | null;
  naiveSec: number | null;
}

export interface RunResult {
  policy: Policy;
  seed: number;
  tickets: TicketRecord[];
  served: number;
  noShows: number;
  /** Serving-set changes the balancer made. */
  balancerChanges: number;
  /** ms from opening until the last citizen left. */
  dayLengthMs: number;
}

interface Arrival {
  at: number;
  serviceId: string;
  priority: string;
  serviceSec: number;
  noShow: boolean;
}

/** Everybody who will come on one simulated day, drawn from the run's own seed. */
export function drawArrivals(sc: Scenario, seed: number, start: number): Arrival[] {
  const out: Arrival[] = [];
  const openMin = minutesOf(sc.open);
  sc.services.forEach((s, si) => {
    // Separate streams per service and purpose keep draws independent of one another.
    const times = mulberry32(mixSeed(seed, si, 1));
    const attrs = mulberry32(mixSeed(seed, si, 2));
    for (const seg of s.arrivals) {
      if (seg.perHour <= 0) continue;
      let t = (minutesOf(seg.from) - openMin) * 60;
      const end = (minutesOf(seg.to) - openMin) * 60;
      for (;;) {
        t += exponential(times, 3600 / seg.perHour);
        if (t >= end) break;
        out.push({
          at: start + Math.round(t * 1000),
          serviceId: s.id,
          priority: pickShare(attrs, sc.priorityShare, "normal"),
          serviceSec: drawService(attrs, s.serviceMin) * 60,
          noShow: attrs() < sc.noShowRate,
        });
      }
    }
  });
  return out.sort((a, b) => a.at - b.at || (a.serviceId < b.serviceId ? -1 : 1));
}

function drawService(rng: Rng, t: Scenario["services"][number]["serviceMin"]): number {
  return t.dist === "exponential" ? exponential(rng, t.mean) : lognormal(rng, t.mean, t.cv);
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** A binary min-heap of timed actions; ties run in scheduling order. */
class Agenda {
  private heap: { at: number; n: number; run: () => void }[] = [];
  private n = 0;
  get size(): number {
    return this.heap.length;
  }
  push(at: number, run: () => void): void {
    const h = this.heap;
    h.push({ at, n: this.n++, run });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): { at: number; run: () => void } | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
  private less(a: { at: number; n: number }, b: { at: number; n: number }): boolean {
    return a.at < b.at || (a.at === b.at && a.n < b.n);
  }
}

/** Simulate one day of `sc` under `policy` with the run's `seed`. */
export function simulateDay(sc: Scenario, policy: Policy, seed: number, options: Partial<SimOptions> = {}): RunResult {
  const opts = { ...DEFAULT_SIM_OPTIONS, ...options };
  const config = hallConfigFor(sc, policy);
  const hallId = config.id;
  const start = instantOf(sc.date, sc.open, sc.timezone);
  const clock = new ManualClock(start);
  const store = new MemoryStore();
  store.loadHallSync(config, start);
  const brain = new HallBalancer(config, options.balancer ? { balancer: options.balancer } : {});
  const meanServiceSec = new Map(sc.services.map((s) => [s.id, s.serviceMin.mean * 60]));
  const arrivals = drawArrivals(sc, seed, start);
  const byTicket = new Map<string, Arrival>();
  const records = new Map<string, TicketRecord>();
  const agenda = new Agenda();
  const idleSince = new Map<string, number>();
  let commandN = 0;
  let ticketN = 0;
  let served = 0;
  let noShows = 0;
  let changes = 0;
  let lastAt = start;
  let pendingArrivals = arrivals.length;

  const exec = (cmd: StoreCommand, by: Actor, newTicketId?: string): HallEvent => {
    const payload = cmd.payload as { commandId?: string };
    if (!payload.commandId) payload.commandId = `sim-${String(++commandN).padStart(8, "0")}`;
    const { event, committed } = store.executeSync(hallId, cmd, { now: clock.now(), by, staffId: null, newTicketId });
    for (const e of committed) {
      brain.observe(e);
      opts.onEvent?.(e);
    }
    return event;
  };
  const snapshot = (): HallSnapshot => store.snapshotSync(hallId);

  /** A free window calls next; returns whether it got someone. */
  const callNext = (windowId: string): boolean => {
    let e: HallEvent;
    try {
      e = exec({ name: "window:callNext", payload: { windowId } as never }, "staff");
    } catch (err) {
      if (err instanceof HallCallError && err.code === "QUEUE_EMPTY") {
        if (!idleSince.has(windowId)) idleSince.set(windowId, clock.now());
        return false;
      }
      throw err;
    }
    idleSince.delete(windowId);
    if (e.type !== "ticket:called") return false;
    const a = byTicket.get(e.ticket.id)!;
    const rec = records.get(e.ticket.id)!;
    rec.calledAt = clock.now() - start;
    rec.waitSec = e.waitSec;
    if (a.noShow) {
      rec.noShow = true;
      agenda.push(clock.now() + opts.noShowAfterSec * 1000, () => {
        exec({ name: "ticket:noShow", payload: { windowId } as never }, "staff");
        noShows++;
        callNext(windowId);
      });
    } else {
      exec({ name: "ticket:start", payload: { windowId } as never }, "staff");
      agenda.push(clock.now() + Math.max(1000, Math.round(a.serviceSec * 1000)), () => {
        exec({ name: "ticket:finish", payload: { windowId } as never }, "staff");
        served++;
        callNext(windowId);
      });
    }
    return true;
  };

  /** Idle windows that could take `serviceId` (or any, when null) call, longest idle first. */
  const wakeIdle = (serviceId: string | null, onlyOne: boolean) => {
    const s = snapshot();
    const idle = s.windows
      .filter((w) => w.state === "open" && !w.ticketId && (serviceId === null || w.serving.includes(serviceId)))
      .sort((a, b) => (idleSince.get(a.id) ?? 0) - (idleSince.get(b.id) ?? 0));
    for (const w of idle) if (callNext(w.id) && onlyOne) return;
  };

  // Open every window (all staffed the whole day).
  for (const w of config.windows) exec({ name: "window:open", payload: { windowId: w.id } as never }, "staff");
  brain.begin(snapshot(), start);

  for (const a of arrivals) {
    agenda.push(a.at, () => {
      pendingArrivals--;
      const id = `t${String(++ticketN).padStart(6, "0")}`;
      byTicket.set(id, a);
      exec({ name: "ticket:issue", payload: { serviceId: a.serviceId, priority: a.priority, channel: "kiosk", then: [] } as never }, "kiosk", id);
      const rec: TicketRecord = { serviceId: a.serviceId, priority: a.priority, issuedAt: clock.now() - start, calledAt: -1, waitSec: -1, noShow: false, etaSec: null, naiveSec: null };
      records.set(id, rec);
      if (opts.eta) {
        const s = snapshot();
        const now = clock.now();
        rec.etaSec = etaFor(s, brain.rates.at(now), now, id, { primaryPreference: config.dispatch.primaryPreference });
        rec.naiveSec = naiveEtaSec(s, id, meanServiceSec.get(a.serviceId)!);
      }
      wakeIdle(a.serviceId, true);
    });
  }

  if (policy === "dynamic") {
    const round = () => {
      const now = clock.now();
      const s = snapshot();
      const { commands } = brain.round(s, now);
      for (const cmd of commands) {
        exec(cmd, "balancer");
        changes++;
      }
      if (commands.length) wakeIdle(null, false);
      const alive = pendingArrivals > 0 || snapshot().tickets.length > 0;
      if (alive) agenda.push(now + opts.balancerEverySec * 1000, round);
    };
    agenda.push(start + opts.balancerEverySec * 1000, round);
  }

  for (let ev = agenda.pop(); ev; ev = agenda.pop()) {
    clock.set(ev.at);
    lastAt = ev.at;
    ev.run();
  }

  return {
    policy,
    seed,
    tickets: [...records.values()],
    served,
    noShows,
    balancerChanges: changes,
    dayLengthMs: lastAt - start,
  };
}
