/**
 * The embedded default store: each hall a HallReplica in process, as on the memory store, and
 * every commit in one SQLite file (database.ts) so that the hall outlives the process. A command
 * is decided on the replica, then its events, the tickets they carry, its commandId's idempotency
 * record and now and then a checkpoint are written in one transaction; only once that transaction
 * is on disk is it applied to the replica and answered. better-sqlite3 is synchronous, so a
 * command is one uninterrupted step and cannot interleave with another.
 *
 * On start each hall's replica is rebuilt from its latest checkpoint and the events after it, and
 * learns the tickets that ended today before that checkpoint. The epoch carries on, so screens
 * that reconnect resync from a snapshot of the same run of the log. One process only: the
 * replica is the hall, and a second process on the file would decide on a stale one (its commits
 * then fail on the events' primary key rather than fork the log).
 *
 *   const store = createSqliteStore("./data");        // opens ./data/hallcall.db; close() closes it
 *   const store = new SqliteStore(db);                // on a handle the caller opened and will close
 */
import { applyEvent, HallCallError, HallEvent, HallSnapshot, Ticket } from "../../../protocol/index.js";
import { businessDate, instantOf } from "../../domain/clock.js";
import type { HallConfig } from "../../domain/config.js";
import { commandIdOf, type CommandContext, type StoreCommand } from "../../domain/hall-commands.js";
import { initialSnapshot } from "../../domain/hall.js";
import { eventWithoutPersonal, PERSONAL_JSON_PATTERNS, withoutPersonal } from "../../domain/retention.js";
import { parseResult, recordOf, replayOf, resultJson } from "../idempotency.js";
import { withTicketId } from "../ids.js";
import { HallReplica } from "../replica.js";
import { EVENT_LOG_MAX, IDEMPOTENCY_TTL_MS, type Executed, type HallStore } from "../types.js";
import { openHallDatabase, type HallDatabase } from "./database.js";

/**
 * A checkpoint after this many events, or twice the hall's live tickets when that is more (as on
 * Redis): a restart folds a few hundred events at most, and a checkpoint costs each event about
 * one ticket's JSON however long the queues grow. Also at each new business day.
 */
export const CHECKPOINT_EVERY = 200;

interface SqliteHall {
  config: HallConfig;
  replica: HallReplica;
  /** The seq of the hall's latest checkpoint. */
  checkpointSeq: number;
}

/** Open `<dataDir>/hallcall.db` and a store that closes it with itself. */
export function createSqliteStore(dataDir: string): SqliteStore {
  const db = openHallDatabase(dataDir);
  return new SqliteStore(db, true);
}

const parseEvent = (json: string): HallEvent => HallEvent.parse(JSON.parse(json));

export class SqliteStore implements HallStore {
  readonly kind = "sqlite" as const;
  private halls = new Map<string, SqliteHall>();
  private readonly sql;
  private readonly commit: (hall: SqliteHall, rows: CommitRows) => void;

