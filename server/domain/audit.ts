/**
 * The audit trail's words: which kind a logged event is for a manager filtering the trail, and
 * what it says in Chinese and English. Pure; the records (server/records/audit.ts) query by the
 * same kinds, so a filter and the entries it answers cannot disagree.
 *
 * An entry names tickets by number and staff and devices by id, never a citizen: a ticket's id
 * is its tracker's credential and its park reason and missing documents may name the citizen
 * (domain/retention.ts), so none of them is copied; a 指定叫号's reason is the staff member's.
 */
import { ACTOR_KINDS, RATING_LABELS, ratedPart, type AuditDetail, type AuditEntry, type AuditKind, type BalancerMode, type Bilingual, type EventActor, type HallEvent, type HallEventType, type HoursUpdate } from "../../protocol/index.js";

/** The hall's names an entry uses (a HallConfig is one). */
export interface AuditNames {
  services: readonly { id: string; name: Bilingual }[];
  windows: readonly { id: string; label: Bilingual }[];
}

/**
 * The kind of each event type. A `ticket:called` with `chosen` (指定叫号) is `callTicket`
 * instead: see auditKindOf. A new event type must be given its kind here.
 */
export const EVENT_KIND = {
  "ticket:issued": "ticket",
  "ticket:called": "ticket",
  "ticket:started": "ticket",
  "ticket:finished": "ticket",
  "ticket:noShow": "ticket",
  "ticket:parked": "ticket",
  "ticket:resumed": "ticket",
  "ticket:transferred": "ticket",
  "ticket:cancelled": "ticket",
  "ticket:rated": "ticket",
  "window:changed": "window",
  "balancer:modeChanged": "balancer",
  "balancer:suggested": "balancer",
  "balancer:suggestionClosed": "balancer",
  "hall:dayStarted": "day",
} as const satisfies Record<HallEventType, Exclude<AuditKind, "callTicket" | "hours">>;

export function auditKindOf(e: HallEvent): AuditKind {
  return e.type === "ticket:called" && e.chosen ? "callTicket" : EVENT_KIND[e.type];
}

/**
 * The event types a kind is made of, and how a `ticket:called` among them must stand to `chosen`
 * (`only`: 指定叫号 only; `never`: none of them; null: it is not among them). `hours` is no event.
 */
export function eventTypesOf(kind: AuditKind): { types: HallEventType[]; chosen: "only" | "never" | null } {
  if (kind === "callTicket") return { types: ["ticket:called"], chosen: "only" };
  const types = (Object.keys(EVENT_KIND) as HallEventType[]).filter((t) => EVENT_KIND[t] === kind);
  return { types, chosen: types.includes("ticket:called") ? "never" : null };
}

/** What `actor=` names: an actor kind (`balancer`, `kiosk`, …) or one actor's id (a staff id, a device's name). */
export function actorFilter(actor: string): { kind: EventActor["kind"] } | { id: string } {
  const kind = ACTOR_KINDS.find((k) => k === actor);
  return kind ? { kind } : { id: actor };
}

const MODE: Record<BalancerMode, Bilingual> = {
  off: { zh: "关闭", en: "off" },
  suggest: { zh: "建议", en: "suggest" },
  auto: { zh: "自动", en: "auto" },
};

const OUTCOME = {
  approved: { zh: "批准了均衡建议", en: "Approved the balancer's suggestion" },
  rejected: { zh: "驳回了均衡建议", en: "Rejected the balancer's suggestion" },
  expired: { zh: "均衡建议已过期", en: "The balancer's suggestion expired" },
} as const;

/** Joins a zh and an en sentence made of the same parts. */
const both = (zh: string, en: string): Bilingual => ({ zh, en });

function namer(names: AuditNames) {
  const service = (id: string): Bilingual => names.services.find((s) => s.id === id)?.name ?? both(id, id);
  const windowLabel = (id: string): Bilingual => names.windows.find((w) => w.id === id)?.label ?? both(`${id}号窗口`, `window ${id}`);
  const services = (ids: readonly string[]): Bilingual => (ids.length ? both(ids.map((id) => service(id).zh).join("、"), ids.map((id) => service(id).en).join(", ")) : both("（无）", "nothing"));
  return { service, windowLabel, services };
}

