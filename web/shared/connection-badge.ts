import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { LangController, tr } from "./i18n.js";
import type { ConnectionStatus, OfflineReason } from "./hall-connection.js";

/**
 * Shows when a page is not live: "连接中…" before its first state, a banner "离线" while it is
 * offline (what it shows may be out of date; it reconnects by itself), or why it was refused.
 * Hidden while live, so a hall screen shows nothing extra in normal running.
 * @csspart badge - the badge or banner
 */
@customElement("hc-connection-badge")
export class ConnectionBadge extends LitElement {
  static styles = css`
    :host { position: fixed; top: 0.5rem; left: 50%; transform: translateX(-50%); z-index: 1000; max-width: 96vw; pointer-events: none; }
    .badge { padding: 0.5em 1.2em; border-radius: 0.5em; background: #b45309; color: #fff; font-size: var(--hc-badge-size, 1.1rem); box-shadow: 0 2px 10px #0006; text-align: center; }
    .badge.denied { background: #b91c1c; }
    .badge.offline { background: #7f1d1d; border: 0.15em solid #fecaca; padding: 0.45em 1.6em 0.6em; box-shadow: 0 0.3em 1.5em #000a; }
    .head { display: flex; align-items: center; justify-content: center; gap: 0.5em; font-weight: 800; font-size: 1.5em; white-space: nowrap; }
    .dot { width: 0.7em; height: 0.7em; border-radius: 50%; background: #fca5a5; animation: pulse 1.4s ease-in-out infinite; flex: none; }
    .sub { display: block; font-size: 0.85em; opacity: 0.92; margin-top: 0.2em; }
    @keyframes pulse { 50% { opacity: 0.25; } }
  `;
  /** Connection status from HallConnection. */
  @property() status: ConnectionStatus = "connecting";
  /** Why the page is offline (HallConnection.offline). */
  @property() reason: OfflineReason | null = null;
  /** Message shown when denied. */
  @property() message = "";
  private i18n = new LangController(this);
  render() {
    if (this.status === "live") return html``;
    if (this.status === "offline") {
      const why =
        this.reason === "server"
          ? tr({ zh: "服务器暂时读不到大厅数据，正在重试…", en: "The server cannot read the hall's data just now; retrying…" })
          : tr({ zh: "网络已断开，正在重新连接…", en: "No connection; reconnecting…" });
      return html`<div part="badge" data-testid="connection-status" data-status="offline" data-reason=${this.reason ?? "network"} class="badge offline" role="status">
        <span class="head"><span class="dot"></span><span data-testid="offline-title">${tr({ zh: "离线", en: "Offline" })}</span></span>
        <span class="sub">${why}</span>
        <span class="sub">${tr({ zh: "显示的信息可能不是最新的", en: "What is shown may be out of date" })}</span>
      </div>`;
    }
    const text = this.status === "denied" ? `${tr({ zh: "无法连接：", en: "Refused: " })}${this.message}` : tr({ zh: "连接中…", en: "Connecting…" });
    return html`<div part="badge" data-testid="connection-status" data-status=${this.status} class="badge ${this.status}" role="status">${text}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-connection-badge": ConnectionBadge;
  }
}
