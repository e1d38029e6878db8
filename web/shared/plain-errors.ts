/**
 * Every refusal in plain words for staff and citizens: the ack's error code mapped to Chinese and
 * English. The server's own message is kept as a detail for codes that carry specifics.
 */
import type { Bilingual, HallError } from "../../protocol/index.js";
import { tr } from "./i18n.js";

const PLAIN: Record<string, Bilingual> = {
  VALIDATION: { zh: "填写的内容不完整或格式不对，请检查后重试", en: "Something is missing or in the wrong format; check and retry" },
  UNAUTHORIZED: { zh: "登录已失效，请重新登录", en: "Your sign-in has expired; please sign in again" },
  FORBIDDEN: { zh: "没有权限执行此操作", en: "You are not allowed to do this" },
  UNKNOWN_HALL: { zh: "找不到这个大厅", en: "This hall does not exist" },
  UNKNOWN_SERVICE: { zh: "找不到这个事项", en: "This service does not exist" },
  UNKNOWN_WINDOW: { zh: "找不到这个窗口", en: "This window does not exist" },
  UNKNOWN_TICKET: { zh: "找不到这个号", en: "This ticket does not exist" },
  UNKNOWN_PRIORITY: { zh: "找不到这个优先类别", en: "Unknown priority class" },
  NOT_QUALIFIED: { zh: "该窗口不具备办理此事项的资格", en: "That window is not qualified for this service" },
  QUOTA_EXHAUSTED: { zh: "今日号源已取完", en: "Today's tickets for this service are all issued" },
  SERVICE_CLOSED: { zh: "该事项现在不在办理时间内", en: "This service is closed at this hour" },
  WINDOW_NOT_OPEN: { zh: "窗口已暂停或关闭，请先恢复服务", en: "The window is paused or closed; resume it first" },
  WINDOW_BUSY: { zh: "当前还有未办完的号，请先办结、过号、挂起或转办", en: "A ticket is still at this window; finish, no-show, park or transfer it first" },
  WINDOW_IDLE: { zh: "当前没有正在叫的号", en: "There is no called ticket at this window" },
  QUEUE_EMPTY: { zh: "暂无等候的群众", en: "Nobody is waiting for this window's services" },
  ILLEGAL_TRANSITION: { zh: "这个号当前的状态不能这样操作", en: "The ticket's state does not allow this" },
  ALREADY_RATED: { zh: "这个号已经评价过了", en: "This ticket has already been rated" },
  UNKNOWN_SUGGESTION: { zh: "这条调度建议已失效", en: "This suggestion is no longer open" },
  IDEMPOTENCY_CONFLICT: { zh: "这次操作与之前的一次冲突，请重新操作", en: "This clashed with an earlier action; please do it again" },
  STORE_UNAVAILABLE: { zh: "服务器暂时读不到大厅数据，正在重试", en: "The server cannot reach the hall's data just now; retrying" },
  RATE_LIMITED: { zh: "操作太频繁，请稍候再试", en: "Too many requests; please wait a moment" },
  SESSION_ENDED: { zh: "登录已结束，请重新登录", en: "Your sign-in has ended; please sign in again" },
  SESSION_REPLACED: { zh: "此账号或窗口已在别处登录，请重新登录", en: "This account or window was signed in elsewhere; please sign in again" },
  INTERNAL: { zh: "操作没有完成，请稍后重试", en: "That did not go through; please retry" },
};

/** What went wrong, in the current language. */
export function errorText(err: HallError | { code: string; message: string }): string {
  const plain = PLAIN[err.code];
  return plain ? tr(plain) : err.message || tr(PLAIN.INTERNAL!);
}
