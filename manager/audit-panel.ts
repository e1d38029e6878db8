import { LitElement, css, html, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { ACTOR_KINDS, AuditKind, type AuditEntry, type AuditPage, type Bilingual, type EventActor } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { cardStyles } from "./card-styles.js";
import { consoleErrorText, staffCall, type ApiAnswer } from "./staff-api.js";

export const AUDIT_KIND_LABEL: Record<AuditKind, Bilingual> = {
  window: { zh: "窗口", en: "Windows" },
  callTicket: { zh: "指定叫号", en: "Out-of-turn calls" },
  ticket: { zh: "票号", en: "Tickets" },
  balancer: { zh: "均衡", en: "Balancer" },
  day: { zh: "营业日", en: "Business day" },
  hours: { zh: "办理时间", en: "Hours" },
};

export const ACTOR_KIND_LABEL: Record<EventActor["kind"], Bilingual> = {
  staff: { zh: "窗口人员", en: "Counter staff" },
  manager: { zh: "管理员", en: "Manager" },
  kiosk: { zh: "取号机", en: "Kiosk" },
  pad: { zh: "评价器", en: "Rating pad" },
  display: { zh: "显示屏", en: "Display" },
  balancer: { zh: "自动均衡", en: "Balancer" },
  citizen: { zh: "群众（手机）", en: "Citizen (phone)" },
  system: { zh: "系统", en: "System" },
};

export interface AuditFilter {
  from: string;
  to: string;
  actor: string;
  kind: AuditKind | "";
  before: string | null;
}

/** GET …/audit with the manager's Bearer token: the page, or the server's refusal ({code, message}). */
export async function fetchAudit(hallId: string, token: string, f: AuditFilter): Promise<ApiAnswer<AuditPage>> {
  const q = new URLSearchParams({ from: f.from, to: f.to });
  if (f.actor.trim()) q.set("actor", f.actor.trim());
  if (f.kind) q.set("kind", f.kind);
  if (f.before) q.set("before", f.before);
  return staffCall<AuditPage>(`/api/halls/${encodeURIComponent(hallId)}/audit?${q}`, token);
}

const dateTime = (ms: number, timezone: string) =>
  new Date(ms).toLocaleString(tr({ zh: "zh-CN", en: "en-GB" }), { timeZone: timezone || undefined, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** Today in the hall's zone (or the browser's, before the hall's is known), YYYY-MM-DD. */
const today = (timezone: string) => new Intl.DateTimeFormat("en-CA", { timeZone: timezone || undefined, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());

/**
 * 操作日志 (the audit trail): who did what in the hall, newest first, as GET …/audit answers it.
 * A date range (today by default), an actor (a kind of actor or one id: a staff id, a device's
 * name; typed or picked) and a kind; "more" reads the next, older page. Read when the filter
 * changes and on 刷新, not live: a manager asks the trail a question.
 *
 * Mount: `<hc-audit-panel .hallId=${hallId} .token=${token} .businessDate=${snapshot.businessDate} .timezone=${snapshot.timezone}>`.
 */
@customElement("hc-audit-panel")
export class AuditPanel extends LitElement {
  static styles = [
    cardStyles,
    css`
      .bar { display: flex; align-items: center; gap: 0.6rem; margin-bottom: 0.6rem; flex-wrap: wrap; }
      input, select { font: inherit; min-height: 36px; padding: 0 0.5rem; border-radius: 8px; border: 1px solid #ffffff30; background: #0b1f3a; color: var(--hc-fg); color-scheme: dark; }
      input.actor { width: 11rem; }
      td.at { white-space: nowrap; font-variant-numeric: tabular-nums; color: var(--hc-muted); }
      td.kind, td.who { white-space: nowrap; }
      .error { color: #fca5a5; }
      .empty { color: var(--hc-muted); padding: 0.4rem 0; }
      .more { margin-top: 0.6rem; }
    `,
  ];
  @property() hallId = "";
  @property() token = "";
  /** The hall's business date (its snapshot): the default range. */
  @property() businessDate = "";
  /** The hall's time zone (its snapshot): times are the hall's. */
  @property() timezone = "";
  @state() private from = "";
  @state() private to = "";
  @state() private actor = "";
  @state() private kind: AuditKind | "" = "";
  @state() private entries: AuditEntry[] = [];
  @state() private next: string | null = null;
  @state() private loading = false;
  @state() private error = "";
  private i18n = new LangController(this);
  /** Answers of reads overtaken by a newer one are dropped. */
  private reads = 0;

  /** Until a manager picks dates, the range is the hall's day, and follows it into the next. */
  private picked = false;

  protected willUpdate(): void {
    const day = this.businessDate || today(this.timezone);
    if (!this.picked && (this.from !== day || this.to !== day)) {
      this.from = day;
      this.to = day;
    }
  }

  private pick(which: "from" | "to", value: string) {
    if (!value) return;
    this.picked = true;
    this[which] = value;
  }

  protected updated(changed: PropertyValues): void {
    if (["from", "to", "kind", "token", "hallId"].some((k) => changed.has(k))) void this.load(false);
  }

  private async load(more: boolean) {
    if (!this.hallId || !this.token || !this.from || !this.to) return;
    const n = ++this.reads;
    this.loading = true;
    const res = await fetchAudit(this.hallId, this.token, { from: this.from, to: this.to, actor: this.actor, kind: this.kind, before: more ? this.next : null });
    if (n !== this.reads) return;
    this.loading = false;
    if (res.ok) {
      this.entries = more ? [...this.entries, ...res.data.entries] : res.data.entries;
      this.next = res.data.next;
      this.error = "";
    } else {
      this.error = consoleErrorText(res.error);
    }
  }

  /** Everyone the trail shown names, for the actor picker beside the kinds of actor. */
  private knownActors(): string[] {
    return [...new Set(this.entries.map((e) => e.actor?.id).filter((id): id is string => !!id))].sort();
  }

  private who(actor: EventActor | null) {
    if (!actor) return html`<span class="muted">—</span>`;
    const kind = tr(ACTOR_KIND_LABEL[actor.kind]);
    return actor.id ? html`${actor.id} <span class="muted">${kind}</span>` : kind;
  }

  render() {
    return html`<h2>${tr({ zh: "操作日志", en: "Audit trail" })}</h2>
      <div class="bar">
        <label>${tr({ zh: "从", en: "From" })} <input type="date" data-testid="audit-from" .value=${this.from} @change=${(e: Event) => this.pick("from", (e.target as HTMLInputElement).value)} /></label>
        <label>${tr({ zh: "到", en: "To" })} <input type="date" data-testid="audit-to" .value=${this.to} @change=${(e: Event) => this.pick("to", (e.target as HTMLInputElement).value)} /></label>
        <label
          >${tr({ zh: "操作人", en: "Actor" })}
          <input
            class="actor"
            list="audit-actors"
            data-testid="audit-actor"
            placeholder=${tr({ zh: "工号、设备或类别", en: "Staff id, device or kind" })}
            .value=${this.actor}
            @change=${(e: Event) => {
              this.actor = (e.target as HTMLInputElement).value;
              void this.load(false);
            }}
        /></label>
        <datalist id="audit-actors">
          ${ACTOR_KINDS.map((k) => html`<option value=${k}>${tr(ACTOR_KIND_LABEL[k])}</option>`)} ${this.knownActors().map((id) => html`<option value=${id}></option>`)}
        </datalist>
        <label
          >${tr({ zh: "类别", en: "Kind" })}
          <select data-testid="audit-kind" @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value as AuditKind | "")}>
            <option value="" ?selected=${this.kind === ""}>${tr({ zh: "全部", en: "All" })}</option>
            ${AuditKind.options.map((k) => html`<option value=${k} ?selected=${this.kind === k}>${tr(AUDIT_KIND_LABEL[k])}</option>`)}
          </select></label
        >
        <button data-testid="audit-refresh" @click=${() => void this.load(false)}>${tr({ zh: "刷新", en: "Refresh" })}</button>
        ${this.error ? html`<span class="error" role="alert" data-testid="audit-error">${this.error}</span>` : ""}
      </div>
      ${this.entries.length === 0
        ? html`<div class="empty" data-testid="audit-none">${this.loading ? tr({ zh: "正在读取…", en: "Loading…" }) : this.error ? "" : tr({ zh: "这段时间没有符合条件的记录", en: "Nothing matches in this range" })}</div>`
        : html`<table data-testid="audit-table">
            <tr>
              <th>${tr({ zh: "时间", en: "Time" })}</th>
              <th>${tr({ zh: "类别", en: "Kind" })}</th>
              <th>${tr({ zh: "操作人", en: "Actor" })}</th>
              <th>${tr({ zh: "内容", en: "What" })}</th>
            </tr>
            ${this.entries.map(
              (e) => html`<tr data-testid="audit-entry">
                <td class="at">${dateTime(e.at, this.timezone)}</td>
                <td class="kind">${tr(AUDIT_KIND_LABEL[e.kind])}</td>
                <td class="who">${this.who(e.actor)}</td>
                <td>${tr(e.summary)}</td>
              </tr>`,
            )}
          </table>`}
      ${this.next ? html`<button class="more" data-testid="audit-more" ?disabled=${this.loading} @click=${() => void this.load(true)}>${tr({ zh: "更多", en: "More" })}</button>` : ""}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-audit-panel": AuditPanel;
  }
}
