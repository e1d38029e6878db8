import Database from "better-sqlite3";
import { openRecords } from "../server/records/open.js";
import { sqliteRunner } from "../server/records/records-store.js";
import { describeWebhookOutboxContract } from "./webhook-outbox.contract.js";

describeWebhookOutboxContract("SQLite in memory", async () => {
  const database = new Database(":memory:");
  const records = await openRecords({ sqlite: database });
  return {
    records,
    run: sqliteRunner(database),
    close: async () => {
      await records.close();
      database.close();
    },
  };
});
