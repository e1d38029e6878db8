/**
 * The hall's summary report (protocol/reports.ts ReportSummary) from the records' ticket rows, on
 * SQLite and PostgreSQL alike: the rows of the range are read in pages (ticketPages) and folded in
 * one pass into every grouping asked for, the total and the weekday × hour arrivals. Percentiles and
 * the hall-local hour and weekday are computed here rather than in SQL, where the two dialects
 * differ (SQLite has neither percentile_cont nor time zones).
 *
 *   const summary = await summarize(records, hall, { from: "2026-03-01", to: "2026-03-31", by: "service" });
 *   const mine = await summarize(records, hall, { from, to, by: "day" }, { staffId: "alice" });
 *
 * A row counts each ticket once, under the business day it was issued, the service it is (or was
 * last) queued for, and the window and staff member who last held it. Its ratings are those given
 * to the services of the group (records/ratings.ts): a bundle's steps each under the service,
 * window and staff that served it; a bundle's whole matter only in `bundles`. Groups with neither
 * a ticket nor a rating have no row; by window or staff, a ticket no window held (never called)
 * is in the total only.
 */
import type { Bilingual } from "../../protocol/index.js";
import type { ReportGrouping, ReportQuery, ReportRow, ReportSummary } from "../../protocol/reports.js";
import type { HallConfig } from "../domain/config.js";
import { businessDate, systemClock } from "../domain/clock.js";
import { sql, type RawBuilder } from "kysely";
import type { RecordsStore } from "./records-store.js";
import type { TicketsTable } from "./schema.js";

/** Rows read per query: a page, never the whole range. */
export const PAGE_ROWS = 2_000;

/**
 * The hall's ticket rows of the business days from..to, by business day, then issue time, in pages
 * of at most `pageRows`. Each page is one complete query (keyset on issued_at, ticket_id within a
 * day), so nothing stays open on the connection between pages: on the embedded store the SQLite
 * connection is the store's, and an open statement (Kysely's stream(), better-sqlite3's iterate())
 * would make every command committed meanwhile fail with "connection is busy".
 */
export async function* ticketPages<C extends keyof TicketsTable>(
  records: RecordsStore,
  hallId: string,
  from: string,
  to: string,
  columns: readonly C[],
  pageRows = PAGE_ROWS,
): AsyncGenerator<Pick<TicketsTable, C | "issued_at" | "ticket_id">[]> {
  const select = [...new Set<keyof TicketsTable>([...columns, "issued_at", "ticket_id"])];
  for (const day of datesOf(from, to)) {
    let after: { issued_at: number; ticket_id: string } | null = null;
    for (;;) {
      let q = records.db
        .selectFrom("records_tickets")
        .select(select)
        .where("hall_id", "=", hallId)
        .where("business_date", "=", day);
      if (after) {
        const { issued_at, ticket_id } = after;
        q = q.where((eb) => eb.or([eb("issued_at", ">", issued_at), eb.and([eb("issued_at", "=", issued_at), eb("ticket_id", ">", ticket_id)])]));
      }
      const page = (await q.orderBy("issued_at").orderBy("ticket_id").limit(pageRows).execute()) as unknown as Pick<TicketsTable, C | "issued_at" | "ticket_id">[];
      if (page.length) yield page;
      if (page.length < pageRows) break;
      const last = page.at(-1)!;
      after = { issued_at: Number(last.issued_at), ticket_id: last.ticket_id };
    }
  }
}

