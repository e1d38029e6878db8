import { openRecords } from "../server/records/open.js";
import { describeFollowUpsContract } from "./follow-ups.contract.js";

describeFollowUpsContract("SQLite in memory", () => openRecords({ sqlite: ":memory:" }));
