/**
 * Starts each hall's new business day at its local midnight, so that a board shows the new day
 * before the first ticket of the morning. The day starts by a command like any other
 * (`hall:startDay`, decided by the domain on the clock), so its `hall:dayStarted` event is
 * committed once and broadcast by the node that committed it; with several nodes the others find
 * the day already started and do nothing.
 */
import { HallCallError } from "../../protocol/index.js";
import { dayDue } from "../domain/transitions.js";
import type { HallContext } from "./context.js";

export class DayWatcher {
  private timer: NodeJS.Timeout | null = null;

  constructor(
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

  /** Start the day of every hall whose business date is behind the clock's. */
  async check(): Promise<void> {
    for (const [hallId, hall] of this.ctx.halls) {
      try {
        const snap = await this.ctx.store.snapshot(hallId);
        if (!dayDue({ config: hall, businessDate: snap.businessDate }, this.ctx.clock.now())) continue;
        await this.ctx.run(hallId, { name: "hall:startDay", payload: {} }, "system", null);
      } catch (err) {
        // Another node started the day between the read and the command.
        if (err instanceof HallCallError && err.code === "ILLEGAL_TRANSITION") continue;
        this.ctx.log.warn(`starting the day of ${hallId} failed`, err);
      }
    }
  }
}
