/**
 * A client's view of one hall: a snapshot kept current with the shared reducer. Events that arrive
 * ahead of a missing one (possible with several server nodes) wait up to `holdMs` for it; if it
 * never comes, or an event says the day changed, the feed asks for a fresh snapshot. Pure: no
 * sockets, no timers — the caller passes the time and calls `tick` now and then.
 */
import { applyEvent, eventTicket, eventWindow, reduceStats, upsertTicket, upsertWindow } from "./reducer.js";
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

export class HallFeed implements Feed {
  snapshot: HallSnapshot | null = null;
  status: FeedStatus = "empty";
  /** Events received ahead of a gap, by seq, with the time the first of them arrived. */
  private ahead = new Map<number, HallEvent>();
  private gapSince: number | null = null;
  /** Gaps that never filled and forced a resync: a health figure for screens and load tests. */
  gaps = 0;

  constructor(private readonly holdMs = 1_000) {}

  /** A fresh snapshot (first load or resync); events it already includes are dropped. */
  reset(snapshot: HallSnapshot, now: number): HallEvent[] {
    this.snapshot = snapshot;
    this.status = "live";
    this.gapSince = null;
    for (const seq of [...this.ahead.keys()]) if (seq <= snapshot.seq) this.ahead.delete(seq);
    const applied = this.drain();
    if (this.ahead.size > 0) this.gapSince = now;
    return applied;
  }

  /** Apply or hold an event. Returns the events applied, in order (for announcements and the like). */
  push(event: HallEvent, now: number): HallEvent[] {
    if (!this.snapshot || this.status === "resyncing") {
      this.ahead.set(event.seq, event);
      return [];
    }
    if (event.seq <= this.snapshot.seq) return [];
    this.ahead.set(event.seq, event);
    const applied = this.drain();
    if (this.ahead.size > 0 && this.gapSince === null) this.gapSince = now;
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

  private drain(): HallEvent[] {
    const applied: HallEvent[] = [];
    while (this.snapshot) {
      const next = this.ahead.get(this.snapshot.seq + 1);
      if (!next) break;
      this.ahead.delete(next.seq);
      const res = applyEvent(this.snapshot, next);
      if (!res.ok) {
        // Only a new business day lands here: everything restarts from a snapshot.
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
 * counter those and the hall's parked tickets (seqs skip by design, so there is no gap to wait
 * for). Each event carries the whole state of the window and the ticket it concerns, so for each
 * window and each ticket the newest event wins: an older one that arrives late (possible with
 * several nodes) changes nothing it has seen newer, and a lost one is mended by the next event or
 * the next reconnect. Today's figures count every event received once, so the window's own staff
 * figures stay right; the rest of the snapshot is as it was at the last resync.
 */
export class WindowFeed implements Feed {
  snapshot: HallSnapshot | null = null;
  status: FeedStatus = "empty";
  /** Events that came before the first snapshot or during a resync. */
  private held: HallEvent[] = [];
  /** Seq of the newest event applied to each ticket ("t:" + id) and window ("w:" + id) since the snapshot. */
  private newest = new Map<string, number>();
  private counted = new Set<number>();
  private base = 0;

  reset(snapshot: HallSnapshot, _now: number): HallEvent[] {
    this.snapshot = snapshot;
    this.status = "live";
    this.base = snapshot.seq;
    this.newest.clear();
    this.counted.clear();
    const held = this.held.sort((a, b) => a.seq - b.seq);
    this.held = [];
    return held.filter((e) => this.apply(e));
  }

  push(event: HallEvent, _now: number): HallEvent[] {
    if (!this.snapshot || this.status === "resyncing") {
      this.held.push(event);
      return [];
    }
    return this.apply(event) ? [event] : [];
  }

  needsResync(_now: number): boolean {
    return false;
  }

  startResync(): void {
    this.status = "resyncing";
  }

  /** Applies what is new in `e`; true when it is news for its window (or, without one, its ticket). */
  private apply(e: HallEvent): boolean {
    const s = this.snapshot!;
    if (e.hallId !== s.hallId || e.seq <= this.base || this.counted.has(e.seq)) return false;
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
    return w ? windowNews : ticketNews;
  }

  private newer(key: string, seq: number): boolean {
    if (seq <= (this.newest.get(key) ?? this.base)) return false;
    this.newest.set(key, seq);
    return true;
  }
}
