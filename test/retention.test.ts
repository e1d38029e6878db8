import { describe, expect, it } from "vitest";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import { retentionCutoff } from "../server/domain/retention.js";
import { RetentionJob, type PersonalEraser } from "../server/records/retention-job.js";
import { silentLogger } from "../server/log.js";
import { testHall } from "./helpers/hall.js";

describe("the retention rule", () => {
  it("keeps personal data of the last personalDays business days and erases what is older", () => {
    expect(retentionCutoff("2026-12-04", 180)).toBe("2026-06-07");
    expect(retentionCutoff("2026-03-01", 1)).toBe("2026-02-28");
  });

  it("a hall's config says how long; 180 days when it says nothing", () => {
    expect(testHall().retention.personalDays).toBe(180);
    expect(testHall({ retention: { personalDays: 30 } }).retention.personalDays).toBe(30);
  });

  it("the job asks every store to erase each hall's days before its own cutoff, and one store failing does not stop the others", async () => {
    const clock = new ManualClock(instantOf("2026-12-04", "09:00", "Asia/Shanghai"));
    const asked: string[] = [];
    const failing: PersonalEraser = async () => {
      throw new Error("database away");
    };
    const recording: PersonalEraser = async (hallId, before) => (asked.push(`${hallId} ${before}`), 0);
    const job = new RetentionJob([testHall({ id: "a" }), testHall({ id: "b", retention: { personalDays: 30 } })], [failing, recording], clock, silentLogger);
    await job.run();
    expect(asked).toEqual(["a 2026-06-07", "b 2026-11-04"]);
  });
});
