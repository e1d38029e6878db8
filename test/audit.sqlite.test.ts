import { openRecords } from "../server/records/open.js";
import { describeAuditContract } from "./audit.contract.js";

describeAuditContract("SQLite in memory", () => openRecords({ sqlite: ":memory:" }));
