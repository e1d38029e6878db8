import { LitElement, css, html, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { live } from "lit/directives/live.js";
import type { Bilingual, FollowUp, FollowUpList, FollowUpState, FollowUpStepInput, FollowUpStepKind } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { PeriodicRead } from "./periodic-read.js";
import { cardStyles } from "./card-styles.js";
import { consoleErrorText, staffCall, type ApiError } from "./staff-api.js";

/** The list is read again this often: follow-ups open from ratings archived in the background, and overdue ones turn with the day. */
const REFRESH_MS = 30_000;

export const FOLLOW_UP_STATE: Record<FollowUpState, Bilingual> = {
  open: { zh: "待回访", en: "To call back" },
  calledBack: { zh: "已回访", en: "Called back" },
  rectified: { zh: "已整改", en: "Rectified" },
  appealed: { zh: "申诉复核", en: "Under appeal" },
  closed: { zh: "已办结", en: "Closed" },
};

const STEP_KIND: Record<FollowUpStepKind, Bilingual> = {
  opened: { zh: "差评生成", en: "Opened" },
  callback: { zh: "回访", en: "Callback" },
  rectification: { zh: "整改", en: "Rectification" },
  appeal: { zh: "申诉", en: "Appeal" },
  close: { zh: "办结", en: "Closed" },
};

const RATING: Record<number, Bilingual> = {
  1: { zh: "非常不满意", en: "Very dissatisfied" },
  2: { zh: "不满意", en: "Dissatisfied" },
};

/** The follow-ups' refusals in the manager's words; the rest are the console's (staff-api.ts). */
const FOLLOW_UP_ERRORS: Record<string, Bilingual> = {
  FOLLOW_UP_CLOSED: { zh: "该回访已办结，不能再记录", en: "This follow-up is closed; nothing more can be recorded" },
  UNKNOWN_FOLLOW_UP: { zh: "找不到这条回访（已被删除？）", en: "No such follow-up" },
  NOT_FOUND: { zh: "本服务器没有接记录数据库，无法跟踪差评回访", en: "This server keeps no records database, so 差评 follow-ups are not kept" },
};
const errorWords = (err: ApiError) => (FOLLOW_UP_ERRORS[err.code] ? tr(FOLLOW_UP_ERRORS[err.code]!) : consoleErrorText(err));

/** A GET, or a POST of `body`, with the manager's token. */
const call = <T>(url: string, token: string, body?: unknown) => staffCall<T>(url, token, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });

const base = (hallId: string) => `/api/halls/${encodeURIComponent(hallId)}/follow-ups`;
/** A step's time in the hall's zone, whatever the browser's. */
const when = (ms: number, timeZone: string) => new Date(ms).toLocaleString(tr({ zh: "zh-CN", en: "en-GB" }), { timeZone, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });

/** Which forms a follow-up in this state offers: the server decides, these spare a click that would be refused. */
const OFFERS: Record<FollowUpState, readonly FollowUpStepInput["kind"][]> = {
  open: ["callback", "rectification", "appeal"],
  calledBack: ["callback", "rectification", "appeal", "close"],
  rectified: ["callback", "rectification", "close"],
  appealed: ["close"],
  closed: [],
};

/**
 * 差评回访: the hall's follow-ups of 不满意 and 非常不满意 ratings, as GET …/follow-ups lists them,
 * the overdue ones first with an alarm; each opens to its steps (who, when, what) and the forms
 * to record the callback, the rectification, an appeal, or the close. Read every 30 s and after
 * each step.
 *
 * @fires follow-ups-overdue - detail: the number of overdue follow-ups, whenever the list is read
 */
