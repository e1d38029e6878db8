import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { LangController, tr } from "../../web/shared/i18n.js";
import type { CallView } from "./types.js";

/** The last calls, newest first: number and window, one per row; a booking's call is tagged 预约. */
@customElement("hc-recent-calls")
export class RecentCalls extends LitElement {
  static styles = css`
    :host { display: flex; flex-direction: column; height: 100%; min-height: 0; }
    h2 { margin: 0 0 1.5vh; font-size: clamp(18px, 4vh, 110px); color: var(--hc-muted); font-weight: 600; }
    ol { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 1vh; overflow: hidden; flex: 1; }
    li { display: flex; align-items: baseline; gap: 1.5vw; padding: 0.6vh 1.4vw; border-radius: 1vh; background: var(--hc-panel); }
    .number { font-size: clamp(32px, 8vh, 230px); font-weight: 800; line-height: 1.1; font-variant-numeric: tabular-nums; min-width: 4.2ch; }
    .window { font-size: clamp(18px, 4.6vh, 130px); font-weight: 600; color: var(--hc-fg); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .tag { flex: 0 0 auto; align-self: center; font-size: clamp(12px, 2.4vh, 70px); font-weight: 700; padding: 0.1em 0.45em; border-radius: 0.4em; border: 0.2vh solid #34d399; color: #6ee7b7; }
    .empty { color: var(--hc-muted); font-size: clamp(16px, 3.5vh, 100px); }
  `;
  /** Newest first. */
  @property({ attribute: false }) calls: CallView[] = [];
  /** Rows to show. */
  @property({ type: Number }) max = 5;
  private i18n = new LangController(this);

  render() {
    return html`
      <h2>${tr({ zh: "最近叫号", en: "Recent calls" })}</h2>
      <ol data-testid="recent-calls">
        ${this.calls.length
          ? this.calls.slice(0, this.max).map((c) => html`<li data-testid="recent-call"><span class="number">${c.number}</span>${c.booked ? html`<span class="tag" data-testid="booked-tag">${tr({ zh: "预约", en: "Booked" })}</span>` : ""}<span class="window">${c.windowLabel}</span></li>`)
          : html`<li class="empty">${tr({ zh: "暂无叫号", en: "No calls yet" })}</li>`}
      </ol>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-recent-calls": RecentCalls;
  }
}
