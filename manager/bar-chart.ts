import { LitElement, css, html, svg } from "lit";
import { customElement, property } from "lit/decorators.js";

/** A small SVG bar chart: one bar per value, labels under some bars, the count over each bar. */
@customElement("hc-bar-chart")
export class BarChart extends LitElement {
  static styles = css`
    :host { display: block; }
    svg { width: 100%; height: auto; display: block; }
    text { fill: #cbd5e1; font-size: 15px; font-family: inherit; }
    text.v { fill: #f8fafc; font-size: 15px; font-weight: 700; }
  `;
  @property({ attribute: false }) values: number[] = [];
  /** Label under each bar ("" for none). */
  @property({ attribute: false }) labels: string[] = [];
  /** Bar colours (one per bar, or one for all). */
  @property({ attribute: false }) colours: string[] = ["#f5b301"];

  render() {
    const n = this.values.length || 1;
    const W = 400;
    const H = 150;
    const top = 20;
    const bottom = 22;
    const max = Math.max(1, ...this.values);
    const bw = W / n;
    return html`<svg viewBox="0 0 ${W} ${H}" role="img">
      ${this.values.map((v, i) => {
        const h = ((H - top - bottom) * v) / max;
        const x = i * bw;
        const colour = this.colours[i] ?? this.colours[0];
        return svg`<rect x=${x + bw * 0.12} y=${H - bottom - h} width=${bw * 0.76} height=${Math.max(h, v ? 1 : 0)} rx="2" fill=${colour}></rect>
          ${v ? svg`<text class="v" x=${x + bw / 2} y=${H - bottom - h - 3} text-anchor="middle">${v}</text>` : ""}
          ${this.labels[i] ? svg`<text x=${x + bw / 2} y=${H - 5} text-anchor="middle">${this.labels[i]}</text>` : ""}`;
      })}
      <line x1="0" x2=${W} y1=${H - bottom} y2=${H - bottom} stroke="#ffffff40"></line>
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-bar-chart": BarChart;
  }
}
