/**
 * A client's view of one hall: a snapshot kept current with the shared reducer. Events that arrive
 * ahead of a missing one (possible with several server nodes) wait up to `holdMs` for it; if it
 * never comes, or an event says the log is another one than the snapshot's (a new day is applied,
 * any other epoch is not), the feed asks for a fresh snapshot. Pure: no sockets, no timers — the
 * caller passes the time and calls `needsResync` now and then.
 */
import { applyEvent, eventTicket, eventWindow, otherEpoch, reduceStats, upsertTicket, upsertWindow } from "./reducer.js";
import type { HallEvent, HallSnapshot } from "./schemas.js";

export type FeedStatus = "empty" | "live" | "resyncing";

/** What a connection needs of a feed: HallFeed for the whole hall, WindowFeed for one window. */
export interface Feed {
  readonly snapshot: HallSnapshot | null;
  readonly status: FeedStatus;
  /** A fresh snapshot (first load or resync); returns the held events it applied. */
  reset(snapshot: HallSnapshot, now: number): HallEvent[];
  /** Apply or hold an event; returns the events applied, in order. */
  push(event: HallEvent, now: number): HallEvent[];
  /** True when the caller must fetch a snapshot and call `reset`. */
  needsResync(now: number): boolean;
  /** Mark that a resync was requested for another reason (reconnect, new business day). */
  startResync(): void;
}

/**
 * Which events held before a snapshot still matter after it: those past its seq in its run of the
 * log, or in a run that a held new day begins. The rest it includes, or they belong to a log that
 * went back.
 */
function heldFor(snapshot: HallSnapshot, held: readonly HallEvent[]): (e: HallEvent) => boolean {
  const epochs = new Set([snapshot.epoch, ...held.filter((e) => e.type === "hall:dayStarted" && e.seq > snapshot.seq).map((e) => e.epoch)]);
  return (e) => e.seq > snapshot.seq && epochs.has(e.epoch);
}

export class HallFeed implements Feed {
  snapshot: HallSnapshot | null = null;
  status: FeedStatus = "empty";
  /** Events received ahead of a gap, by seq, with the time the first of them arrived. */
  private ahead = new Map<number, HallEvent>();
  private gapSince: number | null = null;
  /** Gaps that never filled and forced a resync: a health figure for screens and load tests. */
  gaps = 0;

  constructor(private readonly holdMs = 1_000) {}

  /**
   * A fresh snapshot (first load or resync). Held events it already includes are dropped, and so
   * are those of another run of the log than the snapshot's, unless a held new day begins it.
   */
  reset(snapshot: HallSnapshot, now: number): HallEvent[] {
    this.snapshot = snapshot;
    this.status = "live";
    this.gapSince = null;
    const keep = heldFor(snapshot, [...this.ahead.values()]);
    for (const [seq, e] of [...this.ahead]) if (!keep(e)) this.ahead.delete(seq);
    const applied = this.drain();
    if (this.ahead.size > 0 && this.status === "live") this.gapSince = now;
    return applied;
  }

  /**
   * Apply or hold an event. Returns the events applied, in order (for announcements and the like).
   * One of another epoch at or below the snapshot's seq comes from a log that went back (a store
   * restored and rebased): the feed resyncs at once rather than drop it as already seen. One of
   * another epoch further on waits like any event ahead, in case a new day still to come begins it.
   */
  push(event: HallEvent, now: number): HallEvent[] {
    if (!this.snapshot || this.status === "resyncing") {
      this.ahead.set(event.seq, event);
      return [];
    }
    if (event.seq <= this.snapshot.seq) {
      if (event.epoch !== this.snapshot.epoch) this.resyncNow(event);
      return [];
    }
    this.ahead.set(event.seq, event);
    const applied = this.drain();
    if (this.ahead.size > 0 && this.gapSince === null && this.status === "live") this.gapSince = now;
    return applied;
  }

  /** True when the caller must fetch a snapshot and call `reset`. */
  needsResync(now: number): boolean {
    if (this.status === "resyncing") return false;
    if (this.gapSince !== null && now - this.gapSince >= this.holdMs) {
      this.gaps += 1;
      this.status = "resyncing";
      return true;
    }
    return false;
  }

  /** Mark that a resync was requested for another reason (reconnect, new business day). */
  startResync(): void {
    this.status = "resyncing";
  }

  /** Resync now, keeping the event that showed the need (the snapshot decides what it is). */
  private resyncNow(event: HallEvent): void {
    this.status = "resyncing";
    this.gapSince = null;
    this.ahead.set(event.seq, event);
  }

  private drain(): HallEvent[] {
    const applied: HallEvent[] = [];
    while (this.snapshot) {
      const next = this.ahead.get(this.snapshot.seq + 1);
      if (!next) break;
      this.ahead.delete(next.seq);
      const res = applyEvent(this.snapshot, next);
      if (!res.ok) {
        // The next event belongs to another run of the log: everything restarts from a snapshot.
        this.status = "resyncing";
        this.gapSince = null;
        return applied;
      }
      this.snapshot = res.snapshot;
      applied.push(next);
    }
    if (this.ahead.size === 0) this.gapSince = null;
    return applied;
  }
}

