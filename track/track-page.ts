import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { HallConnection } from "../web/shared/hall-connection.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { param } from "../web/shared/params.js";
import "../web/shared/connection-badge.js";
import "../web/shared/lang-switch.js";
import { alertCalled, askForNotifications, canAskForNotifications } from "./alert.js";
import "./bundle-progress.js";
import "./late-rating.js";
import "./ticket-status.js";
import type { Bilingual, HallEvent, HallSnapshot, Ticket, Window } from "../protocol/index.js";

/**
 * Names the tracker shows, read once from the hall's public info (the tracker socket gets only its
 * ticket and the queue summaries, which give the place in line).
 */
interface HallNames {
  name: Bilingual;
  services: HallSnapshot["services"];
  priorityClasses: HallSnapshot["priorityClasses"];
  windows: Pick<Window, "id" | "label">[];
}

/**
 * The citizen's phone page (手机查号), `?hall=ID&ticket=TICKET_ID` from the QR code on the ticket:
 * number, service (预约 10:00 for a checked-in booking), place in line and expected wait, and a
 * big "请到 X号窗口" with vibration and a notification when called. Without a ticket it explains
 * how to get here. A 一件事 bundle shows its steps (done, in hand, to come); a finished ticket
 * nobody rated offers the five 好差评 levels (for a bundle, the whole matter's).
 */
@customElement("hc-track-page")
export class TrackPage extends LitElement {
  static styles = css`
    :host { display: flex; flex-direction: column; gap: 16px; max-width: 520px; margin: 0 auto; padding: max(16px, env(safe-area-inset-top)) 16px 32px; color: var(--hc-fg); box-sizing: border-box; }
    header { display: flex; align-items: center; gap: 12px; }
    header h1 { flex: 1; margin: 0; font-size: 20px; line-height: 1.3; }
    .ticket { text-align: center; padding: 8px 0; }
    .ticket .service { font-size: 22px; color: var(--hc-muted); }
    .ticket .number { font-size: 88px; font-weight: 800; line-height: 1.05; color: var(--hc-accent); letter-spacing: 0.02em; }
    .ticket .priority { font-size: 18px; color: #86efac; }
    .ticket .booked { display: inline-block; margin-top: 4px; padding: 2px 12px; border-radius: 999px; border: 2px solid #34d399; color: #6ee7b7; font-size: 17px; font-weight: 700; }
    .notify { min-height: 52px; font: inherit; font-size: 18px; border-radius: 12px; border: 2px solid var(--hc-accent); background: transparent; color: var(--hc-fg); }
    .explain { font-size: 19px; line-height: 1.7; background: var(--hc-panel); border-radius: 18px; padding: 22px 20px; }
    .explain h2 { margin: 0 0 8px; font-size: 26px; }
    small { color: var(--hc-muted); font-size: 15px; text-align: center; }
    .earlier { font-size: 19px; line-height: 1.6; border-radius: 18px; padding: 18px 20px; background: #3f3f46; border: 2px solid #a1a1aa; }
    .earlier b { display: block; font-size: 24px; margin-bottom: 4px; }
  `;
  private hallId = param("hall");
  private ticketId = param("ticket");
  @state() private names: HallNames | null = null;
  /** The window of the ticket's latest event (its label may differ from the hall list's after a change). */
  @state() private lastWindow: Window | null = null;
  @state() private transferred = false;
  @state() private askNotify = canAskForNotifications();
  private i18n = new LangController(this);
  private conn = new HallConnection(this, {
    auth: () => (this.hallId && this.ticketId ? { role: "tracker", hallId: this.hallId, ticketId: this.ticketId } : null),
    onEvent: (e) => this.onEvent(e),
  });

  connectedCallback(): void {
    super.connectedCallback();
    if (this.hallId && this.ticketId) void this.loadNames();
  }

  private async loadNames(): Promise<void> {
    try {
      const res = await fetch(`/api/halls/${encodeURIComponent(this.hallId)}/info`);
      if (res.ok) this.names = (await res.json()) as HallNames;
    } catch {
      /* names are a nicety; numbers and states still show */
    }
  }

  private onEvent(e: HallEvent): void {
    if (!("ticket" in e) || e.ticket.id !== this.ticketId) return;
    if ("window" in e && e.window) this.lastWindow = e.window;
    this.transferred = e.type === "ticket:transferred" || (this.transferred && e.type !== "ticket:called");
    if (e.type === "ticket:called") {
      const label = e.window.label;
      alertCalled(`${e.ticket.id}@${e.at}`, tr({ zh: `请 ${e.ticket.number} 号到 ${label.zh}`, en: `Number ${e.ticket.number}: go to ${label.en}` }), tr({ zh: "您的号已叫到，请尽快前往。", en: "Your number is called; please go now." }));
    }
  }

  private windowLabel(windowId: string | null): Bilingual | null {
    if (!windowId) return null;
    if (this.lastWindow?.id === windowId) return this.lastWindow.label;
    return this.names?.windows.find((w) => w.id === windowId)?.label ?? null;
  }

