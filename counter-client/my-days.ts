import { LitElement, css, html, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { ReportRow } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { panelStyles } from "./panel-styles.js";

/** The staff member's figures day by day (GET …/reports/me), as the server computed them. */
interface MyReport {
  rows: ReportRow[];
  total: ReportRow;
}

/** Days the panel covers, today included. */
const DAYS = 7;

const dayBefore = (date: string, days: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
};
const min = (sec: number | null) => (sec === null ? "—" : (sec / 60).toFixed(1));
const pct = (share: number | null) => (share === null ? "—" : `${Math.round(share * 100)}%`);

/**
 * 我的统计: the signed-in staff member's own figures over the last seven business days (served,
 * mean service time, ratings, 满意率), folded under a one-line total. It asks the server once per
 * business day; when the server has no such route (404) or refuses, it shows nothing, so the
 * counter works the same without it.
 */
@customElement("hc-my-days")
export class MyDays extends LitElement {
  static styles = [
    panelStyles,
    css`
      :host([hidden]) { display: none; }
      summary { cursor: pointer; font-size: 1.05rem; list-style: revert; }
      summary b { font-variant-numeric: tabular-nums; }
      summary .t { color: var(--hc-muted); font-weight: 600; margin-right: 0.5rem; }
      table { margin-top: 0.4rem; font-size: 1rem; }
      th:not(:first-child) { text-align: right; }
      tfoot td { border-top: 1px solid var(--hc-muted); }
    `,
  ];
  @property() hallId = "";
  /** The counter's Bearer token. */
  @property() token = "";
  /** The hall's business date today (from the snapshot): the last day shown. */
  @property() businessDate = "";
  @state() private report: MyReport | null = null;
  private i18n = new LangController(this);
  private asked = "";

  protected willUpdate(changed: PropertyValues<this>): void {
    const key = `${this.hallId}|${this.token}|${this.businessDate}`;
    if (!this.hallId || !this.token || !this.businessDate || key === this.asked) return;
    if (changed.has("hallId") || changed.has("token") || changed.has("businessDate")) {
      this.asked = key;
      void this.load(key);
    }
  }

  private async load(key: string) {
    const q = new URLSearchParams({ from: dayBefore(this.businessDate, DAYS - 1), to: this.businessDate });
    try {
      const res = await fetch(`/api/halls/${encodeURIComponent(this.hallId)}/reports/me?${q}`, { headers: { authorization: `Bearer ${this.token}` } });
      const body = res.ok ? ((await res.json()) as MyReport) : null;
      if (key === this.asked) this.report = body && Array.isArray(body.rows) && body.total ? body : null;
    } catch {
      if (key === this.asked) this.report = null;
    }
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.hidden = !this.report;
  }

  protected updated(): void {
    this.hidden = !this.report;
  }

  render() {
    const r = this.report;
    if (!r) return "";
    const t = r.total;
    return html`<details data-testid="my-days">
      <summary><span class="t">${tr({ zh: `我的统计（近${DAYS}天）`, en: `My figures (${DAYS} days)` })}</span>${tr({ zh: "办结", en: "served" })} <b data-testid="my-days-served">${t.served}</b> · ${tr({ zh: "满意率", en: "satisfied" })} <b>${pct(t.satisfaction)}</b></summary>
      <table>
        <thead><tr><th>${tr({ zh: "日期", en: "Day" })}</th><th>${tr({ zh: "办结", en: "Served" })}</th><th>${tr({ zh: "平均用时(分)", en: "Avg min" })}</th><th>${tr({ zh: "满意率", en: "Satisfied" })}</th><th>${tr({ zh: "差评", en: "Bad" })}</th></tr></thead>
        <tbody>${r.rows.map((d) => html`<tr><td>${d.key.slice(5)}</td><td class="n">${d.served}</td><td class="n">${min(d.serviceMeanSec)}</td><td class="n">${pct(d.satisfaction)}</td><td class="n">${d.bad}</td></tr>`)}</tbody>
        <tfoot><tr><td>${tr({ zh: "合计", en: "Total" })}</td><td class="n">${t.served}</td><td class="n">${min(t.serviceMeanSec)}</td><td class="n">${pct(t.satisfaction)}</td><td class="n">${t.bad}</td></tr></tfoot>
      </table>
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-my-days": MyDays;
  }
}
