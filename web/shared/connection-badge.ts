import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { LangController, tr } from "./i18n.js";
import type { ConnectionStatus } from "./hall-connection.js";

/**
 * Shows when a page is not live: "连接中…", "正在重新连接…", or why it was refused.
 * Hidden while live, so a hall screen shows nothing extra in normal running.
 */
@customElement("hc-connection-badge")
export class ConnectionBadge extends LitElement {
  static styles = css`
    :host { position: fixed; top: 0.5rem; left: 50%; transform: translateX(-50%); z-index: 1000; }
    div { padding: 0.5em 1.2em; border-radius: 0.5em; background: #b45309; color: #fff; font-size: var(--hc-badge-size, 1.1rem); box-shadow: 0 2px 10px #0006; }
    div.denied { background: #b91c1c; }
  `;
  /** Connection status from HallConnection. */
  @property() status: ConnectionStatus = "connecting";
  /** Message shown when denied. */
  @property() message = "";
  private i18n = new LangController(this);
  render() {
    if (this.status === "live") return html``;
    const text =
      this.status === "denied"
        ? `${tr({ zh: "无法连接：", en: "Refused: " })}${this.message}`
        : this.status === "connecting"
          ? tr({ zh: "连接中…", en: "Connecting…" })
          : tr({ zh: "正在重新连接…", en: "Reconnecting…" });
    return html`<div data-testid="connection-status" data-status=${this.status} class=${this.status} role="status">${text}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-connection-badge": ConnectionBadge;
  }
}