@customElement("hc-follow-ups-panel")
export class FollowUpsPanel extends LitElement {
  static styles = [
    cardStyles,
    css`
      .bar { display: flex; align-items: center; gap: 0.6rem; margin-bottom: 0.6rem; flex-wrap: wrap; }
      select, input[type="text"] { font: inherit; min-height: 36px; padding: 0 0.5rem; border-radius: 8px; border: 1px solid #ffffff30; background: #0b1f3a; color: var(--hc-fg); }
      input[type="text"] { flex: 1; min-width: 12rem; }
      .alarm { background: #b91c1c; color: #fff; border-radius: 8px; padding: 0.2rem 0.6rem; font-weight: 700; animation: pulse 1.2s ease-in-out infinite alternate; }
      @keyframes pulse { from { opacity: 1; } to { opacity: 0.6; } }
      @media (prefers-reduced-motion: reduce) { .alarm { animation: none; } }
      tr.fu { cursor: pointer; }
      tr.fu:hover td { background: #ffffff08; }
      tr.fu.overdue td { background: #7f1d1d55; }
      td.detail { padding: 0.3rem 0.4rem 0.8rem 1.4rem; }
      ol { margin: 0 0 0.5rem; padding-left: 1.2rem; }
      li { margin: 0.15rem 0; }
      form { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; margin-top: 0.4rem; }
      .error { color: #fca5a5; }
      .empty { color: var(--hc-muted); padding: 0.4rem 0; }
    `,
  ];
  @property() hallId = "";
  @property() token = "";
  /** The hall's time zone (the snapshot's). */
  @property() timezone = "Asia/Shanghai";
  @state() private filter: "open" | "closed" | "all" = "open";
  @state() private list: FollowUpList | null = null;
  @state() private error = "";
  @state() private openId: string | null = null;
  @state() private form: FollowUpStepInput["kind"] = "callback";
  @state() private busy = false;
  private i18n = new LangController(this);
  private reads = new PeriodicRead(this, () => this.load(), REFRESH_MS);

  protected updated(changed: PropertyValues): void {
    if (changed.has("token") || changed.has("hallId") || changed.has("filter")) void this.load();
  }

  /** Reads the list again (after a rating the console saw, say). */
  async load(): Promise<void> {
    if (!this.hallId || !this.token) return;
    const current = this.reads.begin();
    const res = await call<FollowUpList>(`${base(this.hallId)}?${new URLSearchParams({ state: this.filter })}`, this.token);
    if (!current()) return;
    if (!res.ok) return void (this.error = errorWords(res.error));
    this.list = res.data;
    this.error = "";
    this.dispatchEvent(new CustomEvent("follow-ups-overdue", { detail: res.data.followUps.filter((f) => f.overdue).length, bubbles: true, composed: true }));
  }

  private async record(f: FollowUp, e: SubmitEvent) {
    e.preventDefault();
    // Taken now: once the submit's dispatch is over, the event no longer names a target inside a shadow root.
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const note = String(data.get("note") ?? "");
    const step: FollowUpStepInput =
      this.form === "callback" ? { kind: "callback", reached: data.get("reached") === "yes", note } : this.form === "close" ? { kind: "close", note } : { kind: this.form, note };
    this.busy = true;
    const res = await call<FollowUp>(`${base(this.hallId)}/${encodeURIComponent(f.id)}/steps`, this.token, step);
    this.busy = false;
    if (!res.ok) return void (this.error = errorWords(res.error));
    this.error = "";
    form.reset();
    // The form offers what the follow-up's new state allows, starting from its first step.
    this.form = OFFERS[res.data.state][0] ?? "callback";
    await this.load();
  }

