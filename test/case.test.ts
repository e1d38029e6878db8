import { describe, expect, it } from "vitest";
import { HallCallError, type CaseState, type CaseView } from "../protocol/index.js";
import {
  boardCounts,
  caseNumber,
  caseReportRows,
  caseTicketAt,
  currentDepartment,
  decideCaseStep,
  decideClose,
  documentsNeeded,
  dueDateOf,
  dueWithinWorkingDay,
  isOverdue,
  meanWorkingDaysToResolve,
  publicCase,
  type CaseFacts,
  type CaseStepInput,
} from "../server/domain/case.js";
import { parseHall } from "../server/domain/config.js";
import { testHall } from "./helpers/hall.js";

const plain = { holidays: [], workdays: [], makeUpDayAs: "mon" as const };
/** Wednesday 9 December 2026 a holiday (for the test). */
const withHoliday = { holidays: ["2026-12-09"], workdays: [], makeUpDayAs: "mon" as const };

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err instanceof HallCallError ? err.code : String(err);
  }
  return "allowed";
};

/** Folds steps from a fresh case, keeping the documents asked for as the records do. */
function after(...steps: CaseStepInput[]): CaseFacts {
  let facts: CaseFacts = { state: "open", documentsNeeded: [] };
  const kept: { kind: CaseStepInput["kind"]; text: string }[] = [];
  for (const s of steps) {
    const state = decideCaseStep(facts, s);
    kept.push({ kind: s.kind, text: s.kind === "requestDocument" || s.kind === "documentReceived" ? s.document : "" });
    facts = { state, documentsNeeded: documentsNeeded(kept) };
  }
  return facts;
}
const ask = (document: string): CaseStepInput => ({ kind: "requestDocument", document });
const got = (document: string): CaseStepInput => ({ kind: "documentReceived", document });
const resolve: CaseStepInput = { kind: "resolve", resolution: "已协调不动产中心补录" };

describe("a case's steps", () => {
  it("asking the citizen for a document waits for them; the last one received opens it again", () => {
    expect(after(ask("户口本")).state).toBe("waitingForCitizen");
    expect(after(ask("户口本"), ask("结婚证"), got("户口本"))).toEqual({ state: "waitingForCitizen", documentsNeeded: ["结婚证"] });
    expect(after(ask("户口本"), ask("结婚证"), got("户口本"), got("结婚证"))).toEqual({ state: "open", documentsNeeded: [] });
  });

  it("a document not asked for, or asked for twice, is refused", () => {
    expect(refusal(() => after(got("户口本")))).toBe("ILLEGAL_TRANSITION");
    expect(refusal(() => after(ask("户口本"), ask("户口本")))).toBe("ILLEGAL_TRANSITION");
  });

  it("a case is resolved only while nothing is awaited from the citizen, and once", () => {
    expect(after(resolve).state).toBe("resolved");
    expect(refusal(() => after(ask("户口本"), resolve))).toBe("ILLEGAL_TRANSITION");
    expect(refusal(() => after(resolve, resolve))).toBe("ILLEGAL_TRANSITION");
  });

  it("notes go on any case not closed; assigning only while it is worked on", () => {
    expect(after(resolve, { kind: "note", note: "已电话告知" }).state).toBe("resolved");
    expect(after({ kind: "assign", department: "不动产登记中心" }).state).toBe("open");
    expect(refusal(() => after(resolve, { kind: "assign", department: "税务" }))).toBe("ILLEGAL_TRANSITION");
  });

  it("a case closes once resolved and confirmed or rated by the citizen; nothing is recorded after", () => {
    const resolved = after(resolve);
    expect(decideClose(resolved, { confirmed: true })).toBe("closed");
    expect(decideClose(resolved, { confirmed: false, rating: 2 })).toBe("closed");
    expect(refusal(() => decideClose(resolved, { confirmed: false }))).toBe("ILLEGAL_TRANSITION");
    expect(refusal(() => decideClose(after(), { confirmed: true }))).toBe("ILLEGAL_TRANSITION");
    const closed: CaseFacts = { state: "closed", documentsNeeded: [] };
    expect(refusal(() => decideCaseStep(closed, { kind: "note", note: "x" }))).toBe("CASE_CLOSED");
    expect(refusal(() => decideClose(closed, { confirmed: true }))).toBe("CASE_CLOSED");
  });

  it("the department handling it is the one last assigned, else the first involved", () => {
    expect(currentDepartment([], ["社保局", "医保局"])).toBe("社保局");
    expect(currentDepartment([{ kind: "assign", text: "医保局" }, { kind: "assign", text: "税务局" }], ["社保局"])).toBe("税务局");
    expect(currentDepartment([], [])).toBeNull();
  });
});

