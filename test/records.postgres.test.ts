import { describeRecordsContract } from "./records.contract.js";
import { openRecords } from "../server/records/open.js";
import { createTestDatabase, useTestDatabase } from "./helpers/postgres.js";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { RecordsDatabase } from "../server/records/schema.js";
import { describeRatingsMigration } from "./records-migration.contract.js";

const pgdb = useTestDatabase("records");

describeRecordsContract("PostgreSQL", () => openRecords({ databaseUrl: pgdb.url }));

describeRatingsMigration("PostgreSQL", async () => {
  const database = await createTestDatabase("migration");
  const db = new Kysely<RecordsDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url }) }) });
  return {
    db,
    async drop() {
      await db.destroy();
      await database.drop();
    },
  };
});
