import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { LangController, minutes, tr } from "../web/shared/i18n.js";
import type { Bilingual } from "../protocol/index.js";

export interface ReceiptData {
  hallName: Bilingual;
  number: string;
  serviceName: Bilingual;
  /** Priority class name, or null for 普通. */
  priorityName: Bilingual | null;
  /** A checked-in booking's slot "HH:MM" (printed 预约 10:00), or null for a walk-in. */
  appointmentSlot: string | null;
  ahead: number;
  etaSec: number | null;
  /** Hall-local "YYYY-MM-DD HH:MM". */
  issuedAt: string;
  /** The tracker URL the QR code holds. */
  trackUrl: string;
  /** QR code of the tracker URL (data: URL). */
  qr: string;
}

/**
 * The ticket: a paper-like card on the kiosk screen and, when printed, an 80 mm thermal receipt
 * (black on white, 72 mm printable width).
 * @csspart paper - the receipt
 */
@customElement("hc-ticket-receipt")
export class TicketReceipt extends LitElement {
  static styles = css`
    :host { display: block; }
    .paper { background: #fff; color: #111; border-radius: 12px; padding: 36px 40px; text-align: center; box-shadow: 0 10px 40px #0008; }
    .hall { font-size: 30px; font-weight: 700; }
    .service { font-size: 36px; margin-top: 12px; }
    .priority { display: inline-block; margin-top: 10px; padding: 4px 18px; border: 3px solid #111; border-radius: 999px; font-size: 28px; font-weight: 700; }
    .number { font-size: 190px; font-weight: 800; line-height: 1; margin: 18px 0 10px; letter-spacing: 0.02em; }
    .facts { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; font-size: 30px; margin: 12px 0; }
    .facts b { display: block; font-size: 44px; }
    img { width: 260px; height: 260px; image-rendering: pixelated; margin-top: 10px; }
    .scan { font-size: 24px; color: #333; }
    .time { font-size: 24px; color: #333; margin-top: 8px; }
    @media print {
      .paper { width: 72mm; margin: 0 auto; padding: 3mm 0 6mm; border-radius: 0; box-shadow: none; }
      .hall { font-size: 12pt; }
      .service { font-size: 14pt; margin-top: 2mm; }
      .priority { font-size: 11pt; border-width: 1pt; margin-top: 1mm; }
      .number { font-size: 64pt; margin: 3mm 0 2mm; }
      .facts { font-size: 10pt; gap: 1mm; margin: 2mm 0; }
      .facts b { font-size: 16pt; }
      img { width: 34mm; height: 34mm; margin-top: 1mm; }
      .scan, .time { font-size: 9pt; margin-top: 1mm; }
    }
  `;
  @property({ attribute: false }) data!: ReceiptData;
  private i18n = new LangController(this);

  render() {
    const d = this.data;
    return html`<div part="paper" class="paper" data-testid="receipt">
      <div class="hall">${tr(d.hallName)}</div>
      <div class="service">${tr(d.serviceName)}</div>
      ${d.appointmentSlot ? html`<div class="priority" data-testid="receipt-appointment">${tr({ zh: "预约", en: "Booked" })} ${d.appointmentSlot}</div>` : ""}
      ${d.priorityName ? html`<div class="priority" data-testid="receipt-priority">${tr({ zh: "绿色通道", en: "Priority" })} · ${tr(d.priorityName)}</div>` : ""}
      <div class="number" data-testid="ticket-number">${d.number}</div>
      <div class="facts">
        <div>${tr({ zh: "前面还有", en: "Ahead of you" })}<b data-testid="receipt-ahead">${d.ahead} ${tr({ zh: "人", en: d.ahead === 1 ? "person" : "people" })}</b></div>
        <div>${tr({ zh: "预计等待", en: "Expected wait" })}<b>${d.etaSec === null ? "—" : minutes(d.etaSec)}</b></div>
      </div>
      <img data-testid="ticket-qr" data-url=${d.trackUrl} src=${d.qr} alt=${tr({ zh: "排队进度二维码", en: "QR code to follow your ticket" })} />
      <div class="scan">${tr({ zh: "手机扫码查看排队进度，叫号时提醒您", en: "Scan to follow your place in line on your phone" })}</div>
      <div class="time">${tr({ zh: "取号时间", en: "Issued" })} ${d.issuedAt}</div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-ticket-receipt": TicketReceipt;
  }
}
