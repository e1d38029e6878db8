import { describeRecordsContract } from "./records.contract.js";
import { openRecords } from "../server/records/open.js";
import { useTestDatabase } from "./helpers/postgres.js";

const pgdb = useTestDatabase("records");

describeRecordsContract("PostgreSQL", () => openRecords({ databaseUrl: pgdb.url }));
