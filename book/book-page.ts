import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import QRCode from "qrcode";
import { LangController, tr } from "../web/shared/i18n.js";
import { param } from "../web/shared/params.js";
import { bookingRefusal, tooEarly } from "../web/shared/booking-errors.js";
import { hallTime } from "../web/shared/hall-figures.js";
import * as api from "../web/shared/booking-api.js";
import "../web/shared/lang-switch.js";
import "./booking-card.js";
import "./slot-picker.js";
import { dayText, hallToday, slotSpan, STATE_NAMES } from "./dates.js";
import { forgetCode, keepCode, myCodes } from "./my-bookings.js";
import type { Ack, Bilingual, BookingView, HallError, SlotsResponse } from "../protocol/index.js";

/** A mainland mobile number, as a hint while typing; the server's check is the one that counts. */
const PHONE_HINT = /^1[3-9]\d{9}$/;

type View = "mine" | "new" | "booking";

/**
 * The citizen's booking page (网上预约), `/book/?hall=ID[&code=CODE][&lang=en]`, phone-sized: pick
 * a service, a date, a slot with seats left, give name and phone, and book; the booking then shows
 * its code and QR code for the kiosk, with when to check in, and can be moved or cancelled. The
 * codes booked on this phone are listed (我的预约); `?code=` (the QR's link) opens one booking.
 * Every refusal is the server's, in the words of web/shared/booking-errors.ts.
 */
@customElement("hc-book-page")
export class BookPage extends LitElement {
  static styles = css`
    :host { display: flex; flex-direction: column; gap: 16px; max-width: 520px; margin: 0 auto; padding: max(16px, env(safe-area-inset-top)) 16px 40px; color: var(--hc-fg); box-sizing: border-box; }
    header { display: flex; align-items: center; gap: 12px; }
    header h1 { flex: 1; margin: 0; font-size: 20px; line-height: 1.3; }
    h2 { margin: 0; font-size: 24px; }
    h3 { margin: 4px 0 0; font-size: 17px; color: var(--hc-muted); font-weight: 600; }
    section { display: flex; flex-direction: column; gap: 12px; }
    .services { display: flex; flex-direction: column; gap: 8px; }
    .services button { min-height: 58px; text-align: left; padding: 10px 16px; border-radius: 12px; border: 2px solid #2b5a94; background: var(--hc-panel); color: var(--hc-fg); font: inherit; font-size: 19px; font-weight: 700; cursor: pointer; }
    .services button[aria-pressed="true"] { border-color: var(--hc-accent); background: var(--hc-accent); color: #0b1f3a; }
    label { display: flex; flex-direction: column; gap: 6px; font-size: 16px; color: var(--hc-muted); }
    input { font: inherit; font-size: 19px; min-height: 52px; padding: 0 14px; border-radius: 12px; border: 2px solid #2b5a94; background: #0b1f3a; color: var(--hc-fg); }
    input:focus { outline: none; border-color: var(--hc-accent); }
    .hint { font-size: 14px; color: #fcd34d; }
    .primary { min-height: 56px; border: 0; border-radius: 14px; background: var(--hc-accent); color: #0b1f3a; font: inherit; font-size: 20px; font-weight: 800; cursor: pointer; }
    .primary:disabled { opacity: 0.45; cursor: not-allowed; }
    .secondary { min-height: 48px; border-radius: 12px; border: 2px solid #2b5a94; background: transparent; color: var(--hc-fg); font: inherit; font-size: 17px; cursor: pointer; }
    .summary { border-radius: 12px; padding: 12px 14px; background: #0b1f3a; border: 1px solid #2b5a94; font-size: 16px; line-height: 1.5; }
    .error { border-radius: 12px; padding: 14px 16px; background: #7f1d1d; border: 2px solid #fecaca; font-size: 17px; line-height: 1.5; font-weight: 600; }
    .done { border-radius: 12px; padding: 12px 14px; background: #14532d; font-size: 17px; font-weight: 700; }
    .explain { font-size: 17px; line-height: 1.7; background: var(--hc-panel); border-radius: 18px; padding: 18px; }
    ul.mine { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
    ul.mine button { width: 100%; display: grid; grid-template-columns: 1fr auto; gap: 2px 10px; text-align: left; padding: 12px 14px; border-radius: 12px; border: 2px solid #2b5a94; background: var(--hc-panel); color: var(--hc-fg); font: inherit; cursor: pointer; }
    ul.mine b { font-size: 18px; }
    ul.mine .when { grid-column: 1; font-size: 15px; color: var(--hc-accent); }
    ul.mine .state { grid-row: 1 / span 2; grid-column: 2; align-self: center; font-size: 14px; color: var(--hc-muted); }
    small { color: var(--hc-muted); font-size: 14px; text-align: center; line-height: 1.5; }
  `;
  private i18n = new LangController(this);
  @state() private hall: api.HallNames | null = null;
  @state() private offer: api.Bookable | null = null;
  /** Why the page cannot offer bookings at all (no hall, no records). */
  @state() private fatal: Bilingual | null = null;
  @state() private view: View = "new";
  @state() private mine: BookingView[] = [];
  // The booking being made, or the slot a booking moves to.
  @state() private serviceId: string | null = null;
  @state() private date: string | null = null;
  @state() private day: SlotsResponse | null = null;
  @state() private chosen: string | null = null;
  @state() private name = "";
  @state() private phone = "";
  @state() private current: BookingView | null = null;
  @state() private qr: string | null = null;
  @state() private rescheduling = false;
  /** What the last change did ("已取消", "已改约"), shown over the booking. */
  @state() private notice: Bilingual | null = null;
  @state() private error: Bilingual | null = null;
  @state() private busy = false;

