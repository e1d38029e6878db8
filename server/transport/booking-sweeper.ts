/**
 * 失约: every minute, the bookings of each hall that can no longer be checked in and were not
 * become `missed` (which the credit rule counts), by the domain's `missedCutoff`. Idempotent, so
 * every node may run it.
 */
import { missedCutoff } from "../domain/booking.js";
import type { Clock } from "../domain/clock.js";
import type { Logger } from "../log.js";
import type { BookingStore } from "../records/bookings.js";
import type { HallContext } from "./context.js";

export class BookingSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly ctx: Pick<HallContext, "halls"> & { clock: Clock; log: Pick<Logger, "warn"> },
    private readonly bookings: Pick<BookingStore, "markMissed">,
    private readonly intervalMs = 60_000,
  ) {}

  start(): void {
    if (this.timer) return;
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One sweep of every hall now; resolves with how many bookings became missed. */
  sweep(): Promise<number> {
    this.running ??= this.once().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async once(): Promise<number> {
    let missed = 0;
    const now = this.ctx.clock.now();
    for (const hall of this.ctx.halls.values()) {
      try {
        missed += await this.bookings.markMissed(hall.id, missedCutoff(hall.booking, now, hall.timezone), now);
      } catch (err) {
        this.ctx.log.warn(`bookings: marking ${hall.id}'s missed bookings failed; trying again in a minute`, err);
      }
    }
    return missed;
  }
}
