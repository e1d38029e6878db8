/**
 * Signed-out staff sessions. A session token is valid by its signature until it expires; signing
 * out records its `sid` here until that expiry, and every staff check (REST, the socket handshake
 * and each command) asks `isRevoked`. In memory for one process; in Redis for several nodes, so a
 * sign-out on one node holds on all of them.
 */
import { withinDeadline } from "../store/deadline.js";

export interface SessionRegistry {
  /** Refuse the session `sid` from now until `exp` (ms since epoch), when it would have expired anyway. */
  revoke(sid: string, exp: number): Promise<void>;
  /** Whether `sid` was signed out. Rejects with STORE_UNAVAILABLE when it cannot tell in time. */
  isRevoked(sid: string): Promise<boolean>;
}

export class MemorySessionRegistry implements SessionRegistry {
  private readonly revoked = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async revoke(sid: string, exp: number): Promise<void> {
    const now = this.now();
    // Sign-outs are a few hundred a day: forgetting the expired ones on each is cheap enough.
    for (const [s, e] of this.revoked) if (e <= now) this.revoked.delete(s);
    if (exp > now) this.revoked.set(sid, exp);
  }

  async isRevoked(sid: string): Promise<boolean> {
    const exp = this.revoked.get(sid);
    return exp !== undefined && exp > this.now();
  }
}

/** One Redis command on the key it names (routed to the key's shard in a Cluster). */
export type RedisSend = (key: string, args: string[]) => Promise<unknown>;

/**
 * `<prefix>session:revoked:<sid>`, expiring (PXAT) when the session would have. This node's own
 * sign-outs are also kept in memory, so they hold here even while Redis is away.
 */
export class RedisSessionRegistry implements SessionRegistry {
  private readonly local: MemorySessionRegistry;

  constructor(
    private readonly send: RedisSend,
    private readonly prefix: string,
    private readonly deadlineMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {
    this.local = new MemorySessionRegistry(now);
  }

  keyOf(sid: string): string {
    return `${this.prefix}session:revoked:${sid}`;
  }

  async revoke(sid: string, exp: number): Promise<void> {
    await this.local.revoke(sid, exp);
    if (exp <= this.now()) return;
    const key = this.keyOf(sid);
    await withinDeadline(this.send(key, ["SET", key, "1", "PXAT", String(Math.ceil(exp))]), this.deadlineMs, "a sign-out");
  }

  async isRevoked(sid: string): Promise<boolean> {
    if (await this.local.isRevoked(sid)) return true;
    const key = this.keyOf(sid);
    return Number(await withinDeadline(this.send(key, ["EXISTS", key]), this.deadlineMs, "a session check")) === 1;
  }
}