  constructor(
    readonly db: HallDatabase,
    private readonly ownsDb = false,
  ) {
    this.sql = {
      checkpoint: db.prepare<[string], { seq: number; snapshot: string }>("SELECT seq, snapshot FROM store_checkpoints WHERE hall_id = ?"),
      putCheckpoint: db.prepare<[string, number, string]>("INSERT INTO store_checkpoints (hall_id, seq, snapshot) VALUES (?, ?, ?) ON CONFLICT (hall_id) DO UPDATE SET seq = excluded.seq, snapshot = excluded.snapshot"),
      newHall: db.prepare<[string, number, string]>("INSERT INTO store_checkpoints (hall_id, seq, snapshot) VALUES (?, ?, ?) ON CONFLICT (hall_id) DO NOTHING"),
      eventsAfter: db.prepare<[string, number, number], { event: string }>("SELECT event FROM store_events WHERE hall_id = ? AND seq > ? ORDER BY seq LIMIT ?"),
      append: db.prepare<[string, number, string, string, number, string]>("INSERT INTO store_events (hall_id, seq, epoch, type, at, event) VALUES (?, ?, ?, ?, ?, ?)"),
      result: db.prepare<[string, string, number], { result: string }>("SELECT result FROM store_results WHERE hall_id = ? AND command_id = ? AND expires > ?"),
      putResult: db.prepare<[string, string, string, number]>(
        // An expired record may still be in the table (they are purged at checkpoints): the id is free again.
        "INSERT INTO store_results (hall_id, command_id, result, expires) VALUES (?, ?, ?, ?) ON CONFLICT (hall_id, command_id) DO UPDATE SET result = excluded.result, expires = excluded.expires",
      ),
      purgeResults: db.prepare<[string, number]>("DELETE FROM store_results WHERE hall_id = ? AND expires <= ?"),
      putTicket: db.prepare<[string, string, string, string | null, string]>(
        "INSERT INTO store_tickets (hall_id, business_date, ticket_id, ended_date, ticket) VALUES (?, ?, ?, ?, ?) ON CONFLICT (hall_id, business_date, ticket_id) DO UPDATE SET ended_date = excluded.ended_date, ticket = excluded.ticket",
      ),
      endedSince: db.prepare<[string, string], { ticket: string }>("SELECT ticket FROM store_tickets WHERE hall_id = ? AND ended_date >= ?"),
    };
    this.commit = db.transaction((hall: SqliteHall, rows: CommitRows) => {
      const hallId = hall.config.id;
      for (const { event, json } of rows.events) this.sql.append.run(hallId, event.seq, event.epoch, event.type, event.at, json);
      for (const t of rows.tickets) this.sql.putTicket.run(hallId, t.businessDate, t.id, t.endedAt === null ? null : businessDate(t.endedAt, hall.config.timezone), JSON.stringify(t));
      if (rows.result) this.sql.putResult.run(hallId, rows.result.commandId, rows.result.json, rows.result.expires);
      if (rows.checkpoint) {
        this.sql.putCheckpoint.run(hallId, rows.checkpoint.seq, JSON.stringify(rows.checkpoint));
        this.sql.purgeResults.run(hallId, rows.now);
      }
    });
  }

  async loadHall(config: HallConfig, now: number): Promise<void> {
    const cur = this.halls.get(config.id);
    if (cur) {
      cur.config = config;
      cur.replica.reconfigure(config);
      return;
    }
    this.sql.newHall.run(config.id, 0, JSON.stringify(initialSnapshot(config, now)));
    this.halls.set(config.id, this.build(config));
  }

  async execute(hallId: string, cmd: StoreCommand, ctx: CommandContext): Promise<Executed> {
    const hall = this.hall(hallId);
    const commandId = commandIdOf(cmd);
    const record = commandId ? recordOf(cmd, ctx) : null;
    if (commandId && record) {
      const prior = this.sql.result.get(hallId, commandId, ctx.now);
      if (prior) return { event: replayOf(commandId, parseResult(prior.result), record), replayed: true, committed: [] };
    }
    const { events, answer } = hall.replica.decide(cmd, withTicketId(cmd, ctx));
    const json = events.map((e) => JSON.stringify(e));
    const last = events[events.length - 1]!;
    const every = Math.min(EVENT_LOG_MAX / 2, Math.max(CHECKPOINT_EVERY, 2 * hall.replica.snapshot.tickets.length));
    let checkpoint: HallSnapshot | null = null;
    if (last.seq - hall.checkpointSeq >= every || events.some((e) => e.type === "hall:dayStarted")) {
      checkpoint = hall.replica.snapshot;
      for (const e of events) checkpoint = (applyEvent(checkpoint, e) as { ok: true; snapshot: HallSnapshot }).snapshot;
    }
    this.commit(hall, {
      events: events.map((event, i) => ({ event, json: json[i]! })),
      tickets: events.flatMap((e) => ("ticket" in e ? [e.ticket] : [])),
      result: commandId && record ? { commandId, json: resultJson(record, json[events.indexOf(answer)]!), expires: ctx.now + IDEMPOTENCY_TTL_MS } : null,
      checkpoint,
      now: ctx.now,
    });
    // On disk now: what the replica applies can no longer be lost.
    for (const e of events) if (!hall.replica.apply(e)) throw new Error(`sqlite store could not apply its own event ${e.type} #${e.seq}`);
    if (checkpoint) hall.checkpointSeq = checkpoint.seq;
    return { event: answer, replayed: false, committed: events };
  }