  private place(t: Ticket): { ahead: number | null; etaSec: number | null } {
    const q = this.conn.queue?.services[t.serviceId];
    const i = q ? q.order.indexOf(t.number) : -1;
    return i >= 0 ? { ahead: i, etaSec: q!.etaSec[i] ?? null } : { ahead: null, etaSec: null };
  }

  /**
   * A new business day began while the page was open (the server sends hall:dayStarted to trackers
   * too; the connection then reads the ticket again): a ticket that ended on an earlier day, or
   * that the server no longer knows, is said to be over, with a word on what to do today.
   */
  private endedEarlier(t: Ticket): boolean {
    const today = this.conn.businessDate;
    const ended = t.state === "finished" || t.state === "noShow" || t.state === "cancelled";
    return this.conn.ticketGone || (ended && today !== null && t.businessDate < today);
  }

  private renderEarlierDay(t: Ticket) {
    if (!this.endedEarlier(t)) return "";
    return html`<div class="earlier" role="status" data-testid="earlier-day">
      <b>${tr({ zh: `这是 ${t.businessDate} 的号，已于当日结束`, en: `This ticket was for ${t.businessDate} and ended that day` })}</b>
      ${tr({ zh: "今天需要办理的，请重新取号。", en: "If you have business today, please take a new ticket." })}
    </div>`;
  }

  private renderExplain() {
    return html`<div class="explain" data-testid="no-ticket">
      <h2>${tr({ zh: "查看排队进度", en: "Follow your ticket" })}</h2>
      ${tr({
        zh: "请用手机扫描取号小票上的二维码，即可在这里看到前面还有几人、预计等待多久；叫到您的号时，手机会振动提醒。",
        en: "Scan the QR code printed on your ticket with your phone: you will see how many people are ahead of you and the expected wait, and your phone vibrates when your number is called.",
      })}
    </div>`;
  }

  render() {
    const header = html`<header><h1>${this.names ? tr(this.names.name) : tr({ zh: "排队进度", en: "Your place in line" })}</h1><hc-lang-switch></hc-lang-switch></header>`;
    if (!this.hallId || !this.ticketId) return html`${header}${this.renderExplain()}`;
    if (this.conn.status === "denied") {
      return html`${header}<div class="explain" data-testid="unknown-ticket">
          <h2>${tr({ zh: "没有找到这张票", en: "Ticket not found" })}</h2>
          ${tr({ zh: "小票只在取号当天有效。如有疑问请到咨询台。", en: "A ticket is valid on the day it was taken only. Please ask at the information desk." })}
        </div>`;
    }
    const t = this.conn.ticket;
    const service = t ? this.names?.services.find((s) => s.id === t.serviceId) : undefined;
    const priority = t && t.priority !== "normal" ? this.names?.priorityClasses.find((p) => p.id === t.priority) : undefined;
    const place = t && t.state === "waiting" ? this.place(t) : { ahead: null, etaSec: null };
    return html`
      <hc-connection-badge .status=${this.conn.status} .reason=${this.conn.offline} .message=${this.conn.denied?.message ?? ""}></hc-connection-badge>
      ${header}
      ${t
        ? html`<div class="ticket">
              <div class="service" data-testid="track-service">${service ? tr(service.name) : ""}</div>
              <div class="number" data-testid="track-number">${t.number}</div>
              ${t.appointment ? html`<div class="booked" data-testid="track-appointment">${tr({ zh: "预约", en: "Booked" })} ${t.appointment.slot}</div>` : ""}
              ${priority ? html`<div class="priority">${tr({ zh: "绿色通道", en: "Priority" })} · ${tr(priority.name)}</div>` : ""}
            </div>
            ${this.renderEarlierDay(t)}
            <hc-ticket-status
              .ticket=${t}
              .ahead=${place.ahead}
              .etaSec=${place.etaSec}
              .windowLabel=${this.windowLabel(t.windowId ?? t.targetWindowId)}
              .transferredTo=${this.transferred && service ? service.name : null}
            ></hc-ticket-status>
            <hc-bundle-progress .ticket=${t} .services=${this.names?.services ?? []}></hc-bundle-progress>
            ${t.state === "finished" ? html`<hc-late-rating .hallId=${this.hallId} .ticket=${t}></hc-late-rating>` : ""}
            ${this.askNotify && (t.state === "waiting" || t.state === "parked")
              ? html`<button class="notify" @click=${async () => {
                  await askForNotifications();
                  this.askNotify = canAskForNotifications();
                }}>${tr({ zh: "叫号时通知我", en: "Notify me when I am called" })}</button>`
              : ""}
            <small>${tr({ zh: "本页自动更新，无需刷新", en: "This page updates by itself" })}</small>`
        : html`<div class="explain">${tr({ zh: "正在读取…", en: "Loading…" })}</div>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-track-page": TrackPage;
  }
}
