import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { RATING_LABELS, WAIT_BUCKETS_MIN, type HallStats, type ServiceInfo } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { cardStyles } from "./card-styles.js";
import "./bar-chart.js";

/** Today's figures: tickets per hour, the wait distribution, ratings, and per-service counts. */
@customElement("hc-figures-panel")
export class FiguresPanel extends LitElement {
  static styles = [
    cardStyles,
    css`
      .grid { display: grid; grid-template-columns: 1.4fr 1fr 1fr 1.3fr; gap: 1rem; }
      h3 { margin: 0 0 0.3rem; font-size: 0.95rem; color: var(--hc-muted); font-weight: 500; }
      .grid td, .grid th { padding: 0.15rem 0.4rem; }
      .avg { font-size: 0.9rem; color: var(--hc-muted); margin-top: 0.2rem; }
    `,
  ];
  @property({ attribute: false }) stats: HallStats | undefined;
  @property({ attribute: false }) services: ServiceInfo[] = [];
  private i18n = new LangController(this);

  render() {
    const st = this.stats;
    if (!st) return html``;
    const hours = st.issuedByHour;
    // Show opening hours (07–20) unless tickets came outside them.
    const first = Math.min(7, ...hours.map((v, h) => (v ? h : 24)));
    const last = Math.max(20, ...hours.map((v, h) => (v ? h : -1)));
    const shown = hours.slice(first, last + 1);
    const waitLabels = [...WAIT_BUCKETS_MIN.map((m) => `<${m}′`), `${WAIT_BUCKETS_MIN.at(-1)}′+`];
    const rated = st.ratings.reduce((a, b) => a + b, 0);
    const avgRating = rated ? st.ratings.reduce((a, n, i) => a + n * (i + 1), 0) / rated : 0;
    const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
    return html`<h2>${tr({ zh: "今日数据", en: "Today's figures" })}</h2>
      <div class="grid">
        <div data-testid="figures-hourly">
          <h3>${tr({ zh: "每小时取号", en: "Tickets per hour" })}</h3>
          <hc-bar-chart .values=${shown} .labels=${shown.map((_, i) => ((first + i) % 2 === 0 ? String(first + i) : ""))}></hc-bar-chart>
        </div>
        <div data-testid="figures-waits">
          <h3>${tr({ zh: "等候时长分布", en: "Waits" })}</h3>
          <hc-bar-chart .values=${st.waitHistogram} .labels=${waitLabels} .colours=${["#16a34a", "#4d7c0f", "#ca8a04", "#ea580c", "#dc2626", "#991b1b"]}></hc-bar-chart>
          <div class="avg">${tr({ zh: "平均等候", en: "Mean wait" })} ${st.waitCount ? (st.waitSecSum / st.waitCount / 60).toFixed(1) : "—"} ${tr({ zh: "分钟", en: "min" })}</div>
        </div>
        <div data-testid="figures-ratings">
          <h3>${tr({ zh: "好差评", en: "Ratings" })}（${rated}）</h3>
          <table>
            ${[5, 4, 3, 2, 1].map((r) => html`<tr><td>${tr(RATING_LABELS[r]!)}</td><td class="n" data-testid="rating-count-${r}">${st.ratings[r - 1]}</td></tr>`)}
          </table>
          <div class="avg">${tr({ zh: "平均", en: "Mean" })} ${rated ? avgRating.toFixed(2) : "—"} / 5</div>
        </div>
        <div data-testid="figures-services">
          <h3>${tr({ zh: "各事项", en: "Per service" })}</h3>
          <table>
            <tr><th></th><th class="n">${tr({ zh: "取号", en: "Issued" })}</th><th class="n">${tr({ zh: "叫号", en: "Called" })}</th><th class="n">${tr({ zh: "办结", en: "Done" })}</th><th class="n">${tr({ zh: "过号", en: "No-show" })}</th></tr>
            ${this.services
              .filter((s) => st.issued[s.id] || st.called[s.id] || st.finished[s.id] || st.noShows[s.id])
              .map((s) => html`<tr data-testid="figures-service-${s.id}"><td>${tr(s.name)}</td><td class="n">${st.issued[s.id] ?? 0}</td><td class="n">${st.called[s.id] ?? 0}</td><td class="n">${st.finished[s.id] ?? 0}</td><td class="n">${st.noShows[s.id] ?? 0}</td></tr>`)}
            <tr><td><b>${tr({ zh: "合计", en: "Total" })}</b></td><td class="n"><b>${sum(st.issued)}</b></td><td class="n"><b>${sum(st.called)}</b></td><td class="n"><b data-testid="figures-finished-total">${sum(st.finished)}</b></td><td class="n"><b>${sum(st.noShows)}</b></td></tr>
          </table>
        </div>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-figures-panel": FiguresPanel;
  }
}
