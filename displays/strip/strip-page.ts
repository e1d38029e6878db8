import { LitElement, css, html } from "lit";
import { customElement } from "lit/decorators.js";
import { keyed } from "lit/directives/keyed.js";
import { HallConnection } from "../../web/shared/hall-connection.js";
import { LangController, tr } from "../../web/shared/i18n.js";
import { serviceOf, ticketOf, windowOf } from "../../web/shared/hall-figures.js";
import { param } from "../../web/shared/params.js";
import "../../web/shared/connection-badge.js";
import "./strip-display.js";
import type { StripMode } from "./strip-display.js";

/**
 * The LED strip over one window (窗口屏), `?hall=ID&token=DEVICE_TOKEN&window=WINDOW_ID[&lang=en]`:
 * the number being called or served (tagged 预约 for a checked-in booking, never named), 请稍候
 * when open and idle, 暂停服务 with the reason when paused, 窗口关闭 when closed, 离线 while it
 * cannot know (its own big message instead of a badge).
 */
@customElement("hc-strip-page")
export class StripPage extends LitElement {
  static styles = css`
    :host { display: block; }
    hc-connection-badge { --hc-badge-size: min(10vh, 2.5vw); }
  `;
  private hallId = param("hall");
  private token = param("token");
  private windowId = param("window");
  private i18n = new LangController(this);
  private conn = new HallConnection(this, {
    auth: () => (this.hallId && this.token ? { role: "display", hallId: this.hallId, deviceToken: this.token } : null),
    windowFeed: this.windowId,
  });

  private view(): { label: string; message: string; sub: string; mode: StripMode; key: string; tag?: string } {
    const s = this.conn.snapshot;
    const w = s ? windowOf(s, this.windowId) : undefined;
    if (!this.windowId || !this.hallId || !this.token) return { label: "", message: tr({ zh: "未配置", en: "Not set up" }), sub: "?hall=&token=&window=", mode: "offline", key: "" };
    if (!s && this.conn.status === "offline") return { label: "", message: tr({ zh: "离线", en: "Offline" }), sub: tr({ zh: "正在重新连接…", en: "Reconnecting…" }), mode: "offline", key: "" };
    if (!s) return { label: "", message: tr({ zh: "连接中", en: "Connecting" }), sub: "", mode: "offline", key: "" };
    if (!w) return { label: this.windowId, message: tr({ zh: "无此窗口", en: "No such window" }), sub: "", mode: "offline", key: "" };
    const label = tr(w.label);
    // Offline, the call on the strip may be over: say so rather than show it.
    if (this.conn.status === "offline") return { label, message: tr({ zh: "离线", en: "Offline" }), sub: tr({ zh: "正在重新连接…", en: "Reconnecting…" }), mode: "offline", key: "" };
    if (w.state === "closed") return { label, message: tr({ zh: "暂停服务", en: "Closed" }), sub: tr({ zh: "窗口关闭", en: "This window is closed" }), mode: "closed", key: "" };
    if (w.state === "paused") return { label, message: tr({ zh: "暂停服务", en: "Paused" }), sub: w.pauseReason ?? "", mode: "paused", key: "" };
    const t = ticketOf(s, w.ticketId);
    const tag = t?.channel === "appointment" ? tr({ zh: "预约", en: "Booked" }) : "";
    if (t && t.state === "called") {
      const svc = serviceOf(s, t.serviceId);
      return { label, message: tr({ zh: `请 ${t.number} 号`, en: `No. ${t.number}` }), sub: svc ? tr(svc.name) : "", mode: "calling", key: `${t.id}@${t.calledAt}`, tag };
    }
    if (t && t.state === "serving") return { label, message: t.number, sub: tr({ zh: "正在办理", en: "Now serving" }), mode: "serving", key: t.id, tag };
    return { label, message: tr({ zh: "请稍候", en: "Please wait" }), sub: "", mode: "idle", key: "" };
  }

  render() {
    const v = this.view();
    return html`
      ${this.conn.status === "offline" ? "" : html`<hc-connection-badge .status=${this.conn.status} .message=${this.conn.denied?.message ?? ""}></hc-connection-badge>`}
      ${keyed(v.key, html`<hc-strip-display .label=${v.label} .message=${v.message} .sub=${v.sub} .tag=${v.tag ?? ""} .mode=${v.mode}></hc-strip-display>`)}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-strip-page": StripPage;
  }
}
