import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { Bilingual, ReportGrouping, ReportSummary } from "../../protocol/index.js";
import { errorText } from "../../web/shared/plain-errors.js";
import { LangController, tr } from "../../web/shared/i18n.js";
import { param } from "../../web/shared/params.js";
import { endSession, loadSession, saveSession, SIGN_IN_AGAIN, type StaffSession } from "../../web/shared/session.js";
import "../../web/shared/lang-switch.js";
import "../../web/shared/sign-in.js";
import { download, fetchSummary, lastDays, ReportError, type Download, type Range } from "./api.js";
import { arrivalsHeatmap, ratingDistribution, ticketsPerDay, waitsAgainstTarget } from "./chart-options.js";
import { GROUPINGS } from "./format.js";
import "./report-chart.js";
import "./report-table.js";

/** The console's session: signing in here or there signs in both (same tab). */
const APP = "manager";

/** What went wrong, in plain words: the server's refusals as everywhere, and the page's own cases. */
function reportErrorText(err: unknown): string | Bilingual {
  if (!(err instanceof ReportError)) return { zh: "报表没有取到，请稍后重试", en: "The report did not load; please retry" };
  if (err.code === "NETWORK") return { zh: "网络不通，请检查网络后重试", en: "No network; check the connection and retry" };
  if (err.code === "NOT_FOUND") return { zh: "服务器还没有统计报表功能", en: "This server does not offer reports yet" };
  if (err.code === "VALIDATION") return { zh: "日期范围不对：开始日期不能晚于结束日期，最长一年", en: "Check the dates: the start may not be after the end, and at most a year" };
  return errorText(err);
}

/**
 * 统计报表: a signed-in manager picks a date range and a grouping and sees the hall's figures
 * over those days as the server computed them (GET …/reports/summary): the table with its
 * total, tickets per day, waits against target, the ratings and the weekday × hour arrivals;
 * and downloads the tickets (CSV, XLSX) and the summary (XLSX).
 */
@customElement("hc-reports-app")
export class ReportsApp extends LitElement {
  static styles = css`
    :host { display: flex; flex-direction: column; min-height: 100vh; color: var(--hc-fg); }
    header { display: flex; align-items: center; gap: 1rem; padding: 0.5rem 1.2rem; background: #081629; min-height: 56px; }
    header h1 { margin: 0; font-size: 1.3rem; flex: 1; }
    header .who { color: var(--hc-muted); }
    header a, header button, .bar button { font: inherit; min-height: 40px; padding: 0 1rem; border-radius: 999px; border: 1px solid var(--hc-muted); background: transparent; color: var(--hc-fg); cursor: pointer; text-decoration: none; display: inline-flex; align-items: center; }
    .bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.6rem 1rem; padding: 0.7rem 1.2rem 0; }
    .bar label { display: inline-flex; align-items: center; gap: 0.4rem; color: var(--hc-muted); }
    .bar input { font: inherit; padding: 0.35rem 0.5rem; border-radius: 8px; border: 2px solid #3b5b8a; background: #0b1f3a; color: var(--hc-fg); color-scheme: dark; }
    .groups { display: inline-flex; border: 1px solid var(--hc-muted); border-radius: 999px; overflow: hidden; }
    .groups button { border: 0; border-radius: 0; }
    .groups button[aria-pressed="true"] { background: var(--hc-accent); color: #111; font-weight: 700; }
    .bar .spacer { flex: 1; }
    .bar button.dl { border-color: #4ade80; }
    button:disabled { opacity: 0.55; cursor: wait; }
    main { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0.8rem; padding: 0.7rem 1.2rem 1.2rem; }
    .full { grid-column: 1 / -1; }
    .center { flex: 1; display: grid; place-items: center; }
    .status { padding: 0 1.2rem; color: var(--hc-muted); min-height: 1.4rem; margin-top: 0.4rem; }
    .msg { margin: 0.5rem 1.2rem 0; padding: 0.6rem 1rem; border-radius: 8px; font-size: 1.1rem; background: #7f1d1d; color: #fee2e2; }
  `;
  private hallId = param("hall", "demo");
  @state() private session: StaffSession | null = loadSession(this.hallId, APP);
  @state() private hallName: Bilingual | null = null;
  @state() private range: Range | null = null;
  @state() private by: ReportGrouping = "day";
  @state() private report: ReportSummary | null = null;
  @state() private loading = false;
  @state() private downloading: Download | null = null;
  @state() private error: string | Bilingual | null = null;
  private i18n = new LangController(this);
  /** Only the latest request's answer is shown. */
  private asked = 0;

