/**
 * Records from the settings: PostgreSQL when DATABASE_URL is set (the Redis deployment), else
 * SQLite: a file, ":memory:", or the embedded store's own better-sqlite3 connection.
 *
 *   const records = await openRecords({ databaseUrl: config.DATABASE_URL, log });
 *   const records = await openRecords({ sqlite: db });        // shares the store's file
 *   const records = await openRecords({ databaseUrl, phoneKey: config.PHONE_KEY, log });
 */
import Database, { type Database as SqliteDatabase } from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Logger } from "../log.js";
import { migrateRecords } from "./migrations.js";
import { KyselyHours } from "./hours-store.js";
import { KyselyBookings } from "./kysely-bookings.js";
import { KyselyRecords, kyselyRunner, sqliteRunner, type RecordsParts, type RecordsStore } from "./records-store.js";
import type { RecordsDatabase } from "./schema.js";

export interface RecordsSettings {
  /** postgres://user@host:port/db; wins over `sqlite`. */
  databaseUrl?: string;
  /** A file path or ":memory:" (opened and closed by the records), or an open connection (left open). */
  sqlite?: string | SqliteDatabase;
  /**
   * The key of the phones' keyed hash (PHONE_KEY, 16 characters or more); without it, a random one
   * made once and kept in the database. See kysely-bookings.ts.
   */
  phoneKey?: string;
  log?: Pick<Logger, "warn">;
}

/** How long PostgreSQL may take, ms: the archiver gives up and retries rather than hang. */
export const PG_TIMEOUTS = {
  /** To get a connection: an unreachable database fails an archiver round this soon. */
  connectMs: 5_000,
  /** One query, from the client's side (a paused or partitioned server). */
  queryMs: 15_000,
};

const INT8_OID = 20;

export async function openRecords(settings: RecordsSettings): Promise<RecordsStore> {
  // A short key can be found by trying keys against a known number's hash.
  if (settings.phoneKey !== undefined && settings.phoneKey.length < 16) throw new Error("the phone key (PHONE_KEY) needs at least 16 characters");
  if (settings.databaseUrl) return openPostgres(settings.databaseUrl, settings.log ?? console, settings.phoneKey);
  if (settings.sqlite !== undefined) return openSqlite(settings.sqlite, settings.phoneKey);
  throw new Error("openRecords needs a databaseUrl or an sqlite file or connection");
}

/** The records with their bookings and hours, on one database. */
function records(parts: RecordsParts, phoneKey: string | undefined, close: () => Promise<void>): RecordsStore {
  return new KyselyRecords({ ...parts, bookings: new KyselyBookings({ ...parts, phoneKey }), hours: new KyselyHours(parts), close });
}

async function openSqlite(sqlite: string | SqliteDatabase, phoneKey: string | undefined): Promise<RecordsStore> {
  const owned = typeof sqlite === "string";
  const database = owned ? new Database(sqlite) : sqlite;
  if (owned) {
    database.pragma("journal_mode = WAL");
    database.pragma("busy_timeout = 5000");
  }
  const db = new Kysely<RecordsDatabase>({ dialect: new SqliteDialect({ database }) });
  try {
    await migrateRecords(db as Kysely<unknown>);
  } catch (err) {
    if (owned) database.close();
    throw err;
  }
  // Kysely's destroy closes the connection, which is not ours to close when it was given.
  return records({ kind: "sqlite", db, run: sqliteRunner(database), ready: async () => {} }, phoneKey, async () => void (owned && database.close()));
}

async function openPostgres(url: string, log: Pick<Logger, "warn">, phoneKey: string | undefined): Promise<RecordsStore> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: PG_TIMEOUTS.connectMs,
    query_timeout: PG_TIMEOUTS.queryMs,
    // bigint columns hold epoch milliseconds, well inside a double: read them as numbers.
    types: { getTypeParser: ((oid: number, format?: "text" | "binary") => (oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
  });
  // An idle connection the server drops (a restart, pg_terminate_backend) is reported here; unheard,
  // it would end the process. The next query takes a fresh connection.
  pool.on("error", (err) => log.warn("records: PostgreSQL connection lost", err));
  const db = new Kysely<RecordsDatabase>({ dialect: new PostgresDialect({ pool }) });

  // A database that is away at startup must not keep the hall from opening: the tables are
  // migrated before the first operation that finds it back.
  let migrated: Promise<void> | null = null;
  const ready = () =>
    (migrated ??= migrateRecords(db as Kysely<unknown>).catch((err: unknown) => {
      migrated = null;
      throw err;
    }));
  await ready().catch((err: unknown) => log.warn("records: PostgreSQL not ready at startup; the archiver will migrate and catch up when it is", err));
  return records({ kind: "postgres", db, run: kyselyRunner(db), ready }, phoneKey, () => db.destroy());
}