/** The audit entry of one logged event of the business day `businessDate`. */
export function auditEntry(e: HallEvent, businessDate: string, names: AuditNames): AuditEntry {
  const { service, windowLabel, services } = namer(names);
  const base = { at: e.at, businessDate, kind: auditKindOf(e), actor: e.actor ?? null };
  const details: Record<string, AuditDetail> = { type: e.type };

  if ("ticket" in e) {
    const t = e.ticket;
    const n = t.number;
    const win = "window" in e && e.window ? e.window : null;
    const at = win ? win.label : null;
    // A rating is at the window of the service rated (a bundle's step: where that step was served).
    const rated = e.type === "ticket:rated" ? ratedPart(e) : null;
    const windowId = (rated ? rated.windowId : (win?.id ?? t.windowId)) ?? undefined;
    details.serviceId = t.serviceId;
    let summary: Bilingual;
    switch (e.type) {
      case "ticket:issued":
        Object.assign(details, { priority: t.priority, channel: t.channel, ahead: e.ahead });
        summary = both(`取号 ${n}（${service(t.serviceId).zh}）`, `Issued ${n} (${service(t.serviceId).en})`);
        break;
      case "ticket:called": {
        Object.assign(details, { recall: e.recall, waitSec: e.waitSec });
        if (e.chosen) {
          Object.assign(details, { reason: e.chosen.reason, chosenBy: e.chosen.staffId });
          summary = both(`指定叫号 ${n} 到${e.window.label.zh}（原因：${e.chosen.reason}）`, `Called ${n} out of turn to ${e.window.label.en} (reason: ${e.chosen.reason})`);
        } else if (e.recall) {
          summary = both(`重呼 ${n} 到${e.window.label.zh}`, `Called ${n} again to ${e.window.label.en}`);
        } else {
          summary = both(`叫号 ${n} 到${e.window.label.zh}`, `Called ${n} to ${e.window.label.en}`);
        }
        break;
      }
      case "ticket:started":
        summary = both(`开始办理 ${n}（${e.window.label.zh}）`, `Started serving ${n} (${e.window.label.en})`);
        break;
      case "ticket:finished":
        Object.assign(details, { serviceId: e.serviceId, serviceSec: e.serviceSec });
        summary = both(`办结 ${n}（${service(e.serviceId).zh}，${e.window.label.zh}）`, `Finished ${n} (${service(e.serviceId).en}, ${e.window.label.en})`);
        break;
      case "ticket:noShow":
        summary = both(`${n} 过号（${e.window.label.zh}）`, `${n} did not come (${e.window.label.en})`);
        break;
      case "ticket:parked":
        // The park reason and missing documents may name the citizen: not copied.
        summary = at ? both(`挂起 ${n}（${at.zh}）`, `Parked ${n} (${at.en})`) : both(`挂起 ${n}`, `Parked ${n}`);
        break;
      case "ticket:resumed":
        summary = both(`${n} 恢复排队`, `${n} back in the queue`);
        break;
      case "ticket:transferred": {
        Object.assign(details, { fromServiceId: e.fromServiceId, targetWindowId: t.targetWindowId });
        const to = t.targetWindowId ? { zh: `${service(t.serviceId).zh}（${windowLabel(t.targetWindowId).zh}）`, en: `${service(t.serviceId).en} (${windowLabel(t.targetWindowId).en})` } : service(t.serviceId);
        summary = both(`${n} 从${service(e.fromServiceId).zh}转到${to.zh}`, `Transferred ${n} from ${service(e.fromServiceId).en} to ${to.en}`);
        break;
      }
      case "ticket:cancelled":
        summary = both(`取消 ${n}`, `Cancelled ${n}`);
        break;
      case "ticket:rated": {
        const part = rated!;
        Object.assign(details, { rating: part.rating, scope: part.scope, step: part.step });
        const label = part.rating === null ? null : RATING_LABELS[part.rating];
        const what =
          part.scope === "whole"
            ? both(" 整件事", " (whole matter)")
            : t.bundle.length && part.step !== null && part.serviceId
              ? both(` 第${part.step + 1}项（${service(part.serviceId).zh}）`, ` step ${part.step + 1} (${service(part.serviceId).en})`)
              : both("", "");
        summary = label ? both(`${n}${what.zh} 评价：${label.zh}`, `${n}${what.en} rated: ${label.en}`) : both(`${n}${what.zh} 评价`, `${n}${what.en} rated`);
        break;
      }
    }
    return { ...base, summary, ...(windowId ? { windowId } : {}), ticketNumber: n, details };
  }

  switch (e.type) {
    case "window:changed": {
      const w = e.window;
      const label = w.label;
      Object.assign(details, { change: e.change, by: e.by, serving: w.serving, state: w.state });
      if (e.reason) details.reason = e.reason;
      const why = e.reason ? both(`（原因：${e.reason.zh}）`, ` (reason: ${e.reason.en})`) : both("", "");
      const changes: Record<typeof e.change, Bilingual> = {
        opened: both(`开启了${label.zh}`, `Opened ${label.en}`),
        paused: w.pauseReason ? both(`暂停了${label.zh}：${w.pauseReason}`, `Paused ${label.en}: ${w.pauseReason}`) : both(`暂停了${label.zh}`, `Paused ${label.en}`),
        resumed: both(`恢复了${label.zh}`, `Resumed ${label.en}`),
        closed: both(`关闭了${label.zh}`, `Closed ${label.en}`),
        servingChanged: both(`${label.zh}改为办理${services(w.serving).zh}${why.zh}`, `${label.en} now serves ${services(w.serving).en}${why.en}`),
        signedIn: both(`在${label.zh}签到`, `Signed in at ${label.en}`),
      };
      if (e.change === "paused" && w.pauseReason) details.pauseReason = w.pauseReason;
      return { ...base, summary: changes[e.change], windowId: w.id, details };
    }
    case "balancer:modeChanged":
      details.mode = e.mode;
      return { ...base, summary: both(`均衡模式改为${MODE[e.mode].zh}`, `Set the balancer to ${MODE[e.mode].en}`), details };
    case "balancer:suggested": {
      const s = e.suggestion;
      Object.assign(details, { suggestionId: s.id, serving: s.serving, reason: s.reason });
      const w = windowLabel(s.windowId);
      return { ...base, summary: both(`均衡建议：${w.zh}改为办理${services(s.serving).zh}（原因：${s.reason.zh}）`, `The balancer suggests ${w.en} serve ${services(s.serving).en} (reason: ${s.reason.en})`), windowId: s.windowId, details };
    }
    case "balancer:suggestionClosed": {
      Object.assign(details, { suggestionId: e.suggestionId, outcome: e.outcome });
      const o = OUTCOME[e.outcome];
      if (!e.window) return { ...base, summary: o, details };
      details.serving = e.window.serving;
      const applied = e.outcome === "approved" ? both(`：${e.window.label.zh}改为办理${services(e.window.serving).zh}`, `: ${e.window.label.en} now serves ${services(e.window.serving).en}`) : both(`（${e.window.label.zh}）`, ` (${e.window.label.en})`);
      return { ...base, summary: both(o.zh + applied.zh, o.en + applied.en), windowId: e.window.id, details };
    }
    case "hall:dayStarted":
      details.businessDate = e.businessDate;
      return { ...base, summary: both(`新的营业日开始（${e.businessDate}）`, `A new business day began (${e.businessDate})`), details };
  }
}

