import { openRecords } from "../server/records/open.js";
import { kyselyRunner } from "../server/records/records-store.js";
import { useTestDatabase } from "./helpers/postgres.js";
import { describeWebhookOutboxContract } from "./webhook-outbox.contract.js";

const pgdb = useTestDatabase("webhooks");

describeWebhookOutboxContract("PostgreSQL", async () => {
  const records = await openRecords({ databaseUrl: pgdb.url });
  return { records, run: kyselyRunner(records.db), close: () => records.close() };
});
