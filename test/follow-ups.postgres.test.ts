import { openRecords } from "../server/records/open.js";
import { useTestDatabase } from "./helpers/postgres.js";
import { describeFollowUpsContract } from "./follow-ups.contract.js";

const pgdb = useTestDatabase("follow_ups");

describeFollowUpsContract("PostgreSQL", () => openRecords({ databaseUrl: pgdb.url }));