  render() {
    const items = this.list ? [...this.list.followUps].sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueDate.localeCompare(b.dueDate)) : null;
    const overdue = items?.filter((f) => f.overdue).length ?? 0;
    return html`<h2>
        ${tr({ zh: "差评回访整改", en: "差评 follow-ups" })}
        ${overdue ? html`<span class="alarm" role="alert" data-testid="follow-ups-overdue">${tr({ zh: `${overdue} 件超期`, en: `${overdue} overdue` })}</span>` : ""}
      </h2>
      <div class="bar">
        <select data-testid="follow-ups-filter" .value=${this.filter} @change=${(e: Event) => (this.filter = (e.target as HTMLSelectElement).value as typeof this.filter)}>
          <option value="open">${tr({ zh: "未办结", en: "Open" })}</option>
          <option value="closed">${tr({ zh: "已办结", en: "Closed" })}</option>
          <option value="all">${tr({ zh: "全部", en: "All" })}</option>
        </select>
        <button data-testid="follow-ups-refresh" @click=${() => void this.load()}>${tr({ zh: "刷新", en: "Refresh" })}</button>
        ${this.error ? html`<span class="error" role="alert" data-testid="follow-ups-error">${this.error}</span>` : ""}
      </div>
      ${!items
        ? html`<div class="empty">${this.error ? "" : tr({ zh: "正在读取…", en: "Loading…" })}</div>`
        : items.length === 0
          ? html`<div class="empty" data-testid="follow-ups-none">${tr({ zh: "没有需要回访的差评", en: "No follow-ups" })}</div>`
          : html`<table>
              <tr>
                <th>${tr({ zh: "票号", en: "Ticket" })}</th><th>${tr({ zh: "事项", en: "Service" })}</th><th>${tr({ zh: "窗口", en: "Window" })}</th><th>${tr({ zh: "人员", en: "Staff" })}</th>
                <th>${tr({ zh: "评价", en: "Rating" })}</th><th>${tr({ zh: "办理日", en: "Day" })}</th><th>${tr({ zh: "期限", en: "Due" })}</th><th>${tr({ zh: "状态", en: "State" })}</th>
              </tr>
              ${items.map((f) => this.row(f))}
            </table>`}`;
  }

  private row(f: FollowUp) {
    const open = this.openId === f.id;
    return html`<tr class="fu ${f.overdue ? "overdue" : ""}" data-testid="follow-up-${f.number}" aria-expanded=${open} @click=${() => ((this.openId = open ? null : f.id), (this.form = OFFERS[f.state][0] ?? "callback"))}>
        <td>${f.number}</td><td>${f.service ? tr(f.service) : f.serviceId}</td><td>${f.scope === "whole" ? html`<span class="muted" data-testid="follow-up-${f.number}-whole">${tr({ zh: "整件事评价", en: "Whole matter" })}</span>` : f.window ? tr(f.window) : (f.windowId ?? "")}</td><td>${f.staffId ?? ""}</td>
        <td class="red">${tr(RATING[f.rating] ?? { zh: String(f.rating), en: String(f.rating) })}${f.source === "tracker" ? html` <span class="muted">${tr({ zh: "(补评)", en: "(late)" })}</span>` : ""}</td>
        <td>${f.businessDate}</td>
        <td class=${f.overdue ? "red" : ""} data-testid="follow-up-${f.number}-due">${f.dueDate}${f.overdue ? tr({ zh: " 已超期", en: " overdue" }) : ""}</td>
        <td data-testid="follow-up-${f.number}-state">${tr(FOLLOW_UP_STATE[f.state])}${f.appealed && f.state === "closed" ? tr({ zh: "(申诉)", en: " (appealed)" }) : ""}</td>
      </tr>
      ${open ? html`<tr><td class="detail" colspan="8">${this.detail(f)}</td></tr>` : ""}`;
  }

  private detail(f: FollowUp) {
    const offers = OFFERS[f.state];
    return html`<ol data-testid="follow-up-${f.number}-steps">
        ${f.steps.map(
          (s) => html`<li>${when(s.at, this.timezone)} · ${tr(STEP_KIND[s.kind])}${s.reached === null ? "" : s.reached ? tr({ zh: "(已联系上)", en: " (reached)" }) : tr({ zh: "(未联系上)", en: " (not reached)" })} · ${s.by}${s.note ? html` — ${s.note}` : ""}</li>`,
        )}
      </ol>
      ${offers.length
        ? html`<form data-testid="follow-up-${f.number}-form" @submit=${(e: SubmitEvent) => void this.record(f, e)}>
            <select data-testid="follow-up-step" .value=${live(this.form)} @change=${(e: Event) => (this.form = (e.target as HTMLSelectElement).value as FollowUpStepInput["kind"])}>
              ${offers.map((k) => html`<option value=${k}>${tr(STEP_KIND[k])}</option>`)}
            </select>
            ${this.form === "callback"
              ? html`<select name="reached" data-testid="follow-up-reached"><option value="yes">${tr({ zh: "已联系上", en: "Reached" })}</option><option value="no">${tr({ zh: "未联系上", en: "Not reached" })}</option></select>`
              : ""}
            <input
              type="text"
              name="note"
              maxlength="500"
              data-testid="follow-up-note"
              ?required=${this.form === "rectification" || this.form === "appeal"}
              placeholder=${tr(
                this.form === "callback"
                  ? { zh: "群众反映的意见", en: "What the citizen said" }
                  : this.form === "rectification"
                    ? { zh: "采取的整改措施", en: "The rectification taken" }
                    : this.form === "appeal"
                      ? { zh: "申诉理由（评价有误）", en: "Why the rating is mistaken" }
                      : { zh: "办结说明（可不填）", en: "Closing note (optional)" },
              )}
            />
            <button class="ok" type="submit" data-testid="follow-up-submit" ?disabled=${this.busy}>${tr({ zh: "记录", en: "Record" })}</button>
          </form>`
        : ""}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-follow-ups-panel": FollowUpsPanel;
  }
}