  connectedCallback(): void {
    super.connectedCallback();
    void this.start();
  }

  /** The hall's name and zone (public), then the last 7 days in that zone. */
  private async start() {
    let timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    try {
      const res = await fetch(`/api/halls/${encodeURIComponent(this.hallId)}/info`);
      if (res.ok) {
        const info = (await res.json()) as { name: Bilingual; timezone: string };
        this.hallName = info.name;
        timezone = info.timezone;
      }
    } catch {
      // The default range is then the browser's; the report itself says what failed.
    }
    this.range = lastDays(timezone, 7);
    if (this.session) void this.load();
  }

  /** A session the server no longer takes: back to sign-in, saying why, like the console. */
  private refused(err: unknown): boolean {
    if (!(err instanceof ReportError) || !SIGN_IN_AGAIN.has(err.code)) return false;
    endSession(this.hallId, APP);
    this.session = null;
    this.report = null;
    this.error = errorText(err);
    return true;
  }

  private async load() {
    if (!this.session || !this.range) return;
    if (this.range.from > this.range.to) {
      this.error = { zh: "开始日期不能晚于结束日期", en: "The start date may not be after the end date" };
      return;
    }
    const ask = ++this.asked;
    this.loading = true;
    this.error = null;
    try {
      const report = await fetchSummary(this.hallId, this.session.token, this.range, this.by);
      if (ask === this.asked) this.report = report;
    } catch (err) {
      if (ask === this.asked && !this.refused(err)) this.error = reportErrorText(err);
    } finally {
      if (ask === this.asked) this.loading = false;
    }
  }

  private async save(file: Download) {
    if (!this.session || !this.range || this.downloading) return;
    this.downloading = file;
    this.error = null;
    try {
      await download(this.hallId, this.session.token, file, this.range);
    } catch (err) {
      if (!this.refused(err)) this.error = reportErrorText(err);
    } finally {
      this.downloading = null;
    }
  }

  private setDate(which: "from" | "to", value: string) {
    if (!this.range || !value) return;
    this.range = { ...this.range, [which]: value };
    void this.load();
  }

  private setBy(by: ReportGrouping) {
    if (by === this.by) return;
    this.by = by;
    void this.load();
  }

  private signedIn(s: StaffSession) {
    saveSession(this.hallId, APP, s);
    this.session = s;
    this.error = null;
    void this.load();
  }

  private signOut() {
    endSession(this.hallId, APP);
    this.session = null;
    this.report = null;
  }

  private charts(r: ReportSummary) {
    const chartNote = (g: string) => tr({ zh: `选择“${g}”后显示`, en: `Choose "${g}" to see this chart` });
    return html`
      <hc-report-chart data-testid="chart-tickets" .heading=${tr({ zh: "每日取号与办结", en: "Tickets per day" })}
        .option=${r.by === "day" && r.rows.length ? ticketsPerDay(r.rows) : null} .note=${r.by === "day" ? tr({ zh: "没有记录", en: "Nothing recorded" }) : chartNote(tr(GROUPINGS[0]!.label))}></hc-report-chart>
      <hc-report-chart data-testid="chart-waits" .heading=${tr({ zh: "等候时间与目标（分钟）", en: "Waits against target (min)" })}
        .option=${r.by === "service" && r.rows.length ? waitsAgainstTarget(r.rows) : null} .note=${r.by === "service" ? tr({ zh: "没有记录", en: "Nothing recorded" }) : chartNote(tr(GROUPINGS[1]!.label))}></hc-report-chart>
      <hc-report-chart data-testid="chart-ratings" .heading=${tr({ zh: "好差评分布", en: "Ratings" })} .option=${ratingDistribution(r.total)}></hc-report-chart>
      <hc-report-chart data-testid="chart-arrivals" .heading=${tr({ zh: "取号时段分布（星期 × 小时）", en: "Arrivals by weekday and hour" })} .option=${arrivalsHeatmap(r.arrivals)}></hc-report-chart>`;
  }

