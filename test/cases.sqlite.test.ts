import { openRecords } from "../server/records/open.js";
import { describeCasesContract } from "./cases.contract.js";

describeCasesContract("SQLite in memory", () => openRecords({ sqlite: ":memory:" }));
