/**
 * The server's own view of one hall, kept the way a client keeps its view: a snapshot brought up
 * to date with the shared reducer from the store's event log. The queue summaries, the balancer
 * and the staffing advice read the hall several times a second; reading only the events since
 * the last read costs the store a few entries instead of the whole day's live state.
 *
 * The log is complete and ordered, so nothing is held back: an event that does not follow (the
 * log was trimmed past it) or a new business day makes the follower take a fresh snapshot.
 * Every event the follower reads goes to its listeners once, in order, whatever the view does.
 *
 * A log can also go back (Redis restored from an older copy; the store then starts a new epoch).
 * Each read therefore starts at the last event told, which must still be in the log as told; when
 * it is not, the follower starts again from a fresh snapshot, and its listeners go on from that
 * snapshot's seq: they keep what they heard of the lost events, and do not hear the new epoch's
 * events up to that seq.
 */
import { applyEvent, type HallEvent, type HallSnapshot } from "../../protocol/index.js";
import type { HallStore } from "./types.js";

const BATCH = 1000;

export class HallFollower {
  private view: HallSnapshot | null = null;
  /** The last seq given to the listeners: they hear the whole log, from its start. */
  private told = 0;
  /** The epoch of the event at `told`; null when the follower started from a snapshot there (whose epoch may be newer than the event's). */
  private toldEpoch: string | null = null;
  private listeners: ((event: HallEvent) => void)[] = [];
  private reading: Promise<HallSnapshot> | null = null;
  private next: Promise<HallSnapshot> | null = null;

  constructor(
    private readonly store: HallStore,
    readonly hallId: string,
  ) {}

  /** Called with every event the follower reads from the log, oldest first. */
  onEvent(listener: (event: HallEvent) => void): void {
    this.listeners.push(listener);
  }

  /**
   * The hall with every event the store had committed when this was called. Callers that arrive
   * while a read is under way share one further read, which starts when that one ends: the read
   * under way may have asked the store before their event was committed.
   */
  current(): Promise<HallSnapshot> {
    if (!this.reading) return this.start();
    this.next ??= this.reading
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.start();
      });
    return this.next;
  }

  private start(): Promise<HallSnapshot> {
    const read = this.read().finally(() => {
      if (this.reading === read) this.reading = null;
    });
    this.reading = read;
    return read;
  }

  private async read(): Promise<HallSnapshot> {
    let view = this.view ?? (await this.store.snapshot(this.hallId));
    let restarted = false;
    for (;;) {
      let stale = false;
      for (;;) {
        const from = Math.min(this.told, view.seq);
        // From the last event told, to see that the log still holds it as it was told.
        const check = from > 0 && from === this.told && !restarted;
        const batch = await this.store.eventsSince(this.hallId, check ? from - 1 : from, BATCH);
        if (check) {
          const first = batch[0];
          if (!first || (first.seq === from && this.toldEpoch !== null && first.epoch !== this.toldEpoch)) {
            view = await this.store.snapshot(this.hallId);
            this.told = view.seq;
            this.toldEpoch = null;
            restarted = true;
            continue;
          }
          if (first.seq === from) batch.shift();
        }
        for (const event of batch) {
          if (event.seq > this.told) {
            this.told = event.seq;
            this.toldEpoch = event.epoch;
            this.tell(event);
          }
          if (stale || event.seq <= view.seq) continue;
          const applied = applyEvent(view, event);
          if (applied.ok) view = applied.snapshot;
          else stale = true;
        }
        if (batch.length < BATCH - (check ? 1 : 0)) break;
      }
      if (!stale) break;
      view = await this.store.snapshot(this.hallId);
    }
    this.view = view;
    return view;
  }

  private tell(event: HallEvent): void {
    for (const l of this.listeners) l(event);
  }
}
