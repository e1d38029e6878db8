import { openRecords } from "../server/records/open.js";
import { useTestDatabase } from "./helpers/postgres.js";
import { describeAuditContract } from "./audit.contract.js";

const pgdb = useTestDatabase("audit");

describeAuditContract("PostgreSQL", () => openRecords({ databaseUrl: pgdb.url }));
