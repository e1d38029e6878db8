/**
 * "Runs once per hall even with several server nodes": a BalancerRunner acts for a hall only
 * while it holds the hall's lock. The Redis implementation (RedisHallLock in
 * server/store/redis/wiring.ts) has the same shape; a single process uses LocalHallLock.
 */

/** Grants a hall to one holder at a time for ttlMs; the holder renews by acquiring again. */
export interface HallLock {
  tryAcquire(hallId: string, ttlMs: number): Promise<boolean>;
}

/**
 * In-process lock: holders sharing one LocalHallLock exclude each other, like nodes sharing one
 * Redis. A single server just gives its one runner its own instance.
 */
export class LocalHallLock implements HallLock {
  private held = new Map<string, { holder: symbol; until: number }>();

  constructor(private readonly now: () => number) {}

  /** A handle for one holder (one "node"); acquiring again renews. */
  holder(): HallLock {
    const me = Symbol("holder");
    return { tryAcquire: async (hallId, ttlMs) => this.acquire(me, hallId, ttlMs) };
  }

  private readonly own = Symbol("default");

  async tryAcquire(hallId: string, ttlMs: number): Promise<boolean> {
    return this.acquire(this.own, hallId, ttlMs);
  }

  private acquire(holder: symbol, hallId: string, ttlMs: number): boolean {
    const t = this.now();
    const cur = this.held.get(hallId);
    if (cur && cur.holder !== holder && cur.until > t) return false;
    this.held.set(hallId, { holder, until: t + ttlMs });
    return true;
  }
}