describe("a case's deadline", () => {
  it("counts working days from the opening's business date, skipping weekends and holidays", () => {
    // Monday 7 December 2026: 3 working days is Thursday; with Wednesday a holiday, Friday.
    expect(dueDateOf("2026-12-07", 3, plain)).toBe("2026-12-10");
    expect(dueDateOf("2026-12-07", 3, withHoliday)).toBe("2026-12-11");
    // Friday: 2 working days is Tuesday.
    expect(dueDateOf("2026-12-11", 2, plain)).toBe("2026-12-15");
  });

  it("is overdue the day after its due date, unless resolved or closed", () => {
    const c = (state: CaseState) => ({ state, dueDate: "2026-12-10" });
    expect(isOverdue(c("open"), "2026-12-10")).toBe(false);
    expect(isOverdue(c("open"), "2026-12-11")).toBe(true);
    expect(isOverdue(c("waitingForCitizen"), "2026-12-11")).toBe(true);
    expect(isOverdue(c("resolved"), "2026-12-11")).toBe(false);
    expect(isOverdue(c("closed"), "2026-12-11")).toBe(false);
  });

  it("is due within a working day on its due date and the working day before it", () => {
    const c = { state: "open" as const, dueDate: "2026-12-14" }; // a Monday
    expect(dueWithinWorkingDay(c, "2026-12-11", plain)).toBe(true); // the Friday before
    expect(dueWithinWorkingDay(c, "2026-12-10", plain)).toBe(false);
    expect(dueWithinWorkingDay(c, "2026-12-14", plain)).toBe(true);
    expect(dueWithinWorkingDay(c, "2026-12-15", plain)).toBe(false); // overdue instead
  });

  it("mean working days to resolve counts the resolved cases only", () => {
    const cases = [
      { openedDate: "2026-12-07", resolvedDate: "2026-12-07" },
      { openedDate: "2026-12-07", resolvedDate: "2026-12-11" },
      { openedDate: "2026-12-07", resolvedDate: null },
    ];
    expect(meanWorkingDaysToResolve(cases, plain)).toBe(2);
    expect(meanWorkingDaysToResolve(cases, withHoliday)).toBe(1.5);
    expect(meanWorkingDaysToResolve([], plain)).toBeNull();
  });
});

describe("numbers, windows and views", () => {
  it("a case number reads prefix, opening date and the day's count", () => {
    expect(caseNumber("BB", "2026-12-02", 7)).toBe("BB-20261202-007");
    expect(caseNumber("GD", "2026-12-02", 1234)).toBe("GD-20261202-1234");
  });

  it("a case is opened only at an escalation window that holds a ticket", () => {
    const hall = testHall({ windows: [...testHall().windows, { id: "9", label: { zh: "办不成事", en: "Escalation" }, qualified: ["social"], escalation: true }] });
    expect(caseTicketAt(hall, "9", "tk1")).toBe("tk1");
    expect(refusal(() => caseTicketAt(hall, "9", null))).toBe("NOT_ESCALATION");
    expect(refusal(() => caseTicketAt(hall, "1", "tk1"))).toBe("NOT_ESCALATION");
    expect(refusal(() => caseTicketAt(hall, "nope", "tk1"))).toBe("UNKNOWN_WINDOW");
  });

  it("a hall without a cases section gets the default categories and the appeal text", () => {
    const hall = parseHall({ ...testHall(), cases: undefined });
    expect(hall.cases.prefix).toBe("BB");
    expect(hall.cases.categories.map((c) => [c.name.zh, c.workingDays])).toEqual([
      ["政策咨询", 3],
      ["材料问题", 5],
      ["跨部门协调", 10],
      ["系统故障", 2],
      ["其他", 5],
    ]);
    expect(hall.cases.appeal.zh).toContain("12345");
  });

  it("the public view carries no staff ids, ticket or phone", () => {
    const view: CaseView = {
      id: "c1",
      key: "k".repeat(22),
      number: "BB-20261207-001",
      hallId: "t1",
      state: "open",
      category: "policy",
      categoryName: { zh: "政策咨询", en: "Policy question" },
      summary: "退休金核定",
      departments: ["社保局"],
      department: "社保局",
      phone: "138****1234",
      ticketNumber: "A001",
      openedAt: 1,
      openedBy: "alice",
      dueDate: "2026-12-10",
      overdue: false,
      documentsNeeded: [],
      resolution: null,
      resolvedAt: null,
      closedAt: null,
      rating: null,
      steps: [{ kind: "opened", at: 1, by: "alice", text: "退休金核定" }],
      url: "http://x/case/?hall=t1&id=k",
    };
    const shown = JSON.stringify(publicCase(view, { zh: "申诉", en: "Appeal" }));
    for (const secret of ["alice", "138", "A001", view.key]) expect(shown).not.toContain(secret);
  });

  it("the board counts the cases worked on; the report counts each category's month", () => {
    const cases = [
      { state: "open" as const, dueDate: "2026-12-10", category: "policy", department: "社保局" },
      { state: "waitingForCitizen" as const, dueDate: "2026-12-08", category: "policy", department: null },
      { state: "resolved" as const, dueDate: "2026-12-01", category: "system", department: "信息中心" },
    ];
    expect(boardCounts(cases, "2026-12-09", plain)).toEqual({ open: 2, dueWithinWorkingDay: 1, overdue: 1, byCategory: { policy: 2 }, byDepartment: { 社保局: 1, "": 1 } });
    const hall = parseHall(testHall());
    const rows = caseReportRows(
      hall,
      [
        { category: "policy", state: "closed", dueDate: "2026-12-04", openedDate: "2026-12-01", resolvedDate: "2026-12-03" },
        { category: "policy", state: "open", dueDate: "2026-12-04", openedDate: "2026-12-01", resolvedDate: null },
      ],
      "2026-12-09",
    );
    expect(rows.find((r) => r.category === "policy")).toEqual({ category: "policy", name: { zh: "政策咨询", en: "Policy question" }, opened: 2, resolved: 1, closed: 1, overdue: 1, meanWorkingDaysToResolve: 2 });
    expect(rows.find((r) => r.category === "other")).toMatchObject({ opened: 0, meanWorkingDaysToResolve: null });
  });
});
