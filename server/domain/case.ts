/**
 * Cases (工单) of the 办不成事 window: a matter the normal windows could not solve, opened at an
 * escalation window from the ticket at it and followed until it is solved. Pure: the records
 * store (records/cases.ts) reads a case, asks `decideCaseStep` or `decideClose`, and commits
 * what they answer in the same transaction.
 *
 *   open ──requestDocument──▶ waitingForCitizen ──documentReceived (the last one)──▶ open
 *     │  ▲ assign, note            │ ▲ requestDocument (another), documentReceived (not the last), assign, note
 *     │  └─────┘                   └─┘
 *     └──resolve──▶ resolved ──close (the citizen confirmed or rated)──▶ closed
 *                    ▲ note
 *
 * Nothing is recorded on a closed case (CASE_CLOSED); a step its state does not allow is
 * ILLEGAL_TRANSITION. The deadline counts working days (calendar.ts) from the opening's business
 * date; a case is overdue once the hall's business date is past it and it is not yet resolved.
 *
 *   dueDateOf("2026-12-07", 3, calendar)            // "2026-12-10" without holidays
 *   caseNumber("BB", "2026-12-02", 7)               // "BB-20261202-007"
 */
import { HallCallError, type CaseState, type CaseUpdate, type CaseView, type PublicCase } from "../../protocol/index.js";
import { addWorkingDays, type HallCalendar } from "./calendar.js";
import type { HallConfig } from "./config.js";
import { workingDaysBetween } from "./follow-up.js";

export type CaseStepInput = CaseUpdate["step"];
export type CaseStepKind = CaseView["steps"][number]["kind"];

/** What a step decides on. */
export interface CaseFacts {
  state: CaseState;
  /** Documents asked for and not yet received. */
  documentsNeeded: readonly string[];
}

const illegal = (message: string): never => {
  throw new HallCallError("ILLEGAL_TRANSITION", message);
};

/** The case's state after one more step, or the refusal. */
export function decideCaseStep(c: CaseFacts, step: CaseStepInput): CaseState {
  if (c.state === "closed") throw new HallCallError("CASE_CLOSED");
  const working = c.state === "open" || c.state === "waitingForCitizen";
  switch (step.kind) {
    case "note":
      return c.state;
    case "assign":
      return working ? c.state : illegal("The case is resolved; close it, or note what else was done.");
    case "requestDocument":
      if (!working) return illegal("The case is resolved: no more documents are asked for.");
      if (c.documentsNeeded.includes(step.document)) return illegal(`"${step.document}" was already asked for.`);
      return "waitingForCitizen";
    case "documentReceived": {
      if (!c.documentsNeeded.includes(step.document)) return illegal(`"${step.document}" was not asked for, or was received already.`);
      return c.documentsNeeded.length === 1 ? "open" : "waitingForCitizen";
    }
    case "resolve":
      if (c.state === "waitingForCitizen") return illegal("Documents are still awaited from the citizen; record them received first.");
      return c.state === "open" ? "resolved" : illegal("The case is resolved already.");
  }
}

/** Closing: only a resolved case, once the citizen confirmed the resolution or rated it. */
export function decideClose(c: CaseFacts, close: { confirmed: boolean; rating?: number }): CaseState {
  if (c.state === "closed") throw new HallCallError("CASE_CLOSED");
  if (c.state !== "resolved") return illegal("Resolve the case (with its resolution) before closing it.");
  if (!close.confirmed && close.rating === undefined) return illegal("Close after the citizen confirmed the resolution or rated it.");
  return "closed";
}

/** The documents asked for (一次告知) and not yet received, in the order they were asked for. */
export function documentsNeeded(steps: readonly { kind: CaseStepKind; text: string }[]): string[] {
  const needed: string[] = [];
  for (const s of steps) {
    if (s.kind === "requestDocument" && !needed.includes(s.text)) needed.push(s.text);
    const received = s.kind === "documentReceived" ? needed.indexOf(s.text) : -1;
    if (received >= 0) needed.splice(received, 1);
  }
  return needed;
}

/** The department handling the case now: the one last assigned, else the first involved, else none. */
export function currentDepartment(steps: readonly { kind: CaseStepKind; text: string }[], departments: readonly string[]): string | null {
  const assigned = steps.filter((s) => s.kind === "assign").at(-1);
  return assigned?.text ?? departments[0] ?? null;
}

/** The category of a case; an id the config no longer lists keeps its id as the name. */
export function categoryOf(hall: Pick<HallConfig, "cases">, id: string): { id: string; name: { zh: string; en: string }; workingDays: number } {
  return hall.cases.categories.find((c) => c.id === id) ?? { id, name: { zh: id, en: id }, workingDays: 5 };
}

/** Whether the hall has that category (a case is opened only in one it lists). */
export const hasCategory = (hall: Pick<HallConfig, "cases">, id: string): boolean => hall.cases.categories.some((c) => c.id === id);

/** The last day to resolve a case opened on `openedDate`. */
export const dueDateOf = (openedDate: string, workingDays: number, calendar: HallCalendar): string => addWorkingDays(openedDate, workingDays, calendar);

