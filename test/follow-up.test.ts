import { describe, expect, it } from "vitest";
import { HallCallError, type FollowUpStepInput } from "../protocol/index.js";
import { closedLate, decideStep, dueDateOf, isOverdue, OPENED, opensFollowUp, workingDaysBetween, type FollowUpFacts } from "../server/domain/follow-up.js";
import { decideLateRating } from "../server/domain/late-rating.js";

const plain = { holidays: [], workdays: [], makeUpDayAs: "mon" as const };
/** 清明 2026: Saturday 4 April to Monday 6 April off. */
const qingming = { holidays: ["2026-04-04", "2026-04-05", "2026-04-06"], workdays: [], makeUpDayAs: "mon" as const };

const callback = (reached: boolean): FollowUpStepInput => ({ kind: "callback", reached, note: "" });
const rectification: FollowUpStepInput = { kind: "rectification", note: "窗口人员培训" };
const appeal: FollowUpStepInput = { kind: "appeal", note: "误触评价器" };
const close: FollowUpStepInput = { kind: "close", note: "" };

const after = (...steps: FollowUpStepInput[]): FollowUpFacts => steps.reduce(decideStep, OPENED);
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err instanceof HallCallError ? err.code : String(err);
  }
  return "allowed";
};

describe("which ratings are followed up", () => {
  it("不满意 and 非常不满意 open a follow-up, 基本满意 and better do not", () => {
    expect([1, 2, 3, 4, 5].map(opensFollowUp)).toEqual([true, true, false, false, false]);
  });
});

describe("the follow-up's deadline", () => {
  it("is five working days after the rating's day: a Friday's is the next Friday", () => {
    expect(dueDateOf("2026-03-06", { workingDays: 5, calendar: plain })).toBe("2026-03-13");
  });

  it("skips the hall's holidays", () => {
    expect(dueDateOf("2026-04-03", { workingDays: 1, calendar: qingming })).toBe("2026-04-07");
  });

  it("is overdue the day after its due date until closed", () => {
    expect(isOverdue({ state: "calledBack", dueDate: "2026-03-13" }, "2026-03-13")).toBe(false);
    expect(isOverdue({ state: "calledBack", dueDate: "2026-03-13" }, "2026-03-14")).toBe(true);
    expect(isOverdue({ state: "closed", dueDate: "2026-03-13" }, "2026-03-20")).toBe(false);
  });

  it("a close after the due date is late", () => {
    expect(closedLate({ dueDate: "2026-03-13", closedDate: "2026-03-13" })).toBe(false);
    expect(closedLate({ dueDate: "2026-03-13", closedDate: "2026-03-16" })).toBe(true);
  });

  it("counts the working days it took, the rating's own day not included", () => {
    expect(workingDaysBetween("2026-03-06", "2026-03-06", plain)).toBe(0);
    expect(workingDaysBetween("2026-03-06", "2026-03-09", plain)).toBe(1);
    expect(workingDaysBetween("2026-04-03", "2026-04-07", qingming)).toBe(1);
  });
});

describe("the steps of a follow-up", () => {
  it("a callback that reached the citizen, then a rectification, then the close", () => {
    expect(after(callback(true))).toEqual({ state: "calledBack", reached: true, rectified: false, appealed: false });
    expect(after(callback(true), rectification)).toEqual({ state: "rectified", reached: true, rectified: true, appealed: false });
    expect(after(callback(true), rectification, close).state).toBe("closed");
  });

  it("an unanswered call can be tried again, and reaching the citizen later counts", () => {
    expect(after(callback(false)).reached).toBe(false);
    expect(after(callback(false), callback(true)).reached).toBe(true);
  });

  it("a callback after the rectification (再评估) keeps it rectified", () => {
    expect(after(rectification, callback(true))).toEqual({ state: "rectified", reached: true, rectified: true, appealed: false });
  });

  it("cannot be closed before anything is recorded", () => {
    expect(refusal(() => after(close))).toBe("ILLEGAL_TRANSITION");
  });

  it("cannot be closed on a call that did not reach the citizen alone", () => {
    expect(refusal(() => after(callback(false), close))).toBe("ILLEGAL_TRANSITION");
    expect(after(callback(true), close).state).toBe("closed");
  });

  it("an appealed rating is marked and can be closed, but not rectified", () => {
    expect(after(callback(true), appeal)).toEqual({ state: "appealed", reached: true, rectified: false, appealed: true });
    expect(after(appeal, close)).toEqual({ state: "closed", reached: false, rectified: false, appealed: true });
    expect(refusal(() => after(appeal, rectification))).toBe("ILLEGAL_TRANSITION");
    expect(refusal(() => after(appeal, appeal))).toBe("ILLEGAL_TRANSITION");
  });

  it("a rectified rating was accepted, so it cannot be appealed", () => {
    expect(refusal(() => after(rectification, appeal))).toBe("ILLEGAL_TRANSITION");
  });

  it("nothing is recorded on a closed follow-up", () => {
    for (const step of [callback(true), rectification, appeal, close]) expect(refusal(() => after(callback(true), close, step))).toBe("FOLLOW_UP_CLOSED");
  });
});

describe("a late rating from the tracker", () => {
  const rules = { lateDays: 7 };
  const ticket = { state: "finished" as const, businessDate: "2026-03-02", rating: null, steps: 1 };

  it("is taken for a finished, unrated ticket up to lateDays after its day", () => {
    expect(refusal(() => decideLateRating(ticket, "2026-03-02", rules))).toBe("allowed");
    expect(refusal(() => decideLateRating(ticket, "2026-03-09", rules))).toBe("allowed");
  });

  it("is refused after lateDays", () => {
    expect(refusal(() => decideLateRating(ticket, "2026-03-10", rules))).toBe("RATING_EXPIRED");
  });

  it("is refused for a ticket already rated, at the pad or before", () => {
    expect(refusal(() => decideLateRating({ ...ticket, rating: 4 }, "2026-03-03", rules))).toBe("ALREADY_RATED");
  });

  it("is refused for a ticket not served or not finished", () => {
    for (const state of ["waiting", "serving", "noShow", "cancelled"] as const) expect(refusal(() => decideLateRating({ ...ticket, state }, "2026-03-03", rules))).toBe("NOT_RATEABLE");
  });
});
