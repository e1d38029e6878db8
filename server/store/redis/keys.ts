/**
 * The one place that builds Redis key names. Every key of a hall carries the hash tag
 * `{hall:<id>}`, so a hall's transition touches one Redis Cluster slot while halls spread over
 * shards. `prefix` namespaces a deployment (tests use a unique prefix per test).
 *
 *   <prefix>{hall:<id>}:meta            hash   seq, date (business date), at, mode (balancer)
 *   <prefix>{hall:<id>}:events          stream the event log, entry id `<seq>-0`, field `e` = event JSON
 *   <prefix>{hall:<id>}:cmd:<commandId> string first result of a command (idempotency), PX TTL
 *   <prefix>{hall:<id>}:tickets         hash   ticket id -> ticket JSON (today's, ended included)
 *   <prefix>{hall:<id>}:windows         hash   window id -> window JSON
 *   <prefix>{hall:<id>}:live            zset   ids of tickets not ended, score = seq of last change
 *   <prefix>{hall:<id>}:stats           hash   today's counters (see stats.ts)
 *   <prefix>{hall:<id>}:recent          list   recent calls, newest first (JSON)
 *   <prefix>{hall:<id>}:balancer        string open balancer suggestions (JSON array)
 *   <prefix>{hall:<id>}:numbers         hash   `<businessDate>|<serviceId>` -> tickets issued that day
 *   <prefix>{hall:<id>}:q:s:<serviceId> zset   waiting tickets of a service, score queueScore(rank, arrivedAt)
 *   <prefix>{hall:<id>}:q:w:<windowId>  zset   waiting tickets transferred to one window
 *   <prefix>{hall:<id>}:lock            string the node that runs the hall's balancer (wiring.ts), PX TTL
 */
export class HallKeys {
  readonly base: string;

  constructor(
    readonly prefix: string,
    readonly hallId: string,
  ) {
    this.base = `${prefix}{hall:${hallId}}:`;
  }

  get meta(): string {
    return `${this.base}meta`;
  }
  get lock(): string {
    return `${this.base}lock`;
  }
  get events(): string {
    return `${this.base}events`;
  }
  /** With no commandId, a key that is never written (scripts skip idempotency for ""). */
  idempotency(commandId: string | undefined): string {
    return `${this.base}cmd:${commandId ?? ""}`;
  }
  get tickets(): string {
    return `${this.base}tickets`;
  }
  get windows(): string {
    return `${this.base}windows`;
  }
  get live(): string {
    return `${this.base}live`;
  }
  get stats(): string {
    return `${this.base}stats`;
  }
  get recent(): string {
    return `${this.base}recent`;
  }
  get balancer(): string {
    return `${this.base}balancer`;
  }
  get numbers(): string {
    return `${this.base}numbers`;
  }
  serviceQueue(serviceId: string): string {
    return `${this.base}q:s:${serviceId}`;
  }
  windowQueue(windowId: string): string {
    return `${this.base}q:w:${windowId}`;
  }

  /**
   * KEYS of every command script, in this order (see scripts/includes/prelude.lua):
   * 1 meta, 2 events, 3 idempotency, 4 tickets, 5 windows, 6 live, 7 stats, 8 recent,
   * 9 balancer, 10 numbers, then one queue per service, then one queue per window (config order).
   */
  commandKeys(commandId: string | undefined, serviceIds: string[], windowIds: string[]): string[] {
    return [
      this.meta,
      this.events,
      this.idempotency(commandId),
      this.tickets,
      this.windows,
      this.live,
      this.stats,
      this.recent,
      this.balancer,
      this.numbers,
      ...serviceIds.map((id) => this.serviceQueue(id)),
      ...windowIds.map((id) => this.windowQueue(id)),
    ];
  }
}