/** A change of the hall's hours as the records keep it (records/bookings.ts HoursChangeRecord). */
export interface HoursChangeFacts {
  version: number;
  hours: HoursUpdate;
  by: string;
  at: number;
}

/** The audit entry of a change of the hours a manager saved in the console (business day `businessDate`). */
export function hoursEntry(change: HoursChangeFacts, businessDate: string, names: AuditNames): AuditEntry {
  const { services } = namer(names);
  const ids = Object.keys(change.hours.services);
  const { holidays, workdays } = change.hours.calendar;
  const calendar = both(`日历 ${holidays.length} 个节假日、${workdays.length} 个调休上班日`, `calendar ${holidays.length} holiday${holidays.length === 1 ? "" : "s"}, ${workdays.length} make-up workday${workdays.length === 1 ? "" : "s"}`);
  const what = ids.length ? both(`${services(ids).zh}的办理时间；${calendar.zh}`, `hours of ${services(ids).en}; ${calendar.en}`) : calendar;
  return {
    at: change.at,
    businessDate,
    kind: "hours",
    actor: { kind: "manager", id: change.by },
    summary: both(`保存了第 ${change.version} 版办理时间（${what.zh}）`, `Saved version ${change.version} of the hours (${what.en})`),
    details: { type: "hours:saved", version: change.version, services: ids, holidays: holidays.length, workdays: workdays.length },
  };
}
