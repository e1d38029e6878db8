/**
 * The balancer at run time, for one hall (no sockets): every `intervalMs`, and soon after a queue
 * change (`notify`), it brings its HallFollower up to date (which feeds the hall's new events to the
 * rate estimators), takes the lock, and runs one round of the HallBalancer under the hall's mode:
 *
 * - off: nothing; suggest: `balancer:suggest` (the manager approves with `balancer:decide`, which
 *   applies the change in the same step); auto: `balancer:apply` with its reason.
 *
 * Every node may run a BalancerRunner per hall: all of them keep measuring (so each can publish
 * ETAs with `summarize`), but only the holder of the hall's lock acts. A change never interrupts
 * a ticket in service: serving lists only decide a window's next call.
 */
import type { HallEvent, HallSnapshot, QueueSummary } from "../../protocol/index.js";
import type { BalancerOptions, BalancerPlan } from "../domain/balancer.js";
import { systemClock, type Clock } from "../domain/clock.js";
import type { StoreCommand } from "../domain/hall-commands.js";
import type { HallConfig } from "../domain/config.js";
import { queueSummary } from "../domain/eta.js";
import { serviceInfos } from "../domain/hall.js";
import { bookedArrivals, type DayBooking, type RateOptions } from "../domain/rates.js";
import type { BookedArrival } from "../domain/eta.js";
import { businessDate } from "../domain/clock.js";
import { staffingAdvice, type StaffingAdvice } from "../domain/staffing.js";
import { HallFollower } from "../store/hall-follower.js";
import type { HallStore } from "../store/types.js";
import { HallBalancer, type Round } from "../domain/hall-balancer.js";
import type { HallLock } from "./lock.js";

const SUMMARY_REUSE_MS = 1_000;
/** Today's bookings are read again at most this often: made or cancelled online, they are no hall events. */
const BOOKINGS_REREAD_MS = 30_000;

export interface BalancerRunnerOptions {
  store: HallStore;
  config: HallConfig;
  /**
   * The hall's config in force now (the server's `ctx.halls`, which live hours replace): the
   * summaries' availability and notices read it. Defaults to `config`.
   */
  configNow?: () => HallConfig;
  /** Who may act for the hall; LocalHallLock for one process, RedisHallLock for several nodes. */
  lock: HallLock;
  clock?: Clock;
  /** Regular rounds, ms. */
  intervalMs?: number;
  /** After a queue change, a round runs this soon (and no more often). */
  debounceMs?: number;
  /** Lock lease; renewed every round, so a dead node's hall moves on after this long. */
  lockTtlMs?: number;
  balancer?: Partial<BalancerOptions>;
  rates?: Partial<RateOptions>;
  /**
   * Runs one of the balancer's commands. The server passes its own command path so that the
   * resulting events are published like any other; by default the store runs it directly.
   */
  execute?: (hallId: string, cmd: StoreCommand, now: number) => Promise<HallEvent>;
  /**
   * The hall's bookings of a business day (the records'), so that the forecast, the staffing
   * advice and the balancer count the booked citizens still to come. Without it they count none.
   */
  bookingsOn?: (hallId: string, date: string) => Promise<readonly DayBooking[]>;
  /** Told about failures of a round (the runner itself keeps going). */
  onError?: (err: unknown) => void;
  /** Told about every round this node ran while holding the lock (for logs and metrics). */
  onRound?: (round: Round, events: HallEvent[]) => void;
}

export class BalancerRunner {
  readonly hallId: string;
  readonly brain: HallBalancer;
  readonly follower: HallFollower;
  private readonly store: HallStore;
  private readonly lock: HallLock;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly debounceMs: number;
  private readonly lockTtlMs: number;
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private running: Promise<Round | null> | null = null;
  private lastRoundAt = 0;

  constructor(private readonly opts: BalancerRunnerOptions) {
    this.hallId = opts.config.id;
    this.store = opts.store;
    this.lock = opts.lock;
    this.clock = opts.clock ?? systemClock;
    this.intervalMs = opts.intervalMs ?? 15_000;
    this.debounceMs = opts.debounceMs ?? 2_000;
    this.lockTtlMs = opts.lockTtlMs ?? this.intervalMs * 3;
    this.brain = new HallBalancer(opts.config, { balancer: opts.balancer, rates: opts.rates });
    // Rates count from the first logged event, which the follower replays to them on its first read.
    this.brain.begin({ services: serviceInfos(opts.config), priorityClasses: opts.config.priorityClasses });
    this.follower = new HallFollower(opts.store, this.hallId);
    this.follower.onEvent((e) => this.brain.observe(e));
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref?.();
    void this.tick();
  }

