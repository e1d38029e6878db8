import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { hallTime } from "../web/shared/hall-figures.js";
import { dayText, slotSpan, STATE_NAMES } from "./dates.js";
import type { BookingView } from "../protocol/index.js";

/**
 * One booking as its holder sees it: the code in large letters with its QR code (scanned at the
 * kiosk to check in), when to check in, the masked name and phone; once checked in, the ticket's
 * number and the way to its tracker. While the booking is live it can be checked in from here
 * (the server says whether it is time), moved or cancelled (a second tap confirms the cancel).
 * @fires check-in - the citizen is in the hall and checks in from the phone
 * @fires reschedule - the citizen wants another date or slot
 * @fires cancel - the citizen confirmed the cancel
 */
@customElement("hc-booking-card")
export class BookingCard extends LitElement {
  static styles = css`
    :host { display: block; }
    .card { border-radius: 18px; background: var(--hc-panel); padding: 18px 18px 20px; display: flex; flex-direction: column; gap: 12px; }
    .state { align-self: flex-start; padding: 4px 12px; border-radius: 999px; font-size: 15px; font-weight: 700; background: #14532d; color: #dcfce7; }
    .state[data-state="cancelled"], .state[data-state="missed"], .state[data-state="noShow"] { background: #7f1d1d; color: #fee2e2; }
    .state[data-state="checkedIn"] { background: var(--hc-accent); color: #0b1f3a; }
    .service { font-size: 24px; font-weight: 800; line-height: 1.25; }
    .when { font-size: 20px; font-weight: 700; color: var(--hc-accent); font-variant-numeric: tabular-nums; }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 6px 14px; margin: 0; font-size: 16px; }
    dt { color: var(--hc-muted); }
    dd { margin: 0; }
    .code { text-align: center; }
    .code .label { font-size: 15px; color: var(--hc-muted); }
    .code .value { font-size: clamp(28px, 9vw, 40px); font-weight: 800; letter-spacing: 0.06em; font-family: ui-monospace, "DejaVu Sans Mono", monospace; display: flex; flex-wrap: wrap; justify-content: center; column-gap: 0.45em; word-break: break-all; }
    .qr { align-self: center; background: #fff; border-radius: 12px; padding: 10px; display: flex; flex-direction: column; align-items: center; gap: 4px; }
    .qr img { width: 200px; height: 200px; image-rendering: pixelated; display: block; }
    .qr span { color: #111; font-size: 13px; }
    .window { border-radius: 12px; padding: 12px 14px; background: #0b1f3a; border: 2px solid var(--hc-accent); font-size: 18px; font-weight: 700; line-height: 1.45; text-align: center; }
    .ticket { text-align: center; border-radius: 12px; padding: 12px; background: #0b1f3a; }
    .ticket .number { font-size: 72px; font-weight: 800; line-height: 1.05; color: var(--hc-accent); }
    .ticket a { display: block; margin-top: 8px; min-height: 48px; line-height: 48px; border-radius: 12px; background: var(--hc-accent); color: #0b1f3a; font-size: 18px; font-weight: 700; text-decoration: none; }
    .actions { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
    button.check-in { min-height: 56px; border: 0; background: #34d399; color: #04241b; font-size: 19px; }
    button { min-height: 50px; border-radius: 12px; font: inherit; font-size: 17px; font-weight: 700; cursor: pointer; border: 2px solid var(--hc-accent); background: transparent; color: var(--hc-fg); }
    button.danger { border-color: #f87171; color: #fecaca; }
    button.danger.solid { background: var(--hc-bad); border-color: var(--hc-bad); color: #fff; }
    button:disabled { opacity: 0.5; cursor: wait; }
    .confirm { border-radius: 12px; padding: 12px 14px; background: #3b0d0d; border: 2px solid #f87171; display: flex; flex-direction: column; gap: 10px; font-size: 16px; line-height: 1.5; }
  `;
  @property({ attribute: false }) booking!: BookingView;
  /** The hall's zone: check-in times are hall-local. */
  @property() timezone = "Asia/Shanghai";
  @property() hallId = "";
  /** Minutes per slot, for the slot's end; null when not known. */
  @property({ attribute: false }) slotMin: number | null = null;
  /** The QR code of the booking's link (data: URL), once drawn. */
  @property({ attribute: false }) qr: string | null = null;
  /** A change is on its way: the buttons wait. */
  @property({ type: Boolean }) busy = false;
  @state() private confirming = false;
  private i18n = new LangController(this);

