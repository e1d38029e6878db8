import { openRecords } from "../server/records/open.js";
import { useTestDatabase } from "./helpers/postgres.js";
import { describeCasesContract } from "./cases.contract.js";

const pgdb = useTestDatabase("cases");

describeCasesContract("PostgreSQL", () => openRecords({ databaseUrl: pgdb.url }));
