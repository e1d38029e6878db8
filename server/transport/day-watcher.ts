/**
 * At a hall's local midnight the store starts a new business day on its next read. This watcher
 * makes that read happen and pushes the `hall:dayStarted` event to the hall's screens, so a board
 * does not show yesterday's calls until the first ticket of the morning. With several nodes each
 * one pushes it; clients ignore the copies (same seq).
 */
import type { HallContext } from "./context.js";
import { broadcastEvent, type HallServer } from "./socket.js";

export class DayWatcher {
  private dates = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly io: HallServer,
    private readonly ctx: HallContext,
    private readonly intervalMs = 60_000,
  ) {}

  start(): void {
    void this.check();
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Read every hall once; where the business date moved on, push the day's first event. */
  async check(): Promise<void> {
    for (const [hallId, hall] of this.ctx.halls) {
      try {
        const snap = await this.ctx.store.snapshot(hallId, this.ctx.clock.now());
        const before = this.dates.get(hallId);
        this.dates.set(hallId, snap.businessDate);
        if (!before || before === snap.businessDate) continue;
        const recent = await this.ctx.store.eventsSince(hallId, Math.max(0, snap.seq - 50));
        const started = recent.find((e) => e.type === "hall:dayStarted" && e.businessDate === snap.businessDate);
        if (started) broadcastEvent(this.io, hall, started);
      } catch (err) {
        this.ctx.log.warn(`day check of ${hallId} failed`, err);
      }
    }
  }
}
