/**
 * The counter's actions and their keyboard shortcuts; when each is allowed comes from the
 * protocol's WINDOW_RULES, the table the server refuses by.
 */
import { windowRefusal, type Bilingual, type Ticket, type Window, type WindowCommand } from "../protocol/index.js";

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

const COMMAND: Record<CounterAction, WindowCommand> = {
  callNext: "window:callNext",
  recall: "window:recall",
  start: "ticket:start",
  finish: "ticket:finish",
  noShow: "ticket:noShow",
  transfer: "ticket:transfer",
  park: "ticket:park",
  pause: "window:pause",
  resume: "window:resume",
  open: "window:open",
  close: "window:close",
};

/** Whether the window's state allows the action now, by the server's own table (protocol's WINDOW_RULES). */
export function allowed(action: CounterAction, w: Window | undefined, t: Ticket | undefined): boolean {
  return !!w && windowRefusal(COMMAND[action], w, t) === null;
}

/** The action a shortcut key stands for in this state (F9 pauses or resumes). */
export function actionForKey(key: string, w: Window | undefined): CounterAction | null {
  if (key === "F9") return w?.state === "paused" ? "resume" : "pause";
  return ACTIONS.find((a) => a.key === key)?.id ?? null;
}

/** Whether 指定叫号 may be sent for the window now, by the same table (open and idle). */
export function canCallTicket(w: Window | undefined, t: Ticket | undefined): boolean {
  return !!w && windowRefusal("window:callTicket", w, t) === null;
}
