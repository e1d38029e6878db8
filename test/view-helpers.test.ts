/** The pages' small view helpers only read what the server sent: these pin down how. */
import { describe, expect, it } from "vitest";
import type { QueueSummary } from "../protocol/index.js";
import { snapshotAt } from "./helpers/entities.js";
import { queueRows } from "../manager/queues.js";
import { serviceFigures } from "../web/shared/hall-figures.js";

const snapshot = snapshotAt(3, { services: [{ id: "A", prefix: "A", name: { zh: "社保", en: "Social" }, targetWaitMin: 20, dailyQuota: 500, opens: "08:00", closes: "18:00", serviceMin: 8 }] });
const summary: QueueSummary = {
  hallId: "h",
  seq: 3,
  at: 1_000_000,
  services: { A: { waiting: 2, windows: 1, newTicketEtaSec: 900, order: ["A001", "A002"], etaSec: [0, 450], availability: "quotaExhausted", quotaLeft: 0, opensAt: null, notice: null, oldestWaitSec: 300, overTarget: true } },
  sentTo: {},
  staffing: [],
};

describe("view helpers", () => {
  it("a screen shows no figures before the hall's first summary, and the summary's after it", () => {
    expect(serviceFigures("h", null, "A")).toEqual({ waiting: null, etaSec: null, windows: null, availability: null });
    expect(serviceFigures("h", summary, "A")).toEqual({ waiting: 2, etaSec: 900, windows: 1, availability: "quotaExhausted" });
    expect(serviceFigures("other", summary, "A").waiting).toBeNull();
  });

  it("the console's oldest wait runs on from the summary's time; the alert is the server's", () => {
    const [row] = queueRows(snapshot, summary, summary.at + 60_000);
    expect(row).toMatchObject({ waiting: 2, oldestSec: 360, etaSec: 900, windows: 1, overTarget: true });
    expect(queueRows(snapshot, null, 0)).toEqual([]);
  });
});
