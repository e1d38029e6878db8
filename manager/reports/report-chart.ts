import { LitElement, css, html, type PropertyValues } from "lit";
import { customElement, property, query } from "lit/decorators.js";
import { echarts, type ChartOption } from "./echarts.js";

/**
 * One ECharts chart on canvas, in a titled card. Redrawn whole when `option` changes (a new
 * report or language) and resized with its box.
 * @csspart plot - the box the canvas is drawn in
 */
@customElement("hc-report-chart")
export class ReportChart extends LitElement {
  static styles = css`
    :host { display: flex; flex-direction: column; background: var(--hc-panel); border-radius: var(--hc-radius); padding: 0.7rem 0.9rem; min-width: 0; }
    h3 { margin: 0 0 0.4rem; font-size: 1.1rem; }
    .plot { flex: 1; min-height: 260px; }
    .note { color: var(--hc-muted); margin: auto; padding: 1rem; text-align: center; }
  `;
  /** Title above the chart, already in the page's language. */
  @property() heading = "";
  /** What to draw; null shows `note` instead. */
  @property({ attribute: false }) option: ChartOption | null = null;
  /** Shown when there is nothing to draw. */
  @property() note = "";
  @query(".plot") private plot!: HTMLDivElement | null;
  private chart: echarts.ECharts | null = null;
  private resize = new ResizeObserver(() => this.chart?.resize());

  protected updated(changed: PropertyValues<this>): void {
    if (!changed.has("option")) return;
    if (!this.option || !this.plot) {
      this.chart?.dispose();
      this.chart = null;
      return;
    }
    if (!this.chart || this.chart.getDom() !== this.plot) {
      this.chart?.dispose();
      this.chart = echarts.init(this.plot, undefined, { renderer: "canvas" });
      this.resize.disconnect();
      this.resize.observe(this.plot);
    }
    this.chart.setOption(this.option, true);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    this.chart?.dispose();
    this.chart = null;
  }

  render() {
    return html`<h3>${this.heading}</h3>${this.option ? html`<div class="plot" part="plot"></div>` : html`<div class="note">${this.note}</div>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-report-chart": ReportChart;
  }
}