const settled = (state: CaseState) => state === "resolved" || state === "closed";

/** Overdue: not resolved (nor closed), and the hall's business date is past its due date. */
export const isOverdue = (c: { state: CaseState; dueDate: string }, today: string): boolean => !settled(c.state) && today > c.dueDate;

/** Due by the end of the next working day (and not overdue yet): the board's warning. */
export const dueWithinWorkingDay = (c: { state: CaseState; dueDate: string }, today: string, calendar: HallCalendar): boolean =>
  !settled(c.state) && today <= c.dueDate && c.dueDate <= addWorkingDays(today, 1, calendar);

/** Resolved after its due date, or still unresolved past it: the deadline was missed. */
export const missedDeadline = (c: { state: CaseState; dueDate: string; resolvedDate: string | null }, today: string): boolean =>
  c.resolvedDate !== null ? c.resolvedDate > c.dueDate : isOverdue(c, today);

/** The readable number: prefix, the opening's business date, the day's count in the hall (BB-20261202-007). */
export const caseNumber = (prefix: string, openedDate: string, n: number): string => `${prefix}-${openedDate.replaceAll("-", "")}-${String(n).padStart(3, "0")}`;

/** Mean working days from opening to resolution over the resolved ones, or null when none is. */
export function meanWorkingDaysToResolve(cases: readonly { openedDate: string; resolvedDate: string | null }[], calendar: HallCalendar): number | null {
  const days = cases.flatMap((c) => (c.resolvedDate === null ? [] : [workingDaysBetween(c.openedDate, c.resolvedDate, calendar)]));
  return days.length ? days.reduce((a, b) => a + b, 0) / days.length : null;
}

/** What the citizen's page shows: no staff ids, no ticket, no phone. */
export function publicCase(view: CaseView, appeal: PublicCase["appeal"]): PublicCase {
  return {
    number: view.number,
    state: view.state,
    categoryName: view.categoryName,
    summary: view.summary,
    department: view.department,
    openedAt: view.openedAt,
    dueDate: view.dueDate,
    overdue: view.overdue,
    documentsNeeded: view.documentsNeeded,
    resolution: view.resolution,
    steps: view.steps.map((s) => ({ kind: s.kind, at: s.at, text: s.text })),
    appeal,
  };
}

/**
 * The ticket a case is opened from: the one at the window, which must be an escalation window
 * (UNKNOWN_WINDOW, NOT_ESCALATION otherwise).
 */
export function caseTicketAt(hall: Pick<HallConfig, "windows">, windowId: string, ticketIdAtWindow: string | null): string {
  const window = hall.windows.find((w) => w.id === windowId);
  if (!window) throw new HallCallError("UNKNOWN_WINDOW", `No window "${windowId}" in this hall.`);
  if (!window.escalation) throw new HallCallError("NOT_ESCALATION", `Window ${windowId} is not an escalation window (办不成事).`);
  if (ticketIdAtWindow === null) throw new HallCallError("NOT_ESCALATION", `Window ${windowId} holds no ticket to open a case from.`);
  return ticketIdAtWindow;
}

/** The board's heads over the cases shown: the working ones (open, waiting), those due within a working day, overdue, by category and department. */
export function boardCounts(
  cases: readonly { state: CaseState; dueDate: string; category: string; department: string | null }[],
  today: string,
  calendar: HallCalendar,
): { open: number; dueWithinWorkingDay: number; overdue: number; byCategory: Record<string, number>; byDepartment: Record<string, number> } {
  const working = cases.filter((c) => !settled(c.state));
  const count = (key: (c: (typeof working)[number]) => string) => working.reduce<Record<string, number>>((acc, c) => ((acc[key(c)] = (acc[key(c)] ?? 0) + 1), acc), {});
  return {
    open: working.length,
    dueWithinWorkingDay: working.filter((c) => dueWithinWorkingDay(c, today, calendar)).length,
    overdue: working.filter((c) => isOverdue(c, today)).length,
    byCategory: count((c) => c.category),
    byDepartment: count((c) => c.department ?? ""),
  };
}

/** The monthly report's row of each category (the hall's, then any others the month's cases name): counts and mean working days to resolve. */
export function caseReportRows(
  hall: Pick<HallConfig, "cases" | "calendar">,
  cases: readonly { category: string; state: CaseState; dueDate: string; openedDate: string; resolvedDate: string | null }[],
  today: string,
) {
  const ids = [...new Set([...hall.cases.categories.map((c) => c.id), ...cases.map((c) => c.category)])];
  return ids.map((id) => {
    const of = cases.filter((c) => c.category === id);
    return {
      category: id,
      name: categoryOf(hall, id).name,
      opened: of.length,
      resolved: of.filter((c) => c.resolvedDate !== null).length,
      closed: of.filter((c) => c.state === "closed").length,
      overdue: of.filter((c) => missedDeadline(c, today)).length,
      meanWorkingDaysToResolve: meanWorkingDaysToResolve(of, hall.calendar),
    };
  });
}
