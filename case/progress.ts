/**
 * The words of a case's progress, shared by the public page, the counter and the console: the
 * stages of the 进度条 follow from the steps the server sent and the case's state, so a page never
 * decides where a case stands on its own.
 */
import type { Bilingual, CaseState, PublicCase } from "../protocol/index.js";

export type StepKind = PublicCase["steps"][number]["kind"];

export const CASE_STATE: Record<CaseState, Bilingual> = {
  open: { zh: "办理中", en: "In progress" },
  waitingForCitizen: { zh: "待补正材料", en: "Waiting for your documents" },
  resolved: { zh: "已解决，待确认", en: "Resolved, awaiting confirmation" },
  closed: { zh: "已办结", en: "Closed" },
};

export const STEP_KIND: Record<StepKind, Bilingual> = {
  opened: { zh: "受理", en: "Accepted" },
  assign: { zh: "转办/协调", en: "Referred" },
  note: { zh: "进展", en: "Update" },
  requestDocument: { zh: "补正材料", en: "Documents requested" },
  documentReceived: { zh: "材料已收到", en: "Document received" },
  resolve: { zh: "办结", en: "Resolved" },
  close: { zh: "确认", en: "Confirmed" },
};

export type StageMark = "done" | "current" | "todo";
export interface Stage {
  id: "opened" | "assign" | "documents" | "resolve" | "close";
  name: Bilingual;
  mark: StageMark;
}

/**
 * 受理 → 转办/协调 → 补正材料 (only when documents were asked for) → 办结 → 确认. A stage is done
 * when a step of it was taken or a later stage was reached; the first one not done is the current
 * one while the case is not closed.
 */
export function stages(c: Pick<PublicCase, "state" | "steps" | "documentsNeeded">): Stage[] {
  const has = (k: StepKind) => c.steps.some((s) => s.kind === k);
  const resolved = c.state === "resolved" || c.state === "closed";
  const list: { id: Stage["id"]; name: Bilingual; done: boolean }[] = [
    { id: "opened", name: STEP_KIND.opened, done: true },
    { id: "assign", name: STEP_KIND.assign, done: has("assign") || resolved },
  ];
  if (has("requestDocument")) list.push({ id: "documents", name: STEP_KIND.requestDocument, done: resolved || (c.state !== "waitingForCitizen" && c.documentsNeeded.length === 0) });
  list.push({ id: "resolve", name: STEP_KIND.resolve, done: resolved });
  list.push({ id: "close", name: STEP_KIND.close, done: c.state === "closed" });
  const current = list.findIndex((s) => !s.done);
  return list.map((s, i) => ({ id: s.id, name: s.name, mark: s.done ? "done" : i === current ? "current" : "todo" }));
}

/** A business date as people read it: 2026年12月9日 / 9 Dec 2026. */
export function dateWords(date: string): Bilingual {
  const [y, m, d] = date.split("-").map(Number);
  const en = new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString("en-GB", { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" });
  return { zh: `${y}年${m}月${d}日`, en };
}

/** A moment in the hall's zone: 12-02 14:05. */
export function momentWords(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(ms);
  const part = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? "";
  return `${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
}