  async snapshot(hallId: string): Promise<HallSnapshot> {
    return this.hall(hallId).replica.snapshot;
  }

  /** From the replica, which holds every live ticket and, since build() taught it, every one that ended today. */
  async ticket(hallId: string, ticketId: string): Promise<Ticket | null> {
    return this.hall(hallId).replica.ticket(ticketId) ?? null;
  }

  async eventsSince(hallId: string, afterSeq: number, limit = 1000): Promise<HallEvent[]> {
    this.hall(hallId);
    return this.sql.eventsAfter.all(hallId, afterSeq, limit).map((r) => parseEvent(r.event));
  }

  /**
   * The retention rule on the store's own history: the events and tickets of business days before
   * `before` lose their personal data (domain/retention.ts). Live tickets are never that old but
   * for one parked across months; they keep theirs until they end. Returns the rows rewritten.
   */
  async erasePersonal(hallId: string, before: string): Promise<number> {
    const hall = this.hall(hallId);
    const until = instantOf(before, "00:00", hall.config.timezone);
    const personal = `(${PERSONAL_JSON_PATTERNS.map((p) => `event LIKE '${p}'`).join(" OR ")})`;
    const events = this.db.prepare<[string, number], { seq: number; event: string }>(`SELECT seq, event FROM store_events WHERE hall_id = ? AND at < ? AND ${personal}`).all(hallId, until);
    const tickets = this.db
      .prepare<[string, string], { business_date: string; ticket_id: string; ticket: string }>(`SELECT business_date, ticket_id, ticket FROM store_tickets WHERE hall_id = ? AND ended_date < ? AND ${personal.replaceAll("event", "ticket")}`)
      .all(hallId, before);
    const putEvent = this.db.prepare<[string, string, number]>("UPDATE store_events SET event = ? WHERE hall_id = ? AND seq = ?");
    const putTicket = this.db.prepare<[string, string, string, string]>("UPDATE store_tickets SET ticket = ? WHERE hall_id = ? AND business_date = ? AND ticket_id = ?");
    this.db.transaction(() => {
      for (const r of events) putEvent.run(JSON.stringify(eventWithoutPersonal(parseEvent(r.event))), hallId, r.seq);
      for (const r of tickets) putTicket.run(JSON.stringify(withoutPersonal(JSON.parse(r.ticket) as Ticket)), hallId, r.business_date, r.ticket_id);
    })();
    return events.length + tickets.length;
  }

  /** Closes the file when this store opened it; closing twice is harmless. */
  async close(): Promise<void> {
    this.halls.clear();
    if (this.ownsDb && this.db.open) this.db.close();
  }

  private hall(hallId: string): SqliteHall {
    const hall = this.halls.get(hallId);
    if (!hall) throw new HallCallError("UNKNOWN_HALL", `No hall "${hallId}".`);
    return hall;
  }

  /** The hall's replica from its checkpoint and the events logged after it. */
  private build(config: HallConfig): SqliteHall {
    const row = this.sql.checkpoint.get(config.id);
    if (!row) throw new Error(`hall ${config.id} has no checkpoint in the file`);
    const replica = HallReplica.of(config, HallSnapshot.parse(JSON.parse(row.snapshot)));
    for (;;) {
      const page = this.sql.eventsAfter.all(config.id, replica.seq, 1000);
      for (const { event } of page) {
        const e = parseEvent(event);
        if (!replica.apply(e)) throw new Error(`the log of hall ${config.id} does not continue at #${replica.seq} (found ${e.type} #${e.seq})`);
      }
      if (page.length < 1000) break;
    }
    // Tickets that ended in the hall's business day before the checkpoint are in no event the
    // replica folded. "Or later": past midnight, before the new day starts, the hall is still on
    // the day before, and keeps what ended since too.
    for (const { ticket } of this.sql.endedSince.all(config.id, replica.snapshot.businessDate)) replica.remember(Ticket.parse(JSON.parse(ticket)));
    return { config, replica, checkpointSeq: row.seq };
  }
}

interface CommitRows {
  events: { event: HallEvent; json: string }[];
  tickets: Ticket[];
  result: { commandId: string; json: string; expires: number } | null;
  checkpoint: HallSnapshot | null;
  now: number;
}
