import { openRecords } from "../server/records/open.js";
import { describeReportsContract } from "./reports.contract.js";

describeReportsContract("SQLite in memory", () => openRecords({ sqlite: ":memory:" }));