/** Every date from..to (YYYY-MM-DD, inclusive). */
export function datesOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Hall-local wall time of instants, fast enough for a quarter of tickets: the zone's offset is
 * looked up (Intl) once per UTC hour and cached, since zones change offset on the hour (the few
 * that change on a half hour are off for at most that half hour's tickets).
 */
export class LocalTime {
  private readonly offsets = new Map<number, number>();
  private readonly format: Intl.DateTimeFormat;

  constructor(readonly timezone: string) {
    this.format = new Intl.DateTimeFormat("en-US", { timeZone: timezone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  /** ms to add to an instant to read its hall-local wall time as UTC. */
  offsetMs(at: number): number {
    const hour = Math.floor(at / HOUR_MS);
    let offset = this.offsets.get(hour);
    if (offset === undefined) {
      const start = hour * HOUR_MS;
      const p: Record<string, string> = {};
      for (const part of this.format.formatToParts(start)) p[part.type] = part.value;
      offset = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!) - start;
      this.offsets.set(hour, offset);
    }
    return offset;
  }

  /** The instant's wall time as a Date whose UTC fields are the hall-local ones. */
  wall(at: number): Date {
    return new Date(at + this.offsetMs(at));
  }

  /** "YYYY-MM-DD HH:MM:SS", hall-local. */
  text(at: number): string {
    return this.wall(at).toISOString().slice(0, 19).replace("T", " ");
  }

  hour(at: number): number {
    return Math.floor((at + this.offsetMs(at)) / HOUR_MS) % 24;
  }

  /** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
  weekday(at: number): number {
    return (Math.floor((at + this.offsetMs(at)) / DAY_MS) + 3) % 7;
  }
}

/** One group's figures as the aggregate query reads them. */
interface Sums {
  k: string | number;
  issued: number;
  served: number | null;
  no_shows: number | null;
  cancelled: number | null;
  transferred: number | null;
  wait_sum: number | null;
  wait_n: number;
  targeted: number | null;
  within: number | null;
  service_sum: number | null;
  service_n: number;
  r1: number | null;
  r2: number | null;
  r3: number | null;
  r4: number | null;
  r5: number | null;
}

/** Ratings by level as the rating query reads them. */
type Levels = Pick<Sums, "k" | "r1" | "r2" | "r3" | "r4" | "r5">;

const NO_LEVELS = { r1: 0, r2: 0, r3: 0, r4: 0, r5: 0 };
/** A group no ticket counts in (its ratings only). */
const NO_TICKETS: Omit<Sums, "k"> = { issued: 0, served: 0, no_shows: 0, cancelled: 0, transferred: 0, wait_sum: null, wait_n: 0, targeted: 0, within: 0, service_sum: null, service_n: 0, ...NO_LEVELS };

/** The five levels, 满意率 and 差评 of some ratings. */
function levelsOf(s: Levels | undefined): Pick<ReportRow, "ratings" | "satisfaction" | "bad"> {
  const n = (v: number | string | null | undefined) => Number(v ?? 0);
  const ratings = s ? [n(s.r1), n(s.r2), n(s.r3), n(s.r4), n(s.r5)] : [0, 0, 0, 0, 0];
  const rated = ratings.reduce((a, b) => a + b, 0);
  return { ratings, satisfaction: rated ? (ratings[2]! + ratings[3]! + ratings[4]!) / rated : null, bad: ratings[0]! + ratings[1]! };
}

/** Waits to the second → how many tickets waited that long. */
type Histogram = Map<number, number>;

/** An hour (a number from SQL) as "00"…"23"; other keys as they are. */
const keyText = (k: string | number) => (typeof k === "number" ? String(k).padStart(2, "0") : k);

/** The p-th percentile of a histogram's values, interpolated between ranks (as PostgreSQL's percentile_cont); null for none. */
export function percentile(hist: Histogram | undefined, p: number): number | null {
  const sorted = [...(hist ?? [])].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const n = sorted.reduce((sum, [, c]) => sum + c, 0);
  if (!n) return null;
  const at = (rank: number) => {
    for (const [w, c] of sorted) if ((rank -= c) < 0) return w;
    return sorted.at(-1)![0];
  };
  const pos = p * (n - 1);
  const lo = Math.floor(pos);
  return at(lo) + (at(Math.ceil(pos)) - at(lo)) * (pos - lo);
}

function mergeHistograms(all: Histogram[]): Histogram {
  const out: Histogram = new Map();
  for (const h of all) for (const [w, n] of h) out.set(w, (out.get(w) ?? 0) + n);
  return out;
}

function mergeSums(all: Sums[]): Sums {
  const out: Record<string, number | string> = { k: "total" };
  for (const s of all) for (const [f, v] of Object.entries(s)) if (f !== "k") out[f] = Number(out[f] ?? 0) + Number(v ?? 0);
  return out as unknown as Sums;
}

function rowOf(key: string, label: Bilingual | null, targetWaitSec: number | null, s: Sums | undefined, hist: Histogram | undefined): ReportRow {
  const n = (v: number | string | null | undefined) => Number(v ?? 0);
  const waits = n(s?.wait_n);
  return {
    key,
    label,
    issued: n(s?.issued),
    served: n(s?.served),
    noShows: n(s?.no_shows),
    cancelled: n(s?.cancelled),
    transferred: n(s?.transferred),
    waitMeanSec: waits ? n(s!.wait_sum) / waits : null,
    waitP50Sec: percentile(hist, 0.5),
    waitP90Sec: percentile(hist, 0.9),
    withinTargetShare: n(s?.targeted) ? n(s!.within) / n(s!.targeted) : null,
    targetWaitSec,
    serviceMeanSec: n(s?.service_n) ? n(s!.service_sum) / n(s!.service_n) : null,
    ...levelsOf(s),
  };
}

export interface SummaryFilter {
  /** Only the tickets this staff member last held (the counter's own figures). */
  staffId?: string;
}

/**
 * The hall-local offset of every instant of [start, end) as SQL (a CASE over the zone's offset
 * changes in the range, found day by day and then to the hour), inlined as literals so that the
 * same text can be grouped on in PostgreSQL.
 */
function offsetSql(local: LocalTime, start: number, end: number): RawBuilder<number> {
  const changes: { at: number; offset: number }[] = [];
  let offset = local.offsetMs(start);
  for (let day = start; day < end; day += DAY_MS) {
    const next = local.offsetMs(day + DAY_MS);
    if (next === offset) continue;
    let hour = day;
    while (local.offsetMs(hour) === offset) hour += HOUR_MS;
    changes.push({ at: hour, offset: next });
    offset = next;
  }
  const first = local.offsetMs(start);
  if (!changes.length) return sql<number>`${sql.lit(first)}`;
  // The latest change first: the first WHEN that holds is the offset in force.
  const whens = [...changes].reverse().map((c) => sql`WHEN issued_at >= ${sql.lit(c.at)} THEN ${sql.lit(c.offset)}`);
  return sql<number>`(CASE ${sql.join(whens, sql` `)} ELSE ${sql.lit(first)} END)`;
}

/** The summary of the range for each grouping asked for. */
export async function summarizeAll<G extends ReportGrouping>(
  records: RecordsStore,
  hall: HallConfig,
  range: { from: string; to: string },
  groupings: readonly G[],
  filter: SummaryFilter = {},
  /** When the report is made: which open follow-ups are overdue. */
  now: number = systemClock.now(),
): Promise<Record<G, ReportSummary>> {
  const { db } = records;
  const targets = new Map(hall.services.map((s) => [s.id, s.targetWaitMin * 60]));
  const local = new LocalTime(hall.timezone);
  // Tickets of a business date were issued within a day of its UTC midnight, in any zone.
  const offset = offsetSql(local, Date.parse(`${range.from}T00:00:00Z`) - 2 * DAY_MS, Date.parse(`${range.to}T00:00:00Z`) + 3 * DAY_MS);
  const localMs = sql`(issued_at + ${offset})`;
  const where = sql`hall_id = ${hall.id} AND business_date >= ${range.from} AND business_date <= ${range.to}${filter.staffId === undefined ? sql`` : sql` AND staff_id = ${filter.staffId}`}`;
  const target = targets.size
    ? sql`CASE ${sql.join([...targets].map(([id, sec]) => sql`WHEN service_id = ${id} THEN ${sql.lit(sec)}`), sql` `)} END`
    : sql`NULL`;
  const count = (cond: RawBuilder<unknown>) => sql`SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;
  const keyOf: Record<ReportGrouping | "total", RawBuilder<unknown>> = {
    day: sql`business_date`,
    service: sql`service_id`,
    window: sql`window_id`,
    staff: sql`staff_id`,
    hour: sql`(${localMs} / ${sql.lit(HOUR_MS)}) % 24`,
    // Constant within the query: the whole range as one group.
    total: sql`hall_id`,
  };

  const sums = async (key: RawBuilder<unknown>) =>
    (
      await sql<Sums>`SELECT ${key} AS k, COUNT(*) AS issued,
        ${count(sql`outcome = 'finished'`)} AS served, ${count(sql`outcome = 'noShow'`)} AS no_shows, ${count(sql`outcome = 'cancelled'`)} AS cancelled,
        ${count(sql`transferred = 1`)} AS transferred, SUM(wait_sec) AS wait_sum, COUNT(wait_sec) AS wait_n,
        ${count(sql`wait_sec IS NOT NULL AND ${target} IS NOT NULL`)} AS targeted, ${count(sql`wait_sec <= ${target}`)} AS within,
        SUM(service_sec) AS service_sum, COUNT(service_sec) AS service_n
        FROM records_tickets WHERE ${where} AND ${key} IS NOT NULL GROUP BY 1`.execute(db)
    ).rows;
  // Ratings are counted where they were given: each service's (a bundle's every step) under its own
  // service, window and staff; a bundle's whole matter (整件事) is no window's and counted apart.
  const levels = sql`${count(sql`rating = 1`)} AS r1, ${count(sql`rating = 2`)} AS r2, ${count(sql`rating = 3`)} AS r3, ${count(sql`rating = 4`)} AS r4, ${count(sql`rating = 5`)} AS r5`;
  const ratingSums = async (key: RawBuilder<unknown>, scope: "service" | "whole") =>
    (await sql<Levels>`SELECT ${key} AS k, ${levels} FROM records_ratings WHERE ${where} AND scope = ${scope} AND ${key} IS NOT NULL GROUP BY 1`.execute(db)).rows;
  /** A grouping's ticket figures with its service ratings; a group may have ratings only (a bundle's step served there, its ticket last held elsewhere). */
  const withRatings = (tickets: Sums[], ratings: Levels[]): Map<string, Sums> => {
    const out = new Map<string, Sums>(tickets.map((g) => [keyText(g.k), { ...g, ...NO_LEVELS }]));
    for (const r of ratings) {
      const k = keyText(r.k);
      out.set(k, { ...(out.get(k) ?? { ...NO_TICKETS, k: r.k }), r1: r.r1, r2: r.r2, r3: r.r3, r4: r.r4, r5: r.r5 });
    }
    return out;
  };

  // The waits per group as a histogram to the second: a few thousand rows where the waits
  // themselves are a quarter's tickets (and ranking them by window function is slower on SQLite).
  const histograms = async (key: RawBuilder<unknown>) => {
    const { rows } = await sql<{ k: string | number; w: number; n: number }>`SELECT ${key} AS k, ROUND(wait_sec) AS w, COUNT(*) AS n
      FROM records_tickets WHERE ${where} AND wait_sec IS NOT NULL AND ${key} IS NOT NULL GROUP BY 1, 2`.execute(db);
    const out = new Map<string, Histogram>();
    for (const r of rows) {
      const k = keyText(r.k);
      if (!out.has(k)) out.set(k, new Map());
      out.get(k)!.set(Number(r.w), Number(r.n));
    }
    return out;
  };
  const arrivalsOf = async () => {
    const { rows } = await sql<{ d: number; h: number; n: number }>`SELECT (${localMs} / ${sql.lit(DAY_MS)} + 3) % 7 AS d, (${localMs} / ${sql.lit(HOUR_MS)}) % 24 AS h, COUNT(*) AS n
      FROM records_tickets WHERE ${where} GROUP BY 1, 2`.execute(db);
    const arrivals = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    for (const r of rows) arrivals[Number(r.d)]![Number(r.h)]! += Number(r.n);
    return arrivals;
  };

  const grouped = new Map<ReportGrouping, { sums: Map<string, Sums>; hist: Map<string, Histogram> }>();
  for (const by of groupings) {
    const [groupSums, groupRatings, hist] = await Promise.all([sums(keyOf[by]), ratingSums(keyOf[by], "service"), histograms(keyOf[by])]);
    grouped.set(by, { sums: withRatings(groupSums, groupRatings), hist });
  }
  // Every ticket has a day, a service and an hour: the total is then the sum of those groups.
  const covering = (["day", "service", "hour"] as const).find((g) => grouped.has(g));
  const totalOf = async (): Promise<ReportRow> => {
    if (covering) {
      const { sums: all, hist } = grouped.get(covering)!;
      return rowOf("total", null, null, mergeSums([...all.values()]), mergeHistograms([...hist.values()]));
    }
    const [s, r, h] = await Promise.all([sums(keyOf.total), ratingSums(keyOf.total, "service"), histograms(keyOf.total)]);
    return rowOf("total", null, null, withRatings(s, r).get(hall.id), h.get(hall.id));
  };
  const [total, arrivals, followUps, wholes] = await Promise.all([
    totalOf(),
    arrivalsOf(),
    records.followUps.indicators(hall.id, range, businessDate(now, hall.timezone), hall.calendar, filter),
    ratingSums(keyOf.total, "whole"),
  ]);
  const bundles = levelsOf(wholes[0]);

  const out = {} as Record<G, ReportSummary>;
  for (const by of groupings) {
    const { sums: byKey, hist } = grouped.get(by)!;
    out[by] = {
      hallId: hall.id,
      from: range.from,
      to: range.to,
      by,
      rows: orderedKeys(hall, by, [...byKey.keys()]).map((key) => rowOf(key, labelOf(hall, by, key), by === "service" ? (targets.get(key) ?? null) : null, byKey.get(key), hist.get(key))),
      total,
      arrivals: arrivals.map((hours) => [...hours]),
      followUps: { ...followUps },
      bundles: { ...bundles, ratings: [...bundles.ratings] },
    };
  }
  return out;
}

/** The summary of one grouping (GET …/reports/summary). */
export async function summarize(records: RecordsStore, hall: HallConfig, query: ReportQuery, filter: SummaryFilter = {}, now?: number): Promise<ReportSummary> {
  return (await summarizeAll(records, hall, query, [query.by], filter, now))[query.by];
}

/** Days and hours in order; services, windows and staff in the hall config's order, then any it no longer lists. */
function orderedKeys(hall: HallConfig, by: ReportGrouping, keys: string[]): string[] {
  const configured = by === "service" ? hall.services.map((s) => s.id) : by === "window" ? hall.windows.map((w) => w.id) : by === "staff" ? hall.staff.map((s) => s.id) : [];
  const rank = new Map(configured.map((id, i) => [id, i]));
  return keys.sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0));
}

/** A group's name from the hall config: null for days and hours, and for what it no longer lists. */
export function labelOf(hall: HallConfig, by: ReportGrouping, key: string): Bilingual | null {
  if (by === "service") return hall.services.find((s) => s.id === key)?.name ?? null;
  if (by === "window") return hall.windows.find((w) => w.id === key)?.label ?? null;
  if (by === "staff") {
    const name = hall.staff.find((s) => s.id === key)?.name;
    return name ? { zh: name, en: name } : null;
  }
  return null;
}