  connectedCallback(): void {
    super.connectedCallback();
    void this.start();
    document.addEventListener("visibilitychange", this.onVisible);
  }
  disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener("visibilitychange", this.onVisible);
  }

  /** Back from the kiosk (the citizen checked in meanwhile): read the booking again. */
  private onVisible = () => {
    if (document.visibilityState === "visible" && this.view === "booking" && this.current && !this.busy && !this.rescheduling) void this.open(this.current.code, false, false);
  };

  private get hallId(): string {
    return this.hall?.id ?? "";
  }

  private async start(): Promise<void> {
    const names = await api.hallNames(param("hall"));
    if (!names.ok) {
      this.fatal = names.error.code === "UNKNOWN_HALL" ? bookingRefusal(names.error) : { zh: "无法连接服务器，请稍后刷新重试。", en: "The server cannot be reached. Please reload in a moment." };
      return;
    }
    this.hall = names.data;
    const code = param("code");
    const [offer] = await Promise.all([api.bookable(this.hallId), code ? this.open(code, true) : this.loadMine()]);
    if (offer.ok) this.offer = offer.data;
    // A booking's own link still shows it; only a new booking needs the offer.
    else if (!code) this.fatal = bookingRefusal(offer.error);
    if (!code) this.view = this.mine.length ? "mine" : "new";
  }

  /** 我的预约: every code kept on this phone, read again; codes the server no longer knows are dropped. */
  private async loadMine(): Promise<void> {
    const views = await Promise.all(myCodes(this.hallId).map(async (code) => ({ code, res: await api.booking(this.hallId, code) })));
    views.forEach(({ code, res }) => {
      if (!res.ok && res.error.code === "UNKNOWN_BOOKING") forgetCode(this.hallId, code);
    });
    this.mine = views.flatMap(({ res }) => (res.ok ? [res.data] : []));
  }

  /** Shows one booking; the first time (from the link), it is kept on this phone too. */
  private async open(code: string, keep: boolean, scroll = true): Promise<void> {
    const res = await api.booking(this.hallId, code);
    if (!res.ok) {
      this.view = "booking";
      this.current = null;
      this.error = bookingRefusal(res.error);
      return;
    }
    if (keep) keepCode(this.hallId, code);
    await this.show(res.data, scroll);
  }

  private async show(b: BookingView, scroll = true): Promise<void> {
    if (this.current?.url !== b.url || !this.qr) this.qr = await QRCode.toDataURL(b.url, { margin: 1, width: 400, errorCorrectionLevel: "M" }).catch(() => null);
    this.current = b;
    this.view = "booking";
    this.error = null;
    this.address(b.code);
    // From the form or the buttons below: the booking's top, with what just happened, comes into view.
    if (scroll) window.scrollTo(0, 0);
  }

  /** The address names the booking shown, so a reload or a bookmark comes back to it; other parameters (lang) stay. */
  private address(code: string | null): void {
    const q = new URLSearchParams(location.search);
    q.set("hall", this.hallId);
    if (code) q.set("code", code);
    else q.delete("code");
    history.replaceState(null, "", `?${q}`);
  }

  private toMine(): void {
    this.view = "mine";
    this.current = null;
    this.rescheduling = false;
    this.notice = null;
    this.error = null;
    this.address(null);
    void this.loadMine();
  }

  private startNew(): void {
    this.view = "new";
    this.current = null;
    this.notice = null;
    this.error = null;
    this.serviceId = this.offer?.services.length === 1 ? this.offer.services[0]!.id : null;
    this.date = null;
    this.day = null;
    this.chosen = null;
    if (this.serviceId) void this.pickDate(this.datesOf(this.serviceId)[0] ?? null);
  }

  private pickService(id: string): void {
    if (this.serviceId === id) return;
    this.serviceId = id;
    this.error = null;
    const dates = this.datesOf(id);
    void this.pickDate(this.date && dates.includes(this.date) ? this.date : (dates[0] ?? null));
  }

  private async pickDate(date: string | null): Promise<void> {
    this.date = date;
    this.chosen = null;
    this.error = null;
    if (date) await this.loadSlots();
  }

  /** The chosen day's slots, as the server counts them now. */
  private async loadSlots(): Promise<void> {
    const serviceId = this.rescheduling ? this.current?.serviceId : this.serviceId;
    const date = this.date;
    if (!serviceId || !date) return;
    this.day = null;
    const res = await api.slots(this.hallId, serviceId, date);
    if (this.date !== date) return;
    if (res.ok) this.day = res.data;
    else this.error = bookingRefusal(res.error);
  }

  private slotMin(serviceId: string | null | undefined): number | null {
    return this.offer?.services.find((s) => s.id === serviceId)?.slotMin ?? null;
  }

  /** A refusal is shown, and the slots read again: a slot that just filled shows as full. */
  private async refused(error: HallError): Promise<void> {
    const b = this.current;
    this.error = error.code === "CHECK_IN_TOO_EARLY" && b ? tooEarly(hallTime(b.checkInFrom, this.hall?.timezone ?? "Asia/Shanghai"), b.slot) : bookingRefusal(error);
    if (error.code === "SLOT_FULL" || error.code === "BOOKING_CLOSED") {
      this.chosen = null;
      await this.loadSlots();
    }
  }

  private async change(run: () => Promise<Ack<BookingView>>, done: Bilingual | ((b: BookingView) => Bilingual) | null): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    const res = await run();
    this.busy = false;
    if (!res.ok) return this.refused(res.error);
    if (typeof done === "function") done = done(res.data);
    keepCode(this.hallId, res.data.code);
    this.rescheduling = false;
    this.notice = done;
    await this.show(res.data);
  }

  private submit(e: Event): void {
    e.preventDefault();
    if (!this.serviceId || !this.date || !this.chosen) return;
    const req = { serviceId: this.serviceId, date: this.date, slot: this.chosen, name: this.name.trim(), phone: this.phone.trim() };
    void this.change(() => api.book(this.hallId, req), { zh: "预约成功", en: "Booked" });
  }

  private startReschedule(): void {
    if (!this.current) return;
    this.rescheduling = true;
    this.notice = null;
    this.error = null;
    void this.pickDate(this.current.date);
  }

  /** The service's bookable dates: the latest slots answer's, else the services list's. */
  private datesOf(serviceId: string | null | undefined): string[] {
    const day = this.day;
    if (day && day.serviceId === serviceId && day.dates.length) return day.dates;
    const svc = this.offer?.services.find((s) => s.id === serviceId);
    return svc?.dates ?? [];
  }

  private renderPicker(serviceId: string | null | undefined) {
    return html`<hc-slot-picker
      .dates=${this.datesOf(serviceId)}
      .today=${hallToday(this.hall?.timezone ?? "Asia/Shanghai")}
      .date=${this.date}
      .day=${this.day}
      .chosen=${this.chosen}
      .slotMin=${this.slotMin(serviceId)}
      @pick-date=${(e: CustomEvent<string>) => void this.pickDate(e.detail)}
      @pick-slot=${(e: CustomEvent<string>) => {
        this.chosen = e.detail;
        this.error = null;
      }}
    ></hc-slot-picker>`;
  }

  private renderError() {
    return this.error ? html`<div class="error" role="alert" data-testid="book-error">${tr(this.error)}</div>` : "";
  }

  private renderNew() {
    const offer = this.offer;
    if (!offer) return html`<div class="explain">${tr({ zh: "正在读取…", en: "Loading…" })}</div>`;
    if (!offer.services.length) return html`<div class="explain" data-testid="no-services">${tr({ zh: "本大厅暂无可预约的事项，请现场取号。", en: "No service of this hall takes bookings just now. Please take a ticket on site." })}</div>`;
    const svc = offer.services.find((s) => s.id === this.serviceId);
    const phoneOff = this.phone.trim() !== "" && !PHONE_HINT.test(this.phone.trim());
    return html`<section data-testid="new-booking">
      <h2>${tr({ zh: "预约办事", en: "Book a visit" })}</h2>
      <h3>${tr({ zh: "选择事项", en: "Service" })}</h3>
      <div class="services" role="group">
        ${offer.services.map((s) => html`<button data-testid="book-service" data-service=${s.id} aria-pressed=${s.id === this.serviceId ? "true" : "false"} @click=${() => this.pickService(s.id)}>${tr(s.name)}</button>`)}
      </div>
      ${svc ? this.renderPicker(svc.id) : ""}
      ${svc && this.chosen && this.date
        ? html`<form @submit=${(e: Event) => this.submit(e)} novalidate>
            <section>
              <h3>${tr({ zh: "填写信息", en: "Your details" })}</h3>
              <div class="summary" data-testid="book-summary">${tr(svc.name)} · ${tr(dayText(this.date))} ${slotSpan(this.chosen, svc.slotMin)}</div>
              <label>${tr({ zh: "姓名", en: "Name" })}<input data-testid="book-name" autocomplete="name" maxlength="40" .value=${this.name} @input=${(e: InputEvent) => (this.name = (e.target as HTMLInputElement).value)} /></label>
              <label>${tr({ zh: "手机号", en: "Mobile number" })}<input data-testid="book-phone" type="tel" inputmode="numeric" autocomplete="tel" maxlength="11" .value=${this.phone} @input=${(e: InputEvent) => (this.phone = (e.target as HTMLInputElement).value)} />
                ${phoneOff ? html`<span class="hint" data-testid="phone-hint">${tr({ zh: "请填写 11 位手机号，例如 13812345678", en: "An 11-digit mobile number, e.g. 13812345678" })}</span>` : ""}
              </label>
              ${this.renderError()}
              <button class="primary" type="submit" data-testid="book-submit" ?disabled=${this.busy || !this.name.trim() || !this.phone.trim()}>${this.busy ? tr({ zh: "正在预约…", en: "Booking…" }) : tr({ zh: "确认预约", en: "Book" })}</button>
              <small>${tr({ zh: "姓名和手机号只用于本次预约，页面上只显示部分。", en: "Your name and number are used for this booking only and shown in part." })}</small>
            </section>
          </form>`
        : this.renderError()}
      ${this.mine.length ? html`<button class="secondary" data-testid="to-mine" @click=${() => this.toMine()}>${tr({ zh: "我的预约", en: "My bookings" })}</button>` : ""}
    </section>`;
  }

  private renderMine() {
    return html`<section data-testid="my-bookings">
      <h2>${tr({ zh: "我的预约", en: "My bookings" })}</h2>
      ${this.mine.length
        ? html`<ul class="mine">
            ${this.mine.map(
              (b) => html`<li><button data-testid="my-booking" data-code=${b.code} @click=${() => void this.show(b)}>
                <b>${tr(b.serviceName)}</b><span class="when">${tr(dayText(b.date))} ${b.slot}</span><span class="state">${tr(STATE_NAMES[b.state])}</span>
              </button></li>`,
            )}
          </ul>`
        : html`<div class="explain">${tr({ zh: "这部手机上还没有预约。", en: "No bookings on this phone yet." })}</div>`}
      <button class="primary" data-testid="new-booking-start" @click=${() => this.startNew()}>${tr({ zh: "新的预约", en: "New booking" })}</button>
    </section>`;
  }

  private renderBooking() {
    const b = this.current;
    const back = html`<button class="secondary" data-testid="to-mine" @click=${() => this.toMine()}>${tr({ zh: "返回我的预约", en: "Back to my bookings" })}</button>`;
    if (!b) return html`${this.renderError()}${back}`;
    return html`<section>
      ${this.notice ? html`<div class="done" role="status" data-testid="book-notice">${tr(this.notice)}</div>` : ""}
      <hc-booking-card
        .booking=${b}
        .timezone=${this.hall?.timezone ?? "Asia/Shanghai"}
        .hallId=${this.hallId}
        .slotMin=${this.slotMin(b.serviceId)}
        .qr=${this.qr}
        ?busy=${this.busy}
        @cancel=${() => void this.change(() => api.cancel(this.hallId, b.code), { zh: "预约已取消", en: "Booking cancelled" })}
        @check-in=${() =>
          void this.change(
            async () => {
              const res = await api.checkIn(this.hallId, b.code);
              return res.ok ? { ok: true, data: res.data.booking } : res;
            },
            (done) => ({ zh: `签到成功，您的号是 ${done.ticketNumber ?? ""}`, en: `Checked in: your number is ${done.ticketNumber ?? ""}` }),
          )}
        @reschedule=${() => this.startReschedule()}
      ></hc-booking-card>
      ${this.rescheduling
        ? html`<section data-testid="reschedule-panel">
            <h2>${tr({ zh: "改约：选择新的日期和时段", en: "Choose a new date and time" })}</h2>
            ${this.renderPicker(b.serviceId)}
            ${this.renderError()}
            <button class="primary" data-testid="reschedule-confirm" ?disabled=${this.busy || !this.chosen || (this.chosen === b.slot && this.date === b.date)} @click=${() => {
              const to = { date: this.date!, slot: this.chosen! };
              void this.change(() => api.reschedule(this.hallId, b.code, to), { zh: "已改约", en: "Booking moved" });
            }}>${tr({ zh: "确认改约", en: "Move my booking" })}</button>
            <button class="secondary" @click=${() => {
              this.rescheduling = false;
              this.error = null;
            }}>${tr({ zh: "不改了", en: "Keep the time" })}</button>
          </section>`
        : this.renderError()}
      ${back}
    </section>`;
  }

  render() {
    const header = html`<header><h1>${this.hall ? `${tr(this.hall.name)} · ` : ""}${tr({ zh: "网上预约", en: "Bookings" })}</h1><hc-lang-switch></hc-lang-switch></header>`;
    if (this.fatal) return html`${header}<div class="explain" data-testid="book-unavailable">${tr(this.fatal)}</div>`;
    if (!this.hall) return html`${header}<div class="explain">${tr({ zh: "正在读取…", en: "Loading…" })}</div>`;
    return html`${header}${this.view === "mine" ? this.renderMine() : this.view === "booking" ? this.renderBooking() : this.renderNew()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-book-page": BookPage;
  }
}
