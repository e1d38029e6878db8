"use strict";
/**
 * A board's check of the hall's event sequence: after its snapshot at seq N it must see every seq
 * above N. An event may come ahead of an earlier one (several nodes publish a hall's events), so a
 * missing seq counts as a gap only when it has not arrived within `holdMs`; if it arrives after
 * all, it is also counted as late.
 */
class SequenceCheck {
  constructor(holdMs) {
    this.holdMs = holdMs;
    /** Highest seq up to which every seq was seen; null until the snapshot. */
    this.contiguous = null;
    this.early = [];
    this.above = new Set();
    this.skipped = new Set();
    this.gapSince = 0;
    this.gaps = 0;
    this.late = 0;
  }

  /** The snapshot's seq: everything up to it is known. */
  start(seq, now) {
    this.contiguous = seq;
    for (const s of this.early) this.receive(s, now);
    this.early = [];
  }

  receive(seq, now) {
    if (this.contiguous === null) return void this.early.push(seq);
    if (seq <= this.contiguous) {
      if (this.skipped.delete(seq)) this.late++;
      return;
    }
    this.above.add(seq);
    this.advance();
    this.gapSince = this.above.size ? this.gapSince || now : 0;
  }

  /** Count the gaps held longer than `holdMs` (all of them when `final`); returns how many are new. */
  check(now, final = false) {
    const before = this.gaps;
    while (this.contiguous !== null && this.above.size && (final || now - this.gapSince > this.holdMs)) {
      this.gaps++;
      this.skipped.add(++this.contiguous);
      this.advance();
      this.gapSince = this.above.size ? now : 0;
    }
    return this.gaps - before;
  }

  advance() {
    while (this.above.has(this.contiguous + 1)) this.above.delete(++this.contiguous);
  }
}

module.exports = { SequenceCheck };
