/**
 * The counter's actions, their keyboard shortcuts and when each is allowed. One table so the
 * buttons, the shortcuts and their enabling never disagree.
 */
import type { Bilingual, Ticket, Window } from "../protocol/index.js";

export type CounterAction = "callNext" | "recall" | "start" | "finish" | "noShow" | "transfer" | "park" | "pause" | "resume" | "open" | "close";

export interface ActionInfo {
  id: CounterAction;
  /** KeyboardEvent.key of the shortcut, or null. */
  key: string | null;
  label: Bilingual;
  /** Button colour role. */
  tone: "primary" | "go" | "warn" | "plain";
}

export const ACTIONS: ActionInfo[] = [
  { id: "callNext", key: "F1", label: { zh: "叫号", en: "Call next" }, tone: "primary" },
  { id: "recall", key: "F2", label: { zh: "重呼", en: "Recall" }, tone: "plain" },
  { id: "start", key: "F3", label: { zh: "开始办理", en: "Start" }, tone: "go" },
  { id: "finish", key: "F4", label: { zh: "办结", en: "Finish" }, tone: "go" },
  { id: "noShow", key: "F6", label: { zh: "过号", en: "No-show" }, tone: "warn" },
  { id: "transfer", key: "F7", label: { zh: "转办", en: "Transfer" }, tone: "plain" },
  { id: "park", key: "F8", label: { zh: "挂起", en: "Park" }, tone: "plain" },
  { id: "pause", key: "F9", label: { zh: "暂停", en: "Pause" }, tone: "warn" },
  { id: "resume", key: "F9", label: { zh: "恢复服务", en: "Resume" }, tone: "go" },
  { id: "open", key: null, label: { zh: "开窗", en: "Open window" }, tone: "go" },
  { id: "close", key: null, label: { zh: "关窗", en: "Close window" }, tone: "warn" },
];

/**
 * Whether the window's state allows the action now. Whether anyone waits is the server's answer
 * to call-next (QUEUE_EMPTY), not the page's guess.
 */
export function allowed(action: CounterAction, w: Window | undefined, t: Ticket | undefined): boolean {
  if (!w) return false;
  const open = w.state === "open";
  switch (action) {
    case "callNext":
      return open && !w.ticketId;
    case "recall":
    case "start":
    case "noShow":
      return t?.state === "called";
    case "finish":
    case "transfer":
    case "park":
      return t?.state === "called" || t?.state === "serving";
    case "pause":
      return open && !w.ticketId;
    case "resume":
      return w.state === "paused";
    case "open":
      return w.state === "closed";
    case "close":
      return w.state !== "closed" && !w.ticketId;
  }
}

/** The action a shortcut key stands for in this state (F9 pauses or resumes). */
export function actionForKey(key: string, w: Window | undefined): CounterAction | null {
  if (key === "F9") return w?.state === "paused" ? "resume" : "pause";
  return ACTIONS.find((a) => a.key === key)?.id ?? null;
}