  /** Stop the timers and wait for a round in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = this.soon = null;
    await this.running;
  }

  /** A queue changed (wire to HallContext.onEvent): run a round soon, at most once per debounce. */
  readonly notify = (event?: HallEvent): void => {
    if (event && event.hallId !== this.hallId) return;
    if (!this.timer || this.soon) return;
    const wait = Math.max(0, this.lastRoundAt + this.debounceMs - this.clock.now());
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.tick();
    }, wait);
    this.soon.unref?.();
  };

  /** One round now: measure, and act if this node holds the hall. Resolves with what it did (null when not the holder). */
  tick(): Promise<Round | null> {
    if (this.running) return this.running;
    this.running = this.round()
      .catch((err) => {
        this.opts.onError?.(err);
        return null;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private lastSummary: { summary: QueueSummary; at: number; config: HallConfig } | null = null;

  /**
   * Expected waits for the hall now (the transport's `hall:queue` summarizer), as of the hall's
   * latest event. Within a second of the last one and with no new event or config, that one is
   * reused, so a burst of screens connecting costs one forecast.
   */
  readonly summarize = async (now: number): Promise<QueueSummary> => {
    const snapshot = await this.current();
    const config = this.opts.configNow?.() ?? this.opts.config;
    const last = this.lastSummary;
    if (last && last.config === config && last.summary.seq === snapshot.seq && now >= last.at && now - last.at < SUMMARY_REUSE_MS) return last.summary;
    const summary = queueSummary(config, snapshot, this.brain.rates.at(now), now, { primaryPreference: config.dispatch.primaryPreference, booked: this.booked(config, snapshot, now) });
    this.lastSummary = { summary, at: now, config };
    return summary;
  };

  /** Staffing advice for the manager console, now. */
  async staffing(now: number): Promise<StaffingAdvice[]> {
    const snapshot = await this.current();
    return staffingAdvice(snapshot, this.brain.rates.at(now), this.booked(this.opts.configNow?.() ?? this.opts.config, snapshot, now), now);
  }

  /** What the balancer would change now and why, whatever the mode (for the console). */
  plan(snapshot: HallSnapshot, now: number): BalancerPlan {
    return this.brain.plan(snapshot, now, this.booked(this.opts.configNow?.() ?? this.opts.config, snapshot, now));
  }

  private bookings: { date: string; at: number; list: readonly DayBooking[] } | null = null;
  private reading = false;

  /**
   * The booked citizens still to come today, as the forecast takes them. The day's bookings are
   * read in the background, at most every BOOKINGS_REREAD_MS: a forecast never waits for the
   * records (away, it uses what it last read). A booking checked in since is counted once, as
   * the ticket it became (eta.ts).
   */
  private booked(config: HallConfig, snapshot: HallSnapshot, now: number): BookedArrival[] {
    const read = this.opts.bookingsOn;
    if (!read) return [];
    const date = businessDate(now, config.timezone);
    const cur = this.bookings;
    if (!this.reading && (!cur || cur.date !== date || now - cur.at >= BOOKINGS_REREAD_MS)) {
      this.reading = true;
      read(this.hallId, date)
        .then((list) => void (this.bookings = { date, at: now, list }))
        .catch((err: unknown) => this.opts.onError?.(err))
        .finally(() => void (this.reading = false));
    }
    const list = cur && cur.date === date ? cur.list : [];
    return list.length ? bookedArrivals(config.booking, list, now, this.brain.rates.checkInOffsets()) : [];
  }

  private async round(): Promise<Round | null> {
    const now = this.clock.now();
    this.lastRoundAt = now;
    const snapshot = await this.current();
    if (!(await this.lock.tryAcquire(this.hallId, this.lockTtlMs))) return null;
    const round = this.brain.round(snapshot, now, this.booked(this.opts.configNow?.() ?? this.opts.config, snapshot, now));
    const events: HallEvent[] = [];
    for (const cmd of round.commands) {
      try {
        const e = this.opts.execute ? await this.opts.execute(this.hallId, cmd, now) : (await this.store.execute(this.hallId, cmd, { now, by: "balancer", staffId: null })).event;
        this.brain.observe(e);
        events.push(e);
      } catch (err) {
        // A window changed under us (closed, requalified): skip it, the next round sees the new state.
        this.opts.onError?.(err);
      }
    }
    this.opts.onRound?.(round, events);
    return round;
  }

  /** The hall now, with the rates brought up to date (the follower feeds them every event it reads). */
  current(): Promise<HallSnapshot> {
    return this.follower.current();
  }
}