  render() {
    const title = `${this.hallName ? tr(this.hallName) : ""} ${tr({ zh: "统计报表", en: "Reports" })}`;
    const header = html`<header>
      <h1>${title}</h1>
      <a href="/manager/?hall=${encodeURIComponent(this.hallId)}" data-testid="link-console">${tr({ zh: "返回管理台", en: "Manager console" })}</a>
      ${this.session ? html`<span class="who">${this.session.staff.name}</span><button data-testid="sign-out" @click=${this.signOut}>${tr({ zh: "退出", en: "Sign out" })}</button>` : ""}
      <hc-lang-switch></hc-lang-switch>
    </header>`;
    const msg = this.error ? html`<div class="msg" role="alert" data-testid="error">${typeof this.error === "string" ? this.error : tr(this.error)}</div>` : "";
    if (!this.session)
      return html`${header}${msg}<div class="center"><hc-sign-in .hallId=${this.hallId} role="manager" .heading=${{ zh: "大厅主任登录", en: "Manager sign-in" }} @signed-in=${(e: CustomEvent<StaffSession>) => this.signedIn(e.detail)}></hc-sign-in></div>`;
    const r = this.report;
    const busy = this.downloading !== null;
    const dl = (file: Download, label: Bilingual, id: string) =>
      html`<button class="dl" data-testid=${id} ?disabled=${busy || !this.range} @click=${() => void this.save(file)}>${this.downloading === file ? tr({ zh: "正在下载…", en: "Downloading…" }) : tr(label)}</button>`;
    return html`${header}
      <div class="bar">
        <label>${tr({ zh: "从", en: "From" })}<input type="date" data-testid="from" .value=${this.range?.from ?? ""} max=${this.range?.to ?? ""} @change=${(e: Event) => this.setDate("from", (e.target as HTMLInputElement).value)} /></label>
        <label>${tr({ zh: "到", en: "To" })}<input type="date" data-testid="to" .value=${this.range?.to ?? ""} min=${this.range?.from ?? ""} @change=${(e: Event) => this.setDate("to", (e.target as HTMLInputElement).value)} /></label>
        <div class="groups" role="group" aria-label=${tr({ zh: "分组", en: "Grouping" })}>
          ${GROUPINGS.map((g) => html`<button data-testid="by-${g.by}" aria-pressed=${this.by === g.by ? "true" : "false"} @click=${() => this.setBy(g.by)}>${tr(g.label)}</button>`)}
        </div>
        <span class="spacer"></span>
        ${dl("tickets.csv", { zh: "下载明细 CSV", en: "Tickets CSV" }, "download-csv")}
        ${dl("tickets.xlsx", { zh: "下载明细 Excel", en: "Tickets XLSX" }, "download-xlsx")}
        ${dl("summary.xlsx", { zh: "下载汇总 Excel", en: "Summary XLSX" }, "download-summary")}
      </div>
      <div class="status" data-testid="status">${this.loading ? tr({ zh: "正在统计…", en: "Loading…" }) : r ? tr({ zh: `${r.from} 至 ${r.to}`, en: `${r.from} to ${r.to}` }) : ""}</div>
      ${msg}
      ${r
        ? html`<main>
            <hc-report-table class="full" .by=${r.by} .rows=${r.rows} .total=${r.total}></hc-report-table>
            ${this.charts(r)}
          </main>`
        : ""}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-reports-app": ReportsApp;
  }
}
