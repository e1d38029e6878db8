/**
 * A PostgreSQL database of its own for one test file, on the machine's server (127.0.0.1:5432,
 * trust auth as postgres; PG_ADMIN_URL overrides). Created in beforeAll, dropped in afterAll. The
 * server itself is shared with other tests and never stopped: `block()` takes only this
 * database away (no new connections, the open ones terminated), `unblock()` gives it back.
 *
 *   const pgdb = useTestDatabase("archiver");
 *   openRecords({ databaseUrl: pgdb.url });
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";

export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Refuse new connections to this database and end the open ones, as a database gone away would. */
  block(): Promise<void>;
  unblock(): Promise<void>;
  /** One query on this database (as the admin), for checks. */
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>, url = PG_ADMIN_URL): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `hc_${label.replace(/[^a-z0-9]/gi, "_").toLowerCase()}_${randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const base = new URL(PG_ADMIN_URL);
  base.pathname = `/${name}`;
  const url = base.toString();
  const terminate = (c: pg.Client) => c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
  return {
    name,
    url,
    async block() {
      await admin(async (c) => {
        await c.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
        await terminate(c);
      });
    },
    async unblock() {
      await admin((c) => c.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`));
    },
    async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      return admin(async (c) => (await c.query<R>(text, values)).rows, url);
    },
    async drop() {
      await admin(async (c) => {
        await c.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`).catch(() => undefined);
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      });
    },
  };
}

/** A database for the file: created before its tests, dropped after. */
export function useTestDatabase(label: string): TestDatabase {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(label);
  });
  afterAll(async () => {
    await db?.drop();
  });
  const current = () => db ?? (() => { throw new Error("the test database exists only inside the tests"); })();
  return {
    get name() {
      return current().name;
    },
    get url() {
      return current().url;
    },
    block: () => current().block(),
    unblock: () => current().unblock(),
    query: (text, values) => current().query(text, values),
    drop: () => current().drop(),
  };
}
