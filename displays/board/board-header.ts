import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { LangController, tr } from "../../web/shared/i18n.js";
import { hallTime } from "../../web/shared/hall-figures.js";
import "../../web/shared/lang-switch.js";
import type { Bilingual } from "../../protocol/index.js";

/**
 * The board's top bar: hall name, hall-local clock, language switch.
 */
@customElement("hc-board-header")
export class BoardHeader extends LitElement {
  static styles = css`
    :host { display: flex; align-items: center; gap: 2vw; padding: 0 2.5vw; height: 100%; background: #07162b; border-bottom: 0.4vh solid var(--hc-accent); }
    h1 { flex: 1; margin: 0; font-size: clamp(20px, 4.4vh, 120px); font-weight: 700; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    time { font-size: clamp(20px, 4.4vh, 120px); font-variant-numeric: tabular-nums; color: var(--hc-accent); font-weight: 700; }
    hc-lang-switch { --hc-lang-size: clamp(14px, 2vh, 48px); color: var(--hc-muted); }
  `;
  /** Hall name. */
  @property({ attribute: false }) name: Bilingual | null = null;
  /** IANA zone of the hall, for the clock. */
  @property() timezone = "Asia/Shanghai";
  @state() private now = Date.now();
  private i18n = new LangController(this);
  private timer?: ReturnType<typeof setInterval>;

  connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => (this.now = Date.now()), 1_000);
  }
  disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }
  render() {
    return html`
      <h1>${this.name ? tr(this.name) : "HallCall"}</h1>
      <time>${hallTime(this.now, this.timezone)}</time>
      <hc-lang-switch></hc-lang-switch>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-board-header": BoardHeader;
  }
}
