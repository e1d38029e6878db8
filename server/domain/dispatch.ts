/**
 * Which waiting ticket a window gets when it calls next. Each queue (a service's, or the window's
 * own for tickets transferred to it) is ordered by priority rank, then arrival; the window takes
 * the most urgent of the queues' heads: higher priority rank first, then the longest wait relative
 * to the service's target (a primary-service ticket weighted by `primaryPreference`), then the
 * window's own preference order. The Redis script callNext mirrors this function exactly.
 */
export interface QueueHead {
  ticketId: string;
  rank: number;
  /** Original arrival (kept through park, transfer and bundle steps), ms. */
  arrivedAt: number;
  targetWaitMin: number;
  /** 0 for the window's primary service or its own queue, higher for later-listed services. */
  preferenceIndex: number;
}

export function urgency(head: QueueHead, now: number, primaryPreference: number): number {
  const ratio = Math.max(0, now - head.arrivedAt) / (head.targetWaitMin * 60_000);
  return head.preferenceIndex === 0 ? ratio * (1 + primaryPreference) : ratio;
}

export function pickMostUrgent(heads: QueueHead[], now: number, primaryPreference: number): QueueHead | null {
  let best: QueueHead | null = null;
  let bestUrgency = -1;
  for (const h of heads) {
    const u = urgency(h, now, primaryPreference);
    if (!best || h.rank > best.rank || (h.rank === best.rank && (u > bestUrgency || (u === bestUrgency && h.preferenceIndex < best.preferenceIndex)))) {
      best = h;
      bestUrgency = u;
    }
  }
  return best;
}

/** Queue order inside one queue: rank desc, arrival asc, id asc (Redis sorted-set order). */
export function queueScore(rank: number, arrivedAt: number): number {
  return (9 - rank) * 1e13 + arrivedAt;
}

export function compareQueued(a: { rank: number; arrivedAt: number; id: string }, b: { rank: number; arrivedAt: number; id: string }): number {
  const d = queueScore(a.rank, a.arrivedAt) - queueScore(b.rank, b.arrivedAt);
  if (d !== 0) return d;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
