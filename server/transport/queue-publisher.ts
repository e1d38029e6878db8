/**
 * Publishes each hall's expected waits as one `hall:queue` message per room, at most once per
 * interval and only after something changed, so a queue change costs one message per connected
 * socket, never one per waiting ticket.
 *
 * The hall's own screens get every summary (`queueMs`). Citizens' phones, most of a hall's sockets,
 * get one at most every `phonesMs` (an expected wait that moves every second tells a citizen
 * nothing more); the latest summary always reaches them in the end, and their own ticket's events
 * still come at once through its ticket room.
 */
import type { HallEvent, QueueSummary } from "../../protocol/index.js";
import type { HallContext } from "./context.js";
import { hallSockets, rooms, type HallServer } from "./socket.js";

/** The hall's expected waits now (the balancer runner's, which follows the hall's events). */
export type Summarize = (hallId: string, now: number) => Promise<QueueSummary>;

export interface QueuePublisherOptions {
  /** Least time between two summaries of one hall to its screens, ms. */
  queueMs: number;
  /** Least time between two summaries of one hall to its trackers, ms. */
  phonesMs: number;
  /** A summary of every hall at least this often, changed or not: waits grow while nothing happens. */
  refreshMs?: number;
}

export class QueuePublisher {
  private pending = new Map<string, NodeJS.Timeout>();
  private last = new Map<string, number>();
  /** Trackers: when each hall's last summary went to them, and a trailing send when one is owed. */
  private phonesLast = new Map<string, number>();
  private phonesPending = new Map<string, NodeJS.Timeout>();
  /** The last summary of each hall, for sockets that connect between changes. */
  private latest = new Map<string, QueueSummary>();
  private stopped = false;
  private refresh: NodeJS.Timeout | null = null;

  constructor(
    private readonly io: HallServer,
    private readonly ctx: HallContext,
    private readonly summarize: Summarize,
    private readonly opts: QueuePublisherOptions,
  ) {
    this.refresh = setInterval(() => {
      for (const hallId of this.ctx.halls.keys()) if (!this.pending.has(hallId)) void this.publish(hallId);
    }, opts.refreshMs ?? 30_000);
    this.refresh.unref?.();
  }

  /** Listener for HallContext.onEvent. */
  readonly onEvent = (event: HallEvent): void => {
    if (this.stopped || this.pending.has(event.hallId)) return;
    const wait = Math.max(0, (this.last.get(event.hallId) ?? 0) + this.opts.queueMs - this.ctx.clock.now());
    this.pending.set(event.hallId, setTimeout(() => void this.publish(event.hallId), wait));
  };

  async publish(hallId: string): Promise<void> {
    this.pending.delete(hallId);
    this.last.set(hallId, this.ctx.clock.now());
    try {
      const summary = await this.summarize(hallId, this.ctx.clock.now());
      this.latest.set(hallId, summary);
      if (this.phonesDue(hallId)) {
        this.phonesLast.set(hallId, this.ctx.clock.now());
        hallSockets(this.io, hallId).to([rooms.queue(hallId), rooms.phones(hallId)]).emit("hall:queue", summary);
      } else {
        hallSockets(this.io, hallId).to(rooms.queue(hallId)).emit("hall:queue", summary);
        this.owePhones(hallId);
      }
    } catch (err) {
      this.ctx.log.warn(`queue summary for ${hallId} failed`, err);
    }
  }

  private phonesDue(hallId: string): boolean {
    return !this.phonesPending.has(hallId) && this.ctx.clock.now() - (this.phonesLast.get(hallId) ?? 0) >= this.opts.phonesMs;
  }

  /** Trackers missed a summary: send them the latest one when their interval is up. */
  private owePhones(hallId: string): void {
    if (this.stopped || this.phonesPending.has(hallId)) return;
    const wait = Math.max(0, (this.phonesLast.get(hallId) ?? 0) + this.opts.phonesMs - this.ctx.clock.now());
    const timer = setTimeout(() => {
      this.phonesPending.delete(hallId);
      this.phonesLast.set(hallId, this.ctx.clock.now());
      const summary = this.latest.get(hallId);
      if (summary) hallSockets(this.io, hallId).to(rooms.phones(hallId)).emit("hall:queue", summary);
    }, wait);
    this.phonesPending.set(hallId, timer);
  }

  /** The hall's latest summary, if one was made. */
  current(hallId: string): QueueSummary | undefined {
    return this.latest.get(hallId);
  }

  /** A socket just connected: give it the expected waits as of the hall's latest event. */
  async greet(hallId: string, send: (summary: QueueSummary) => void): Promise<void> {
    try {
      send(await this.summarize(hallId, this.ctx.clock.now()));
    } catch (err) {
      this.ctx.log.warn(`queue summary for ${hallId} failed`, err);
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.refresh) clearInterval(this.refresh);
    for (const t of [...this.pending.values(), ...this.phonesPending.values()]) clearTimeout(t);
    this.pending.clear();
    this.phonesPending.clear();
  }
}
