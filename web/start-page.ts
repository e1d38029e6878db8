import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { LangController, tr } from "./shared/i18n.js";
import "./shared/lang-switch.js";
import type { Bilingual } from "../protocol/index.js";

interface HallListing {
  id: string;
  name: Bilingual;
  devices: { token: string; role: "display" | "kiosk" | "pad"; windowId: string | null; name: string }[];
}

/** The start page: every hall and, for demo halls, a link to every screen and app. */
@customElement("hc-start-page")
export class StartPage extends LitElement {
  static styles = css`
    :host { display: block; max-width: 1100px; margin: 0 auto; padding: 2rem 1.5rem 4rem; color: var(--hc-fg); }
    header { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
    h1 { font-size: 2.2rem; margin: 0; }
    h2 { margin: 2rem 0 0.6rem; font-size: 1.5rem; }
    p { color: var(--hc-muted); line-height: 1.6; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 0.8rem; }
    a.card { display: block; padding: 1rem 1.2rem; border-radius: var(--hc-radius); background: var(--hc-panel); color: var(--hc-fg); text-decoration: none; border: 2px solid transparent; }
    a.card:hover, a.card:focus { border-color: var(--hc-accent); }
    a.card strong { display: block; font-size: 1.2rem; margin-bottom: 0.3rem; }
    a.card span { color: var(--hc-muted); font-size: 0.95rem; }
    .small { display: flex; flex-wrap: wrap; gap: 0.4rem; }
    .small a { padding: 0.35rem 0.7rem; border-radius: 8px; background: var(--hc-panel); color: var(--hc-fg); text-decoration: none; font-size: 0.95rem; }
  `;
  @state() private halls: HallListing[] = [];
  @state() private error = "";
  private i18n = new LangController(this);

  connectedCallback(): void {
    super.connectedCallback();
    fetch("/api/halls")
      .then((r) => r.json())
      .then((d: { halls: HallListing[] }) => (this.halls = d.halls))
      .catch(() => (this.error = tr({ zh: "无法读取大厅列表", en: "Could not load the halls" })));
  }

  private hallLinks(h: HallListing) {
    const q = (extra: Record<string, string>) => `?${new URLSearchParams({ hall: h.id, ...extra })}`;
    const board = h.devices.find((d) => d.role === "display" && !d.windowId);
    const kiosk = h.devices.find((d) => d.role === "kiosk");
    const strips = h.devices.filter((d) => d.role === "display" && d.windowId);
    const pads = h.devices.filter((d) => d.role === "pad");
    const card = (href: string, title: Bilingual, sub: Bilingual, id: string) =>
      html`<a class="card" data-testid=${id} href=${href}><strong>${tr(title)}</strong><span>${tr(sub)}</span></a>`;
    return html`
      <div class="grid">
        ${board ? card(`/displays/board.html${q({ token: board.token })}`, { zh: "大厅主屏", en: "Hall board" }, { zh: "1920×1080 叫号大屏，语音播报", en: "1920×1080 calling screen with voice" }, "link-board") : ""}
        ${kiosk ? card(`/kiosk/${q({ token: kiosk.token })}`, { zh: "自助取号机", en: "Ticket kiosk" }, { zh: "触摸屏取号，打印小票", en: "Touch screen, prints the ticket" }, "link-kiosk") : ""}
        ${card(`/counter-client/${q({})}`, { zh: "窗口叫号端", en: "Counter app" }, { zh: "工作人员登录后叫号、办结", en: "Staff sign in, call and finish" }, "link-counter")}
        ${card(`/manager/${q({})}`, { zh: "大厅管理台", en: "Manager console" }, { zh: "窗口、队列、调度与统计", en: "Windows, queues, balancing, figures" }, "link-manager")}
        ${card(`/manager/reports.html${q({})}`, { zh: "统计报表", en: "Reports" }, { zh: "按日、事项、窗口、人员统计，导出 Excel", en: "Figures by day, service, window, staff; Excel exports" }, "link-reports")}
        ${card(`/book/${q({})}`, { zh: "网上预约", en: "Book a visit" }, { zh: "手机预约办事时段，到厅扫码签到", en: "Book a time on the phone, check in at the kiosk" }, "link-book")}
        ${card(`/track/${q({})}`, { zh: "手机查号", en: "Ticket tracker" }, { zh: "扫小票二维码，查看排队进度", en: "Scan the ticket's QR code to follow it" }, "link-track")}
      </div>
      ${strips.length
        ? html`<h2>${tr({ zh: "窗口屏", en: "Window strips" })}</h2>
            <div class="small">${strips.map((d) => html`<a href="/displays/strip.html${q({ token: d.token, window: d.windowId ?? "" })}">${d.windowId}</a>`)}</div>`
        : ""}
      ${pads.length
        ? html`<h2>${tr({ zh: "评价器", en: "Rating pads" })}</h2>
            <div class="small">${pads.map((d) => html`<a href="/pad/${q({ token: d.token, window: d.windowId ?? "" })}">${d.windowId}</a>`)}</div>`
        : ""}
    `;
  }

  render() {
    return html`
      <header>
        <h1>HallCall ${tr({ zh: "政务服务大厅叫号", en: "service hall queueing" })}</h1>
        <hc-lang-switch></hc-lang-switch>
      </header>
      <p>${tr({
        zh: "演示大厅的每个页面都在下面。工作人员账号 s01–s16、主任账号 manager，演示密码 hallcall。",
        en: "Every page of the demo hall is linked below. Staff accounts s01–s16, manager account manager, demo password hallcall.",
      })}</p>
      ${this.error ? html`<p>${this.error}</p>` : ""}
      ${this.halls.map((h) => html`<h2>${tr(h.name)}</h2>${this.hallLinks(h)}`)}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-start-page": StartPage;
  }
}