  willUpdate(changed: Map<string, unknown>): void {
    if (changed.has("booking") && this.booking?.state !== "booked") this.confirming = false;
  }

  private fire(name: string) {
    this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true }));
  }

  /** The code in groups of four, easier to read out and type; the text itself has no spaces. */
  private codeGroups(code: string) {
    return code.match(/.{1,4}/g)!.map((g) => html`<span>${g}</span>`);
  }

  private renderTicket(b: BookingView) {
    if (!b.ticketNumber) return "";
    const track = b.ticketId ? `/track/?${new URLSearchParams({ hall: this.hallId, ticket: b.ticketId })}` : null;
    return html`<div class="ticket" data-testid="booking-ticket">
      <div>${tr({ zh: "您的号", en: "Your number" })}</div>
      <div class="number" data-testid="booking-ticket-number">${b.ticketNumber}</div>
      ${track && b.state === "checkedIn" ? html`<a data-testid="booking-track" href=${track}>${tr({ zh: "查看排队进度", en: "Follow my place in line" })}</a>` : ""}
    </div>`;
  }

  private renderLive(b: BookingView) {
    const from = hallTime(b.checkInFrom, this.timezone);
    const until = hallTime(b.onTimeUntil, this.timezone);
    return html`
      <div class="code">
        <div class="label">${tr({ zh: "预约码", en: "Booking code" })}</div>
        <div class="value" data-testid="booking-code">${this.codeGroups(b.code)}</div>
      </div>
      ${this.qr
        ? html`<div class="qr"><img data-testid="booking-qr" data-url=${b.url} src=${this.qr} alt=${tr({ zh: "预约签到二维码", en: "QR code to check in" })} /><span>${tr({ zh: "到大厅自助机扫码签到", en: "Scan at the hall's kiosk to check in" })}</span></div>`
        : ""}
      <div class="window" data-testid="check-in-window">${tr({ zh: `请于 ${from}–${until} 到自助机签到`, en: `Check in at the kiosk between ${from} and ${until}` })}</div>
      ${this.confirming
        ? html`<div class="confirm" role="alertdialog">
            ${tr({ zh: `确定取消 ${dayText(b.date).zh} ${b.slot} 的预约吗？`, en: `Cancel your booking on ${dayText(b.date).en} at ${b.slot}?` })}
            <div class="actions">
              <button class="danger solid" data-testid="cancel-confirm" ?disabled=${this.busy} @click=${() => this.fire("cancel")}>${tr({ zh: "确定取消", en: "Yes, cancel" })}</button>
              <button data-testid="cancel-keep" @click=${() => (this.confirming = false)}>${tr({ zh: "不取消", en: "Keep it" })}</button>
            </div>
          </div>`
        : html`<button class="check-in" data-testid="phone-check-in" ?disabled=${this.busy} @click=${() => this.fire("check-in")}>${tr({ zh: "我已到厅，签到取号", en: "I am at the hall: check in" })}</button>
          <div class="actions">
            <button data-testid="reschedule" ?disabled=${this.busy} @click=${() => this.fire("reschedule")}>${tr({ zh: "改约", en: "Change time" })}</button>
            <button class="danger" data-testid="cancel" ?disabled=${this.busy} @click=${() => (this.confirming = true)}>${tr({ zh: "取消预约", en: "Cancel booking" })}</button>
          </div>`}
    `;
  }

  render() {
    const b = this.booking;
    return html`<div class="card" data-testid="booking" data-code=${b.code}>
      <span class="state" data-state=${b.state} data-testid="booking-state">${tr(STATE_NAMES[b.state])}</span>
      ${this.renderTicket(b)}
      <div class="service" data-testid="booking-service">${tr(b.serviceName)}</div>
      <div class="when" data-testid="booking-when">${tr(dayText(b.date))} ${slotSpan(b.slot, this.slotMin)}</div>
      <dl>
        <dt>${tr({ zh: "姓名", en: "Name" })}</dt><dd data-testid="booking-name">${b.name}</dd>
        <dt>${tr({ zh: "手机", en: "Phone" })}</dt><dd data-testid="booking-phone">${b.phone}</dd>
      </dl>
      ${b.state === "booked" ? this.renderLive(b) : ""}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-booking-card": BookingCard;
  }
}
