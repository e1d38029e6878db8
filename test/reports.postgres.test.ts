import { openRecords } from "../server/records/open.js";
import { useTestDatabase } from "./helpers/postgres.js";
import { describeReportsContract } from "./reports.contract.js";

const pgdb = useTestDatabase("reports");

describeReportsContract("PostgreSQL", () => openRecords({ databaseUrl: pgdb.url }));
