/**
 * Publishes each hall's expected waits as one `hall:queue` message to the hall's queue room,
 * at most once per interval and only after something changed, so a queue change costs one
 * message per connected socket, never one per waiting ticket.
 */
import type { HallEvent, HallSnapshot, QueueSummary } from "../../protocol/index.js";
import type { HallContext } from "./context.js";
import { rooms, type HallServer } from "./socket.js";

export type Summarize = (snapshot: HallSnapshot, now: number) => QueueSummary;

export class QueuePublisher {
  private pending = new Map<string, NodeJS.Timeout>();
  private last = new Map<string, number>();
  /** The last summary of each hall, for sockets that connect between changes. */
  private latest = new Map<string, QueueSummary>();
  private stopped = false;

  constructor(
    private readonly io: HallServer,
    private readonly ctx: HallContext,
    private readonly summarize: Summarize,
    private readonly intervalMs: number,
  ) {}

  /** Listener for HallContext.onEvent. */
  readonly onEvent = (event: HallEvent): void => {
    if (this.stopped || this.pending.has(event.hallId)) return;
    const wait = Math.max(0, (this.last.get(event.hallId) ?? 0) + this.intervalMs - Date.now());
    this.pending.set(event.hallId, setTimeout(() => void this.publish(event.hallId), wait));
  };

  async publish(hallId: string): Promise<void> {
    this.pending.delete(hallId);
    this.last.set(hallId, Date.now());
    try {
      const now = this.ctx.clock.now();
      const summary = this.summarize(await this.ctx.store.snapshot(hallId, now), now);
      this.latest.set(hallId, summary);
      this.io.to(rooms.queue(hallId)).emit("hall:queue", summary);
    } catch (err) {
      this.ctx.log.warn(`queue summary for ${hallId} failed`, err);
    }
  }

  /** The hall's latest summary, if one was made. */
  current(hallId: string): QueueSummary | undefined {
    return this.latest.get(hallId);
  }

  /** A socket just connected: give it the current expected waits without waiting for a change. */
  async greet(hallId: string, send: (summary: QueueSummary) => void): Promise<void> {
    const known = this.latest.get(hallId);
    if (known) return send(known);
    await this.publish(hallId);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }
}
