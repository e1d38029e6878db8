/**
 * The one place that builds Redis key names. Every key of a hall carries the hash tag
 * `{hall:<id>}`, so a hall's commit touches one Redis Cluster slot while halls spread over
 * shards. `prefix` namespaces a deployment (tests use a unique prefix per test).
 *
 *   <prefix>{hall:<id>}:seq                  string the hall's last sequence number
 *   <prefix>{hall:<id>}:log                  stream the event log, entry id `<seq>-0`, field `e` = event JSON
 *   <prefix>{hall:<id>}:checkpoint           string the hall's snapshot at some seq (JSON), where replicas start
 *   <prefix>{hall:<id>}:epoch                string the rebase marker `<generation>:<epoch>`: which run of the log commits count in (absent until the first rebase)
 *   <prefix>{hall:<id>}:result:<commandId>   string idempotency record of a command: its name, caller, payload hash and first result, PX TTL
 *   <prefix>{hall:<id>}:tickets:<date>       hash   ticket id -> ticket JSON, tickets issued that business date, PX TTL
 *   <prefix>{hall:<id>}:turn                 string the node whose turn it is to commit (after losing to others), PX TTL
 *   <prefix>{hall:<id>}:lock                 string the node that runs the hall's once-per-hall jobs, PX TTL
 */
export class HallKeys {
  readonly base: string;

  constructor(
    readonly prefix: string,
    readonly hallId: string,
  ) {
    this.base = `${prefix}{hall:${hallId}}:`;
  }

  get seq(): string {
    return `${this.base}seq`;
  }
  get log(): string {
    return `${this.base}log`;
  }
  get checkpoint(): string {
    return `${this.base}checkpoint`;
  }
  /** The rebase marker (rebase-3.lua): changed when a node finds the log went back. */
  get epoch(): string {
    return `${this.base}epoch`;
  }
  get turn(): string {
    return `${this.base}turn`;
  }
  get lock(): string {
    return `${this.base}lock`;
  }
  /** With no commandId, a key that is never written (the commit script skips it). */
  result(commandId: string | undefined): string {
    return `${this.base}result:${commandId ?? ""}`;
  }
  /** Tickets by the business date they were issued on (a ticket keeps its date across midnight). */
  tickets(businessDate: string): string {
    return `${this.base}tickets:${businessDate}`;
  }
}
