/**
 * Applies each hall's retention rule (domain/retention.ts, `retention.personalDays` in its config)
 * now and then: every store that keeps a hall's history erases the personal data of business days
 * past the period. Idempotent, so every node of a deployment may run it.
 */
import type { Clock } from "../domain/clock.js";
import { businessDate } from "../domain/clock.js";
import type { HallConfig } from "../domain/config.js";
import { retentionCutoff } from "../domain/retention.js";
import type { Logger } from "../log.js";

/** Erases the personal data of a hall's business days before `before`; resolves with the rows rewritten. */
export type PersonalEraser = (hallId: string, before: string) => Promise<number>;

export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly halls: readonly HallConfig[],
    private readonly erasers: readonly PersonalEraser[],
    private readonly clock: Clock,
    private readonly log: Pick<Logger, "info" | "warn">,
    private readonly intervalMs = 3600_000,
  ) {}

  start(): void {
    void this.run();
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async run(): Promise<void> {
    for (const hall of this.halls) {
      const before = retentionCutoff(businessDate(this.clock.now(), hall.timezone), hall.retention.personalDays);
      for (const erase of this.erasers) {
        try {
          const n = await erase(hall.id, before);
          if (n) this.log.info(`retention: erased personal data of ${n} rows of ${hall.id} before ${before}`);
        } catch (err) {
          this.log.warn(`retention: erasing ${hall.id}'s personal data before ${before} failed; trying again later`, err);
        }
      }
    }
  }
}
