/**
 * The audit trail from the records (GET /api/halls/:hallId/audit): the hall's archived events
 * and the changes of its hours, merged newest first, filtered and paged in SQL on SQLite and
 * PostgreSQL alike. Each source answers at most one page past the cursor; the merge takes the
 * newest `limit` of both, so a month of events is never read into memory.
 *
 *   const page = await auditTrail(records, hall, AuditQuery.parse({ from, to, kind: "window" }));
 *   const older = await auditTrail(records, hall, AuditQuery.parse({ from, to, before: page.next }));
 *
 * The order is total: time, then a change of the hours before the events of the same
 * millisecond, then seq, then epoch (compared byte by byte on both databases), so a page never
 * repeats or skips an entry however many events share a millisecond.
 */
import { sql, type Expression, type SqlBool, type ExpressionBuilder } from "kysely";
import { encodeAuditCursor, type AuditEntry, type AuditPage, type AuditPosition, type AuditQuery, type HallEvent, type HoursUpdate } from "../../protocol/index.js";
import { actorFilter, auditEntry, eventTypesOf, hoursEntry, type AuditNames } from "../domain/audit.js";
import { addDays } from "../domain/calendar.js";
import { businessDate, instantOf } from "../domain/clock.js";
import type { RecordsStore } from "./records-store.js";
import type { RecordsDatabase } from "./schema.js";

/** What the trail needs of a hall: its id and zone (business dates of the hours' changes) and its names. */
export interface AuditHall extends AuditNames {
  id: string;
  timezone: string;
}

type Placed = { entry: AuditEntry; pos: AuditPosition };

/** Newest first: the order of the trail (see the file's comment). */
function newerFirst(a: AuditPosition, b: AuditPosition): number {
  if (a.at !== b.at) return b.at - a.at;
  if (a.src !== b.src) return a.src === "h" ? -1 : 1;
  if (a.seq !== b.seq) return b.seq - a.seq;
  return a.epoch === b.epoch ? 0 : a.epoch < b.epoch ? 1 : -1;
}

export async function auditTrail(records: RecordsStore, hall: AuditHall, q: AuditQuery): Promise<AuditPage> {
  const [events, hours] = await Promise.all([q.kind === "hours" ? [] : eventEntries(records, hall, q), q.kind === undefined || q.kind === "hours" ? hoursEntries(records, hall, q) : []]);
  const merged = [...events, ...hours].sort((a, b) => newerFirst(a.pos, b.pos));
  const page = merged.slice(0, q.limit);
  const last = page.at(-1);
  return { entries: page.map((p) => p.entry), next: merged.length > q.limit && last ? encodeAuditCursor(last.pos) : null };
}

async function eventEntries(records: RecordsStore, hall: AuditHall, q: AuditQuery): Promise<Placed[]> {
  // Epochs compare byte by byte on PostgreSQL too, whatever the database's collation, as they do in newerFirst.
  const epoch = records.kind === "postgres" ? sql<string>`${sql.ref("epoch")} collate "C"` : sql<string>`${sql.ref("epoch")}`;
  let query = records.db
    .selectFrom("records_events")
    .select(["epoch", "seq", "at", "business_date", "event"])
    .where("hall_id", "=", hall.id)
    .where("business_date", ">=", q.from)
    .where("business_date", "<=", q.to);
  if (q.actor !== undefined) {
    const who = actorFilter(q.actor);
    query = "kind" in who ? query.where("actor_kind", "=", who.kind) : query.where("actor_id", "=", who.id);
  }
  if (q.kind !== undefined) {
    const { types, chosen } = eventTypesOf(q.kind);
    query = query.where("type", "in", types);
    if (chosen === "only") query = query.where("chosen", "=", 1);
    if (chosen === "never") query = query.where((eb) => eb.or([eb("type", "!=", "ticket:called"), eb(eb.fn.coalesce("chosen", eb.lit(0)), "=", 0)]));
  }
  const before = q.before;
  if (before) {
    query = query.where((eb: ExpressionBuilder<RecordsDatabase, "records_events">): Expression<SqlBool> => {
      // A change of the hours at the cursor's millisecond comes before every event of it.
      if (before.src === "h") return eb("at", "<=", before.at);
      return eb.or([
        eb("at", "<", before.at),
        eb.and([eb("at", "=", before.at), eb.or([eb("seq", "<", before.seq), eb.and([eb("seq", "=", before.seq), eb(epoch, "<", before.epoch)])])]),
      ]);
    });
  }
  const rows = await query
    .orderBy("at", "desc")
    .orderBy("seq", "desc")
    .orderBy(epoch, "desc")
    .limit(q.limit + 1)
    .execute();
  return rows.map((r) => {
    const e = JSON.parse(r.event) as HallEvent;
    return { entry: auditEntry(e, r.business_date, hall), pos: { at: Number(r.at), src: "e", seq: Number(r.seq), epoch: r.epoch } };
  });
}

async function hoursEntries(records: RecordsStore, hall: AuditHall, q: AuditQuery): Promise<Placed[]> {
  if (q.actor !== undefined) {
    const who = actorFilter(q.actor);
    // The hours are changed by managers in the console, and nobody else.
    if ("kind" in who && who.kind !== "manager") return [];
  }
  let query = records.db
    .selectFrom("records_hours")
    .select(["version", "hours", "by", "at"])
    .where("hall_id", "=", hall.id)
    .where("at", ">=", instantOf(q.from, "00:00", hall.timezone))
    .where("at", "<", instantOf(addDays(q.to, 1), "00:00", hall.timezone));
  if (q.actor !== undefined) {
    const who = actorFilter(q.actor);
    if ("id" in who) query = query.where("by", "=", who.id);
  }
  const before = q.before;
  if (before) {
    query = query.where((eb) => (before.src === "e" ? eb("at", "<", before.at) : eb.or([eb("at", "<", before.at), eb.and([eb("at", "=", before.at), eb("version", "<", before.seq)])])));
  }
  const rows = await query.orderBy("at", "desc").orderBy("version", "desc").limit(q.limit + 1).execute();
  return rows.map((r) => {
    const change = { version: Number(r.version), hours: JSON.parse(r.hours) as HoursUpdate, by: r.by, at: Number(r.at) };
    return { entry: hoursEntry(change, businessDate(change.at, hall.timezone), hall), pos: { at: change.at, src: "h", seq: change.version, epoch: "" } };
  });
}
