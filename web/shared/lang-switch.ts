import { LitElement, css, html } from "lit";
import { customElement } from "lit/decorators.js";
import { LangController, setLang } from "./i18n.js";

/**
 * The 中文 / English switch every page shows in a corner.
 * @csspart button - the switch button
 */
@customElement("hc-lang-switch")
export class LangSwitch extends LitElement {
  static styles = css`
    button {
      font: inherit;
      font-size: var(--hc-lang-size, 1rem);
      padding: 0.4em 0.9em;
      min-height: 44px;
      border-radius: 999px;
      border: 1px solid currentColor;
      background: transparent;
      color: inherit;
      cursor: pointer;
    }
  `;
  private i18n = new LangController(this);
  render() {
    const next = this.i18n.lang === "zh" ? "en" : "zh";
    return html`<button part="button" data-testid="lang-switch" @click=${() => setLang(next)}>${next === "en" ? "English" : "中文"}</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-lang-switch": LangSwitch;
  }
}
