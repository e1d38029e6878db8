import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { RATING_LABELS, type StaffStats } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { panelStyles } from "./panel-styles.js";

/** The rating the citizen gave the last ticket finished here; null rating = not rated yet. */
export interface LastRating {
  number: string;
  rating: number | null;
}

/** The staff member's own figures for today and the last citizen's rating. */
@customElement("hc-my-figures")
export class MyFigures extends LitElement {
  static styles = [
    panelStyles,
    css`
      .figs { display: grid; grid-template-columns: repeat(3, 1fr); gap: 0.4rem; text-align: center; }
      .figs b { display: block; font-size: 1.8rem; font-variant-numeric: tabular-nums; }
      .figs span { color: var(--hc-muted); font-size: 0.95rem; }
      .last { margin-top: 0.5rem; font-size: 1.1rem; }
      .good { color: #86efac; font-weight: 700; }
      .bad { color: #fca5a5; font-weight: 700; }
    `,
  ];
  @property({ attribute: false }) stats: StaffStats | undefined;
  @property({ attribute: false }) last: LastRating | null = null;
  private i18n = new LangController(this);

  render() {
    const st = this.stats ?? { served: 0, serviceSecSum: 0, ratings: [0, 0, 0, 0, 0] };
    const rated = st.ratings.reduce((a, b) => a + b, 0);
    const avgMin = st.served ? st.serviceSecSum / st.served / 60 : 0;
    const good = st.ratings[3]! + st.ratings[4]!;
    const l = this.last;
    return html`<h3>${tr({ zh: "我的今日", en: "My day" })}</h3>
      <div class="figs">
        <div><b data-testid="my-served">${st.served}</b><span>${tr({ zh: "已办结", en: "Served" })}</span></div>
        <div><b>${st.served ? avgMin.toFixed(1) : "—"}</b><span>${tr({ zh: "平均用时(分)", en: "Avg min" })}</span></div>
        <div><b data-testid="my-ratings">${rated ? `${Math.round((good / rated) * 100)}%` : "—"}</b><span>${tr({ zh: `满意率（${rated}评）`, en: `Satisfied (${rated})` })}</span></div>
      </div>
      ${l
        ? html`<div class="last" data-testid="last-rating">${tr({ zh: `上一位 ${l.number}：`, en: `Last, ${l.number}: ` })}${l.rating
            ? html`<span class=${l.rating >= 4 ? "good" : l.rating <= 2 ? "bad" : ""}>${tr(RATING_LABELS[l.rating]!)}</span>`
            : tr({ zh: "等待评价…", en: "awaiting rating…" })}</div>`
        : ""}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-my-figures": MyFigures;
  }
}
