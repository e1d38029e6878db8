import { LitElement, css, html, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { Bilingual, CaseBoard, CaseReport, CaseView } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import type { HallConnection } from "../web/shared/hall-connection.js";
import { PeriodicRead } from "./periodic-read.js";
import { cardStyles } from "./card-styles.js";
import { consoleErrorText, staffCall, type ApiError } from "./staff-api.js";
import { CASE_STATE, STEP_KIND, dateWords, momentWords } from "../case/progress.js";

/** The board is read again this often: cases move on at the counters, and overdue ones turn with the day. */
const REFRESH_MS = 30_000;

const CASE_ERRORS: Record<string, Bilingual> = {
  NOT_FOUND: { zh: "本服务器没有接记录数据库，无法跟踪工单", en: "This server keeps no records database, so cases are not kept" },
};
const errorWords = (err: ApiError) => (CASE_ERRORS[err.code] ? tr(CASE_ERRORS[err.code]!) : consoleErrorText(err));

const get = <T>(url: string, token: string) => staffCall<T>(url, token);

const base = (hallId: string) => `/api/halls/${encodeURIComponent(hallId)}/cases`;
/** The month a date falls in, YYYY-MM. */
const monthOf = (date: string) => date.slice(0, 7);
const thisMonth = (timeZone: string) => monthOf(new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(Date.now()));

/** Overdue first, then the nearest deadline, then the oldest. */
export function boardOrder(a: CaseView, b: CaseView): number {
  return Number(b.overdue) - Number(a.overdue) || a.dueDate.localeCompare(b.dueDate) || a.openedAt - b.openedAt;
}

/**
 * 工单看板: the hall's cases (办不成事) as GET …/cases counts them — open, due within a working
 * day, overdue (the alarm), by category and by department — and the list, overdue first, each
 * opening to its steps (who, when, what); below, the month's report by category (opened,
 * resolved, closed, overdue, mean working days to resolve) with a month picker, to see which
 * kinds of problem keep coming back. Read again on each case changed at a counter or in another
 * console (`case:changed` on the console's connection: the counts are the server's), and every
 * 30 s (the day turning makes cases overdue; a change sent while offline).
 *
 * @fires cases-overdue - detail: the number of overdue cases, whenever the board is read
 */
@customElement("hc-cases-panel")
export class CasesPanel extends LitElement {
  static styles = [
    cardStyles,
    css`
      .bar { display: flex; align-items: center; gap: 0.6rem; margin-bottom: 0.6rem; flex-wrap: wrap; }
      select, input[type="month"] { font: inherit; min-height: 36px; padding: 0 0.5rem; border-radius: 8px; border: 1px solid #ffffff30; background: #0b1f3a; color: var(--hc-fg); color-scheme: dark; }
      .heads { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 0.6rem; margin-bottom: 0.6rem; }
      .head { background: #0b1f3a; border-radius: 10px; padding: 0.5rem 0.8rem; display: grid; }
      .head b { font-size: 1.8rem; font-variant-numeric: tabular-nums; }
      .head span { color: var(--hc-muted); font-size: 0.9rem; }
      .head.amber b { color: #fbbf24; }
      .head.alarm { background: #7f1d1d; animation: pulse 1.2s ease-in-out infinite alternate; }
      @keyframes pulse { from { opacity: 1; } to { opacity: 0.7; } }
      @media (prefers-reduced-motion: reduce) { .head.alarm { animation: none; } }
      .groups { display: grid; grid-template-columns: 1fr 1fr; gap: 0.8rem; margin-bottom: 0.6rem; }
      .groups section, section.report { background: #0b1f3a; border-radius: 10px; padding: 0.5rem 0.8rem; }
      h3 { margin: 0 0 0.3rem; font-size: 1rem; color: var(--hc-muted); font-weight: 600; display: flex; gap: 0.6rem; align-items: center; }
      tr.case { cursor: pointer; }
      tr.case:hover td { background: #ffffff08; }
      tr.case.overdue td { background: #7f1d1d55; }
      td.detail { padding: 0.3rem 0.4rem 0.8rem 1.4rem; }
      ol { margin: 0; padding-left: 1.2rem; }
      li { margin: 0.15rem 0; }
      .docs { color: #fcd34d; }
      .error { color: #fca5a5; }
      .empty { color: var(--hc-muted); padding: 0.4rem 0; }
      section.report { margin-top: 0.8rem; }
    `,
  ];
  @property() hallId = "";
  @property() token = "";
  /** The hall's time zone (the snapshot's). */
  @property() timezone = "Asia/Shanghai";
  /** The console's connection, whose `case:changed` makes the board read again. */
  @property({ attribute: false }) conn: HallConnection | null = null;
  @state() private filter: "open" | "all" = "open";
  @state() private board: CaseBoard | null = null;
  @state() private month = "";
  @state() private report: CaseReport | null = null;
  @state() private error = "";
  @state() private openId: string | null = null;
  private i18n = new LangController(this);
  private reads = new PeriodicRead(this, () => this.load(), REFRESH_MS);
  private unfollow: (() => void) | null = null;

  private follow(): void {
    this.unfollow?.();
    this.unfollow = this.conn?.on("case:changed", () => void this.load()) ?? null;
  }

  connectedCallback(): void {
    super.connectedCallback();
    if (this.conn) this.follow();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unfollow?.();
    this.unfollow = null;
  }

  protected willUpdate(): void {
    if (!this.month && this.timezone) this.month = thisMonth(this.timezone);
  }

  protected updated(changed: PropertyValues): void {
    if (changed.has("conn")) this.follow();
    if (changed.has("token") || changed.has("hallId") || changed.has("filter")) void this.load();
    if (changed.has("token") || changed.has("hallId") || changed.has("month")) void this.loadReport();
  }

  /** Read the board again (after a step elsewhere, or the refresh button). */
  async load(): Promise<void> {
    if (!this.hallId || !this.token) return;
    const current = this.reads.begin();
    const res = await get<CaseBoard>(`${base(this.hallId)}?${new URLSearchParams({ state: this.filter })}`, this.token);
    if (!current()) return;
    if (!res.ok) {
      this.error = errorWords(res.error);
      return;
    }
    this.board = res.data;
    this.error = "";
    this.dispatchEvent(new CustomEvent<number>("cases-overdue", { detail: res.data.overdue, bubbles: true, composed: true }));
  }

  private async loadReport(): Promise<void> {
    if (!this.hallId || !this.token || !this.month) return;
    const month = this.month;
    const res = await get<CaseReport>(`${base(this.hallId)}/report?${new URLSearchParams({ month })}`, this.token);
    if (month !== this.month) return;
    if (res.ok) this.report = res.data;
    else this.error = errorWords(res.error);
  }

  render() {
    const b = this.board;
    return html`<h2>${tr({ zh: "工单看板（办不成事）", en: "Cases (escalation window)" })}</h2>
      <div class="bar">
        <select data-testid="cases-filter" @change=${(e: Event) => (this.filter = (e.target as HTMLSelectElement).value as "open" | "all")}>
          <option value="open" ?selected=${this.filter === "open"}>${tr({ zh: "未办结", en: "Not closed" })}</option>
          <option value="all" ?selected=${this.filter === "all"}>${tr({ zh: "全部", en: "All" })}</option>
        </select>
        <button data-testid="cases-board-refresh" @click=${() => void this.load()}>${tr({ zh: "刷新", en: "Refresh" })}</button>
        ${this.error ? html`<span class="error" role="alert" data-testid="cases-error">${this.error}</span>` : ""}
      </div>
      ${b ? this.renderBoard(b) : html`<div class="empty">${this.error ? "" : tr({ zh: "正在读取…", en: "Loading…" })}</div>`}
      ${this.renderReport()}`;
  }

  private renderBoard(b: CaseBoard) {
    const names = new Map(b.cases.map((c) => [c.category, c.categoryName]));
    const group = (title: Bilingual, counts: Record<string, number>, name: (k: string) => string, id: string) => {
      const rows = Object.entries(counts).sort((x, y) => y[1] - x[1]);
      return html`<section data-testid=${id}><h3>${tr(title)}</h3>
        ${rows.length ? html`<table>${rows.map(([k, n]) => html`<tr><td>${name(k)}</td><td class="n">${n}</td></tr>`)}</table>` : html`<div class="empty">—</div>`}
      </section>`;
    };
    const cases = [...b.cases].sort(boardOrder);
    return html`<div class="heads">
        <div class="head" data-testid="cases-open"><b>${b.open}</b><span>${tr({ zh: "未办结", en: "Open" })}</span></div>
        <div class="head ${b.dueWithinWorkingDay ? "amber" : ""}" data-testid="cases-due-soon"><b>${b.dueWithinWorkingDay}</b><span>${tr({ zh: "一个工作日内到期", en: "Due within a working day" })}</span></div>
        <div class="head ${b.overdue ? "alarm" : ""}" data-testid="cases-overdue" role=${b.overdue ? "alert" : "status"}><b>${b.overdue}</b><span>${tr({ zh: "已超期", en: "Overdue" })}</span></div>
      </div>
      <div class="groups">
        ${group({ zh: "按类别", en: "By category" }, b.byCategory, (k) => (names.has(k) ? tr(names.get(k)!) : k), "cases-by-category")}
        ${group({ zh: "按部门", en: "By department" }, b.byDepartment, (k) => k || tr({ zh: "（未转办）", en: "(not referred)" }), "cases-by-department")}
      </div>
      ${cases.length
        ? html`<table data-testid="cases-list">
            <tr><th>${tr({ zh: "工单号", en: "Case" })}</th><th>${tr({ zh: "类别", en: "Category" })}</th><th>${tr({ zh: "事由", en: "Matter" })}</th><th>${tr({ zh: "承办部门", en: "Department" })}</th><th>${tr({ zh: "时限", en: "Due" })}</th><th>${tr({ zh: "状态", en: "State" })}</th></tr>
            ${cases.map((c) => this.renderCase(c))}
          </table>`
        : html`<div class="empty" data-testid="cases-none">${tr({ zh: "没有工单", en: "No cases" })}</div>`}`;
  }

  private renderCase(c: CaseView) {
    const open = c.id === this.openId;
    return html`<tr class="case ${c.overdue ? "overdue" : ""}" data-testid="board-case-${c.number}" @click=${() => (this.openId = open ? null : c.id)}>
        <td>${c.number}</td><td>${tr(c.categoryName)}</td><td>${c.summary}</td><td>${c.department ?? "—"}</td>
        <td class=${c.overdue ? "red" : ""}>${tr(dateWords(c.dueDate))}${c.overdue ? tr({ zh: "（已超期）", en: " (overdue)" }) : ""}</td>
        <td data-testid="board-case-${c.number}-state">${tr(CASE_STATE[c.state])}</td>
      </tr>
      ${open
        ? html`<tr><td class="detail" colspan="6" data-testid="board-case-${c.number}-steps">
            <div class="muted">${tr({ zh: "号", en: "Ticket" })} ${c.ticketNumber} · ${tr({ zh: "电话", en: "Phone" })} ${c.phone} · ${tr({ zh: "涉及部门", en: "Departments" })} ${c.departments.join("、") || "—"}${c.rating ? html` · ${tr({ zh: "评价", en: "Rating" })} ${c.rating}` : ""}</div>
            ${c.documentsNeeded.length ? html`<div class="docs">${tr({ zh: "待补正：", en: "Still needed: " })}${c.documentsNeeded.join("、")}</div>` : ""}
            <ol>${c.steps.map((s) => html`<li>${momentWords(s.at, this.timezone)} ${tr(STEP_KIND[s.kind])}${s.text ? `：${s.text}` : ""} <span class="muted">${s.by}</span></li>`)}</ol>
            ${c.resolution ? html`<div>${tr({ zh: "办理结果：", en: "Resolution: " })}${c.resolution}</div>` : ""}
          </td></tr>`
        : ""}`;
  }

  private renderReport() {
    const r = this.report?.month === this.month ? this.report : null;
    const mean = (x: number | null) => (x === null ? "—" : x.toFixed(1));
    return html`<section class="report" data-testid="cases-report">
      <h3>${tr({ zh: "月度分析（按类别）", en: "Month by category" })}
        <input type="month" data-testid="cases-month" .value=${this.month} @change=${(e: Event) => (this.month = (e.target as HTMLInputElement).value || this.month)} />
      </h3>
      ${!r
        ? html`<div class="empty">${tr({ zh: "正在读取…", en: "Loading…" })}</div>`
        : r.rows.length === 0
          ? html`<div class="empty">${tr({ zh: "这个月没有工单", en: "No cases this month" })}</div>`
          : html`<table>
              <tr><th>${tr({ zh: "类别", en: "Category" })}</th><th class="n">${tr({ zh: "受理", en: "Opened" })}</th><th class="n">${tr({ zh: "解决", en: "Resolved" })}</th><th class="n">${tr({ zh: "办结", en: "Closed" })}</th><th class="n">${tr({ zh: "超期", en: "Overdue" })}</th><th class="n">${tr({ zh: "平均办理工作日", en: "Mean working days to resolve" })}</th></tr>
              ${r.rows.map((x) => html`<tr data-testid="cases-report-${x.category}"><td>${tr(x.name)}</td><td class="n">${x.opened}</td><td class="n">${x.resolved}</td><td class="n">${x.closed}</td><td class="n ${x.overdue ? "red" : ""}">${x.overdue}</td><td class="n">${mean(x.meanWorkingDaysToResolve)}</td></tr>`)}
            </table>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-cases-panel": CasesPanel;
  }
}