/**
 * The view of one window: its LED strip and rating pad receive only that window's events, its
 * counter those and the hall's parked tickets (seqs skip by design, so there is no seq gap to
 * wait for). Each event carries the whole state of the window and the ticket it concerns, so for
 * each window and each ticket the newest event wins: an older one that arrives late (possible with
 * several nodes) changes nothing it has seen newer. Today's figures count every event received
 * once, so the window's own staff figures stay right; the rest of the snapshot is as it was at the
 * last resync.
 *
 * A lost event is found by the windows the feed follows: every event that carries a window
 * carries its next revision (`Window.rev`), so a revision more than one past the last known one
 * means an event is missing. As in HallFeed, it may only be late: the feed waits `holdMs` for the
 * missing revisions, then resyncs. An event of another epoch (a log that went back) resyncs at
 * once, a new business day too.
 */
export class WindowFeed implements Feed {
  snapshot: HallSnapshot | null = null;
  status: FeedStatus = "empty";
  /** The windows whose every event this socket receives (a strip's, a pad's, a counter's own). */
  readonly windows: ReadonlySet<string>;
  /** Events that came before the first snapshot or during a resync. */
  private held: HallEvent[] = [];
  /** Seq of the newest event applied to each ticket ("t:" + id) and window ("w:" + id) since the snapshot. */
  private newest = new Map<string, number>();
  private counted = new Set<number>();
  private base = 0;
  /** Per followed window: the revision up to which every event has been seen, and those seen beyond it. */
  private revs = new Map<string, { upTo: number; beyond: Set<number> }>();
  private gapSince: number | null = null;
  /** Missed events that forced a resync: a health figure, as HallFeed's. */
  gaps = 0;

  constructor(
    windows: string | readonly string[],
    private readonly holdMs = 1_000,
  ) {
    this.windows = new Set((typeof windows === "string" ? [windows] : windows).filter((w) => w !== ""));
  }

  reset(snapshot: HallSnapshot, now: number): HallEvent[] {
    this.snapshot = snapshot;
    this.status = "live";
    this.base = snapshot.seq;
    this.newest.clear();
    this.counted.clear();
    this.revs.clear();
    this.gapSince = null;
    for (const w of snapshot.windows) if (this.windows.has(w.id)) this.revs.set(w.id, { upTo: w.rev, beyond: new Set() });
    const held = this.held.filter(heldFor(snapshot, this.held)).sort((a, b) => a.seq - b.seq);
    this.held = [];
    const applied: HallEvent[] = [];
    for (const e of held) {
      if (this.status !== "live") {
        this.held.push(e);
        continue;
      }
      if (this.apply(e, now)) applied.push(e);
    }
    return applied;
  }

  push(event: HallEvent, now: number): HallEvent[] {
    if (!this.snapshot || this.status === "resyncing") {
      this.held.push(event);
      return [];
    }
    return this.apply(event, now) ? [event] : [];
  }

  needsResync(now: number): boolean {
    if (this.status === "resyncing") return false;
    if (this.gapSince !== null && now - this.gapSince >= this.holdMs) {
      this.gaps += 1;
      this.status = "resyncing";
      this.gapSince = null;
      return true;
    }
    return false;
  }

  startResync(): void {
    this.status = "resyncing";
  }

  /** Applies what is new in `e`; true when it is news for its window (or, without one, its ticket). */
  private apply(e: HallEvent, now: number): boolean {
    const s = this.snapshot!;
    if (e.hallId !== s.hallId) return false;
    if (otherEpoch(s, e)) {
      this.status = "resyncing";
      return false;
    }
    if (e.seq <= this.base || this.counted.has(e.seq)) return false;
    if (e.type === "hall:dayStarted") {
      this.status = "resyncing";
      return false;
    }
    this.counted.add(e.seq);
    const next: HallSnapshot = { ...s, seq: Math.max(s.seq, e.seq), at: Math.max(s.at, e.at), stats: reduceStats(s.stats, e, s.timezone) };
    const t = eventTicket(e);
    const w = eventWindow(e);
    const ticketNews = t !== null && this.newer(`t:${t.id}`, e.seq);
    const windowNews = w !== null && this.newer(`w:${w.id}`, e.seq);
    if (ticketNews) upsertTicket(next, t);
    if (windowNews) upsertWindow(next, w);
    this.snapshot = next;
    if (w) this.seenRev(w.id, w.rev, now);
    return w ? windowNews : ticketNews;
  }

  private newer(key: string, seq: number): boolean {
    if (seq <= (this.newest.get(key) ?? this.base)) return false;
    this.newest.set(key, seq);
    return true;
  }

  /** Notes a followed window's revision; a revision left out starts the wait for it. */
  private seenRev(windowId: string, rev: number, now: number): void {
    const r = this.revs.get(windowId);
    if (!r || rev <= r.upTo) return;
    r.beyond.add(rev);
    while (r.beyond.delete(r.upTo + 1)) r.upTo += 1;
    const missing = [...this.revs.values()].some((x) => x.beyond.size > 0);
    if (!missing) this.gapSince = null;
    else if (this.gapSince === null) this.gapSince = now;
  }
}
