/**
 * The archiver: follows each hall's event log through the HallStore and keeps every event in the
 * records. Nothing in a command's path waits for it, so a database that is away never holds up
 * the hall: a round that fails is tried again with a growing pause (backoff), and the next one
 * that gets through catches up from the records' cursor. Appends are idempotent on
 * (hall, epoch, seq), so a round repeated after a restart (of a node or of the database) or run
 * by two nodes at once keeps each event once.
 *
 * On several nodes one archives each hall: the holder of the hall's archive lock, a lock of its
 * own (`<hall>~archive` through the same HallLock, so RedisHallLock's node token) rather than the
 * balancer's. Sharing the balancer's lock would make each renew it with its own lease, so the
 * shorter lease of one could let the other's lapse; and the archive may move to another node
 * without moving the balancer. `~` is not allowed in a hall id, so the name never meets a hall's.
 *
 *   const archiver = new Archiver({ store, records, halls: ["hall-1"], lock });
 *   archiver.start();  ctx.onEvent(archiver.notify);   …   await archiver.stop();
 */
import type { HallEvent } from "../../protocol/index.js";
import type { HallLock } from "../balancer/lock.js";
import type { HallStore } from "../store/types.js";
import type { RecordsCursor, RecordsStore } from "./records-store.js";

export const archiveLockOf = (hallId: string): string => `${hallId}~archive`;

export const ARCHIVER_DEFAULTS = {
  /** Rounds per hall, ms; `notify` brings the next one forward. */
  intervalMs: 1_000,
  /** Events read from the log and written per transaction. */
  batch: 500,
  /** The archive lock's lease, renewed every round: a dead node's halls move on after this long. */
  lockTtlMs: 15_000,
  /** Pause after a failed round: doubled on each further failure, up to the most. */
  backoffMinMs: 500,
  backoffMaxMs: 30_000,
};

export interface ArchiverOptions extends Partial<typeof ARCHIVER_DEFAULTS> {
  store: HallStore;
  records: RecordsStore;
  halls: readonly string[];
  /** Who archives a hall when several nodes share the store; without it, this process does. */
  lock?: HallLock;
  now?: () => number;
  /** A round failed (the archiver carries on, after its backoff). */
  onError?: (hallId: string, err: unknown) => void;
  /** The log no longer holds events after the cursor (trimmed while the archive was behind): they are lost to the records. */
  onGap?: (hallId: string, afterSeq: number, nextSeq: number) => void;
}

interface HallState {
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  /** Another round is wanted once the one running ends. */
  again: boolean;
  failures: number;
  retryAt: number;
}

export class Archiver {
  private readonly o: typeof ARCHIVER_DEFAULTS & ArchiverOptions;
  private readonly now: () => number;
  private readonly halls = new Map<string, HallState>();
  private started = false;

  constructor(opts: ArchiverOptions) {
    this.o = { ...ARCHIVER_DEFAULTS, ...opts };
    this.now = opts.now ?? Date.now;
    for (const h of opts.halls) this.halls.set(h, { timer: null, running: null, again: false, failures: 0, retryAt: 0 });
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const hallId of this.halls.keys()) this.schedule(hallId, 0);
  }

  /** Stop the rounds and wait for those under way. */
  async stop(): Promise<void> {
    this.started = false;
    for (const s of this.halls.values()) {
      if (s.timer) clearTimeout(s.timer);
      s.timer = null;
    }
    await Promise.all([...this.halls.values()].map((s) => s.running));
  }

  /** A hall committed an event (wire to HallContext.onEvent): archive it soon, unless backing off. */
  readonly notify = (event: HallEvent): void => {
    const s = this.halls.get(event.hallId);
    if (!s || !this.started) return;
    if (s.running) s.again = true;
    else if (this.now() >= s.retryAt) this.schedule(event.hallId, 0);
  };

  /** How far behind a hall is, for health checks and tests: consecutive failed rounds. */
  failures(hallId: string): number {
    return this.halls.get(hallId)?.failures ?? 0;
  }

  /**
   * One round for the hall now: everything its log holds that the records do not. Resolves when
   * done; rejects with the round's failure (which also sets the backoff).
   */
  archive(hallId: string): Promise<void> {
    const s = this.halls.get(hallId);
    if (!s) return Promise.reject(new Error(`the archiver does not follow hall ${hallId}`));
    if (s.running) {
      s.again = true;
      return s.running;
    }
    const run = this.round(hallId).then(
      () => {
        s.failures = 0;
        s.retryAt = 0;
      },
      (err: unknown) => {
        s.failures += 1;
        s.retryAt = this.now() + Math.min(this.o.backoffMaxMs, this.o.backoffMinMs * 2 ** (s.failures - 1));
        throw err;
      },
    );
    const settled = () => {
      s.running = null;
      if (!this.started) return;
      const retry = Math.max(0, s.retryAt - this.now());
      this.schedule(hallId, s.again && retry === 0 ? 0 : Math.max(retry, this.o.intervalMs));
      s.again = false;
    };
    s.running = run.then(settled, settled);
    return run;
  }

  private schedule(hallId: string, ms: number): void {
    const s = this.halls.get(hallId)!;
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = null;
      this.archive(hallId).catch((err: unknown) => this.o.onError?.(hallId, err));
    }, ms);
    s.timer.unref?.();
  }

  private async round(hallId: string): Promise<void> {
    for (;;) {
      if (this.o.lock && !(await this.o.lock.tryAcquire(archiveLockOf(hallId), this.o.lockTtlMs))) return;
      // Read every round rather than kept: another node may have archived while this one did not hold the hall.
      const cursor = await this.o.records.cursor(hallId);
      const batch = await this.next(hallId, cursor);
      if (!batch.length) return;
      await this.o.records.append(hallId, batch);
      if (batch.length < this.o.batch) return;
    }
  }

  /** The events after the cursor, as the log holds them now. */
  private async next(hallId: string, cursor: RecordsCursor | null): Promise<HallEvent[]> {
    const { store, batch: limit } = this.o;
    if (!cursor) return store.eventsSince(hallId, 0, limit);
    // From the cursor's own event, to see that the log still holds it as it was archived.
    const batch = await store.eventsSince(hallId, cursor.seq - 1, limit + 1);
    const first = batch[0];
    if (first && first.seq === cursor.seq && first.epoch === cursor.epoch) return batch.slice(1);
    if (first && first.seq > cursor.seq) {
      this.o.onGap?.(hallId, cursor.seq, first.seq);
      return batch.slice(0, limit);
    }
    // The log went back (a store restored or restarted empty, then rebased into a new epoch): the
    // events of the new epoch may sit at seqs already archived in the old one. Read the log from
    // its start; what is kept already is skipped on its key.
    return store.eventsSince(hallId, 0, limit);
  }
}
