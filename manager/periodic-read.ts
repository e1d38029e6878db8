/**
 * What every console panel that reads a REST route does: read again every so often while it is
 * on the page (bookings made online, follow-ups opened by the archive, cases changed elsewhere
 * are no hall events), and drop the answer of a read overtaken by a newer one.
 *
 *   private reads = new PeriodicRead(this, () => this.load(), 30_000);
 *   const current = this.reads.begin(); const res = await …; if (!current()) return;
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";

export class PeriodicRead implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | null = null;
  private latest = 0;

  constructor(
    host: ReactiveControllerHost,
    private readonly read: () => Promise<void>,
    private readonly everyMs: number,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.timer = setInterval(() => void this.read(), this.everyMs);
  }

  hostDisconnected(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Starts one read: the function answers whether it is still the newest when its answer comes. */
  begin(): () => boolean {
    const n = ++this.latest;
    return () => n === this.latest;
  }
}
