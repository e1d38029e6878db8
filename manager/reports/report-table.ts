import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { RATING_LABELS, type ReportGrouping, type ReportRow } from "../../protocol/index.js";
import { LangController, tr } from "../../web/shared/i18n.js";
import { RATING_COLOURS } from "./chart-options.js";
import { DASH, groupName, min, pct } from "./format.js";

/** The grouping's column heading. */
const GROUP_HEAD: Record<ReportGrouping, { zh: string; en: string }> = {
  day: { zh: "日期", en: "Day" },
  service: { zh: "事项", en: "Service" },
  window: { zh: "窗口", en: "Window" },
  staff: { zh: "人员", en: "Staff" },
  hour: { zh: "时段", en: "Hour" },
};

/**
 * The report's rows and their total as the server sent them: counts, waits and service time in
 * minutes, shares as percentages, the five 好差评 levels (best first), 满意率 and 差评.
 * Cells carry `data-testid="<column>-<key>"` (the total's key is "total").
 */
@customElement("hc-report-table")
export class ReportTable extends LitElement {
  static styles = css`
    :host { display: block; background: var(--hc-panel); border-radius: var(--hc-radius); padding: 0.6rem 0.8rem; overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 1rem; }
    th, td { padding: 0.35rem 0.5rem; text-align: right; white-space: nowrap; border-bottom: 1px solid #24446f; }
    th:first-child, td:first-child { text-align: left; }
    thead th { color: var(--hc-muted); font-weight: 600; background: var(--hc-panel); vertical-align: bottom; white-space: normal; line-height: 1.25; }
    thead tr.groups th { text-align: center; border-bottom: 0; font-size: 0.9rem; }
    tfoot td { font-weight: 700; border-top: 2px solid var(--hc-muted); border-bottom: 0; }
    .dot { display: inline-block; width: 0.7em; height: 0.7em; border-radius: 50%; margin-right: 0.25em; vertical-align: baseline; }
    .bad { color: #fca5a5; }
    .empty { color: var(--hc-muted); padding: 1rem; text-align: center; }
  `;
  @property() by: ReportGrouping = "day";
  @property({ attribute: false }) rows: ReportRow[] = [];
  @property({ attribute: false }) total: ReportRow | null = null;
  private i18n = new LangController(this);

  private cells(r: ReportRow) {
    const k = r.key;
    return html`<td data-testid="group-${k}">${groupName(this.by, r)}</td>
      <td data-testid="issued-${k}">${r.issued}</td>
      <td data-testid="served-${k}">${r.served}</td>
      <td data-testid="noshows-${k}">${r.noShows}</td>
      <td>${r.cancelled}</td>
      <td>${r.transferred}</td>
      <td data-testid="wait-mean-${k}">${min(r.waitMeanSec)}</td>
      <td>${min(r.waitP50Sec)}</td>
      <td>${min(r.waitP90Sec)}</td>
      <td data-testid="within-${k}">${pct(r.withinTargetShare)}</td>
      <td>${min(r.serviceMeanSec)}</td>
      ${[5, 4, 3, 2, 1].map((l) => html`<td data-testid="rating-${l}-${k}">${r.ratings[l - 1]}</td>`)}
      <td data-testid="satisfaction-${k}">${pct(r.satisfaction)}</td>
      <td data-testid="bad-${k}" class=${r.bad ? "bad" : ""}>${r.bad}</td>`;
  }

  render() {
    if (!this.total) return html`<div class="empty">${DASH}</div>`;
    const m = tr({ zh: "（分钟）", en: " (min)" });
    return html`<table data-testid="report-table">
      <thead>
        <tr class="groups">
          <th></th><th colspan="5">${tr({ zh: "号数", en: "Tickets" })}</th><th colspan="4">${tr({ zh: "等候", en: "Waiting" })}</th><th></th>
          <th colspan="7">${tr({ zh: "好差评", en: "Ratings" })}</th>
        </tr>
        <tr>
          <th>${tr(GROUP_HEAD[this.by])}</th>
          <th>${tr({ zh: "取号", en: "Issued" })}</th><th>${tr({ zh: "办结", en: "Served" })}</th><th>${tr({ zh: "过号", en: "No-show" })}</th>
          <th>${tr({ zh: "取消", en: "Cancelled" })}</th><th>${tr({ zh: "转办", en: "Transferred" })}</th>
          <th>${tr({ zh: "平均", en: "Mean" })}${m}</th><th>P50${m}</th><th>P90${m}</th><th>${tr({ zh: "达标率", en: "Within target" })}</th>
          <th>${tr({ zh: "平均办理", en: "Mean service" })}${m}</th>
          ${[5, 4, 3, 2, 1].map((l) => html`<th title=${tr(RATING_LABELS[l]!)}><span class="dot" style="background:${RATING_COLOURS[l]}"></span>${tr(RATING_LABELS[l]!)}</th>`)}
          <th>${tr({ zh: "满意率", en: "Satisfied" })}</th><th>${tr({ zh: "差评", en: "Bad" })}</th>
        </tr>
      </thead>
      <tbody>
        ${this.rows.length ? this.rows.map((r) => html`<tr data-testid="row-${r.key}">${this.cells(r)}</tr>`) : html`<tr><td colspan="18" class="empty">${tr({ zh: "这段时间没有记录", en: "Nothing recorded in this range" })}</td></tr>`}
      </tbody>
      <tfoot><tr data-testid="row-total">${this.cells(this.total)}</tr></tfoot>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-report-table": ReportTable;
  }
}
