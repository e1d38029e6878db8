/**
 * One hall's balancer brain, without I/O: it observes the hall's events (rates, when each
 * window's serving set last changed) and, given a snapshot, says which store commands a round
 * should run. The BalancerRunner (server) and the simulator both drive this same object, so the
 * simulator measures exactly what production does.
 */
import type { HallEvent, HallSnapshot } from "../../protocol/index.js";
import { BORROWED_DELAY_WINDOW_SEC, proposeChanges, type BalancerOptions, type BalancerPlan } from "./balancer.js";
import type { BookedArrival } from "./eta.js";
import type { StoreCommand } from "./hall-commands.js";
import { initialServing, type HallConfig } from "./config.js";
import { RateEstimator, type RateOptions } from "./rates.js";

export interface HallBalancerOptions {
  balancer?: Partial<BalancerOptions>;
  rates?: Partial<RateOptions>;
}

export interface Round {
  plan: BalancerPlan | null;
  commands: StoreCommand[];
}

export class HallBalancer {
  readonly rates: RateEstimator;
  /** When each window's serving set last changed (by the balancer or a manager). */
  readonly lastChangeAt: Record<string, number> = {};
  private readonly home: Record<string, string[]>;
  /** Per window, its calls of services outside its home ones that ended within the last hour or go on (end null). */
  private readonly borrowedCalls = new Map<string, { ticketId: string; start: number; end: number | null }[]>();

  constructor(
    readonly config: HallConfig,
    private readonly options: HallBalancerOptions = {},
  ) {
    this.rates = new RateEstimator(options.rates);
    this.home = Object.fromEntries(config.windows.map((w) => [w.id, initialServing(w)]));
  }

  /** Take configured service times and priority ranks (a snapshot has them); rates count from `since`, or from the first event. */
  begin(snapshot: Pick<HallSnapshot, "services" | "priorityClasses">, since?: number): void {
    this.rates.configure(snapshot, since);
  }

  observe(e: HallEvent): void {
    if (e.type === "window:changed" && e.change === "servingChanged") this.lastChangeAt[e.window.id] = e.at;
    if (e.type === "balancer:suggestionClosed" && e.window) this.lastChangeAt[e.window.id] = e.at;
    this.followCalls(e);
    this.rates.observe(e);
  }

  /** A call ends when its window holds another ticket or none (finished, no-show, parked, transferred…). */
  private followCalls(e: HallEvent): void {
    const w = "window" in e ? e.window : null;
    if (!w) return;
    const calls = this.borrowedCalls.get(w.id) ?? [];
    const last = calls[calls.length - 1];
    if (last && last.end === null && w.ticketId !== last.ticketId) last.end = e.at;
    if (e.type === "ticket:called" && !(last && last.end === null) && !(this.home[w.id] ?? []).includes(e.ticket.serviceId)) calls.push({ ticketId: e.ticket.id, start: e.at, end: null });
    const since = e.at - BORROWED_DELAY_WINDOW_SEC * 1000;
    while (calls.length && calls[0]!.end !== null && calls[0]!.end < since) calls.shift();
    this.borrowedCalls.set(w.id, calls);
  }

  /**
   * Per window, the mean wait (seconds) its borrowed calls of the last hour would have added for a
   * citizen coming at a random moment and waiting for the call to end: Σ (call within the hour)² ÷ 2 h.
   */
  borrowedDelaySec(now: number): Record<string, number> {
    const out: Record<string, number> = {};
    const since = now - BORROWED_DELAY_WINDOW_SEC * 1000;
    for (const [id, calls] of this.borrowedCalls) {
      let sum = 0;
      for (const c of calls) {
        const sec = (Math.min(c.end ?? now, now) - Math.max(c.start, since)) / 1000;
        if (sec > 0) sum += sec * sec;
      }
      if (sum > 0) out[id] = sum / (2 * BORROWED_DELAY_WINDOW_SEC);
    }
    return out;
  }

  /**
   * The plan for this moment, whatever the mode (the console shows it even when off). `booked`:
   * the day's bookings still to come (rates.ts `bookedArrivals` of the bookings store's day).
   */
  plan(snapshot: HallSnapshot, now: number, booked: readonly BookedArrival[] = []): BalancerPlan {
    return proposeChanges({
      snapshot,
      rates: this.rates.at(now),
      now,
      booked,
      lastChangeAt: this.lastChangeAt,
      home: this.home,
      borrowedDelaySec: this.borrowedDelaySec(now),
      primaryPreference: this.config.dispatch.primaryPreference,
      options: this.options.balancer,
    });
  }

  /**
   * The commands of one round under the hall's current mode: `auto` applies each change
   * (balancer:apply, reason included), `suggest` proposes it (balancer:suggest) unless the same
   * suggestion is already open for that window, `off` does nothing.
   */
  round(snapshot: HallSnapshot, now: number, booked: readonly BookedArrival[] = []): Round {
    const mode = snapshot.balancer.mode;
    if (mode === "off") return { plan: null, commands: [] };
    const plan = this.plan(snapshot, now, booked);
    const commands: StoreCommand[] = [];
    for (const c of plan.changes) {
      const commandId = `balancer:${snapshot.hallId}:${c.windowId}:${now}`;
      if (mode === "auto") {
        commands.push({ name: "balancer:apply", payload: { commandId, windowId: c.windowId, serving: c.serving, reason: c.reason } });
      } else {
        const open = snapshot.balancer.suggestions.find((s) => s.windowId === c.windowId);
        if (open && sameList(open.serving, c.serving)) continue;
        commands.push({ name: "balancer:suggest", payload: { commandId, suggestionId: `s-${now.toString(36)}-${c.windowId}`, windowId: c.windowId, serving: c.serving, reason: c.reason } });
      }
    }
    return { plan, commands };
  }
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
