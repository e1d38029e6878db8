import { LitElement, css, html } from "lit";
import { customElement, query, state } from "lit/decorators.js";
import QRCode from "qrcode";
import { HallConnection } from "../web/shared/hall-connection.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { tooEarly } from "../web/shared/booking-errors.js";
import { closedNotice, hallTime, serviceFigures, serviceOf } from "../web/shared/hall-figures.js";
import { param } from "../web/shared/params.js";
import "../web/shared/connection-badge.js";
import "../web/shared/lang-switch.js";
import "./check-in.js";
import type { CheckIn } from "./check-in.js";
import { plainError } from "./errors.js";
import "./priority-picker.js";
import "./service-button.js";
import "./ticket-receipt.js";
import type { ReceiptData } from "./ticket-receipt.js";
import type { Ack, Bilingual, HallError, HallEvent, HallSnapshot, Ticket } from "../protocol/index.js";

/** Seconds the ticket screen stays before the kiosk is ready for the next citizen. */
const TICKET_SCREEN_SEC = 10;

/**
 * The ticket kiosk (自助取号机), `?hall=ID&token=DEVICE_TOKEN[&lang=en]`: pick the priority lane
 * (普通 by default) and tap a service, or check in a booking (预约签到) by its code or QR code; the
 * ticket is shown, printed on the 80 mm printer and the kiosk returns to the start after ten
 * seconds.
 */
@customElement("hc-kiosk-page")
export class KioskPage extends LitElement {
  static styles = css`
    :host { display: flex; flex-direction: column; min-height: 100vh; padding: 28px 36px 40px; gap: 28px; color: var(--hc-fg); box-sizing: border-box; }
    header { display: flex; align-items: center; gap: 24px; }
    header h1 { flex: 1; margin: 0; font-size: 46px; line-height: 1.2; }
    header time { font-size: 40px; font-weight: 700; color: var(--hc-accent); font-variant-numeric: tabular-nums; }
    hc-lang-switch { --hc-lang-size: 28px; }
    h2 { margin: 0; font-size: 52px; }
    .services { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); grid-auto-rows: minmax(200px, auto); gap: 22px; }
    .error { position: fixed; left: 36px; right: 36px; bottom: 40px; padding: 28px 32px; border-radius: 18px; background: var(--hc-bad); color: #fff; font-size: 34px; line-height: 1.4; box-shadow: 0 10px 40px #000a; }
    .busy { position: fixed; inset: 0; background: #000a; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 28px; font-size: 56px; font-weight: 700; text-align: center; padding: 0 60px; }
    .busy .more { font-size: 34px; font-weight: 500; color: var(--hc-muted); line-height: 1.5; text-wrap: balance; max-width: 860px; }
    .busy .spinner { width: 96px; height: 96px; border-radius: 50%; border: 12px solid #ffffff33; border-top-color: var(--hc-accent); animation: spin 1s linear infinite; }
    @keyframes spin { to { transform: rotate(360deg); } }
    .offline { padding: 28px 32px; border-radius: 18px; background: #7f1d1d; border: 3px solid #fecaca; font-size: 38px; font-weight: 700; line-height: 1.4; text-align: center; }
    .offline small { display: block; font-size: 28px; font-weight: 500; color: #fee2e2; }
    .services[inert], hc-priority-picker[inert], hc-check-in[inert] { opacity: 0.35; filter: grayscale(1); }
    .ticket { display: flex; flex-direction: column; align-items: center; gap: 30px; }
    .ticket h2 { text-align: center; color: #86efac; }
    hc-ticket-receipt { width: min(680px, 100%); }
    .hint { font-size: 32px; text-align: center; color: var(--hc-muted); line-height: 1.5; }
    .done { min-height: 120px; min-width: 420px; font: inherit; font-size: 44px; font-weight: 700; border: 0; border-radius: 18px; background: var(--hc-accent); color: #0b1f3a; cursor: pointer; }
    .setup { font-size: 36px; }
    @media print {
      :host { padding: 0; min-height: 0; gap: 0; background: #fff; }
      header, h2, .hint, .done, .error, .busy, .offline, hc-connection-badge { display: none; }
      .ticket { gap: 0; }
      hc-ticket-receipt { width: auto; }
    }
  `;
  private hallId = param("hall");
  private token = param("token");
  @state() private priority = "normal";
  /** What is on its way: a ticket or a check-in (the waiting screen says which). */
  @state() private busy: "issue" | "checkIn" | null = null;
  @state() private error: Bilingual | null = null;
  @state() private receipt: ReceiptData | null = null;
  @state() private countdown = 0;
  private i18n = new LangController(this);
  private conn = new HallConnection(this, {
    auth: () => (this.hallId && this.token ? { role: "kiosk", hallId: this.hallId, deviceToken: this.token } : null),
  });
  @query("hc-check-in") private checkInField?: CheckIn;
  private clock?: ReturnType<typeof setInterval>;
  private errorTimer?: ReturnType<typeof setTimeout>;

  /** Where phones reach the server (PUBLIC_URL), when the kiosk itself uses an internal address. */
  private publicUrl: string | null = null;

  connectedCallback(): void {
    super.connectedCallback();
    fetch("/api/halls")
      .then((r) => (r.ok ? r.json() : null))
      .then((d: { publicUrl?: string | null } | null) => (this.publicUrl = d?.publicUrl ?? null))
      .catch(() => undefined);
    // Opening hours and the countdown move with time, not only with events.
    this.clock = setInterval(() => {
      if (this.countdown > 0 && --this.countdown === 0) this.reset();
      this.requestUpdate();
    }, 1_000);
  }
  disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
  }

  private reset() {
    this.receipt = null;
    this.countdown = 0;
    this.priority = "normal";
  }

  private showError(error: Bilingual) {
    this.error = error;
    clearTimeout(this.errorTimer);
    this.errorTimer = setTimeout(() => (this.error = null), 8_000);
  }

  /**
   * One ticket per tap: the command is retried with its commandId until the server answers for
   * sure (the screen says it is still trying meanwhile), and nothing else can be tapped until then.
   */
  private async issue(serviceId: string) {
    if (this.busy || this.conn.status === "offline") return;
    this.busy = "issue";
    this.error = null;
    const res = await this.conn.send<HallEvent>("ticket:issue", { serviceId, priority: this.priority });
    await this.issued(res, (e) => plainError(e));
  }

  /**
   * 预约签到: the booking becomes a ticket by the same path and retry rule as a tap; it prints
   * like any ticket, marked 预约. A refused code stays in the field a few seconds, then clears.
   */
  private async checkIn(code: string | null) {
    if (this.busy || this.conn.status === "offline") return;
    this.error = null;
    if (!code) {
      this.showError({ zh: "没有读到预约码，请重新扫描预约二维码或输入预约码。", en: "That is not a booking code. Please scan the booking's QR code again or type its code." });
      this.checkInField?.clear();
      return;
    }
    this.busy = "checkIn";
    const res = await this.conn.send<HallEvent>("appointment:checkIn", { code, priority: this.priority });
    if (!(await this.issued(res, (e) => this.checkInRefusal(e)))) this.checkInField?.clear();
    else this.checkInField?.clear(0);
  }

  /** Too early: the refusal says from when (its check-in opens) and the slot, shown in the hall's time. */
  private checkInRefusal(error: HallError): Bilingual {
    const s = this.conn.snapshot;
    const d = error.details;
    if (error.code !== "CHECK_IN_TOO_EARLY" || !s || d?.checkInFrom === undefined || d.slotStart === undefined) return plainError(error);
    return tooEarly(hallTime(d.checkInFrom, s.timezone), hallTime(d.slotStart, s.timezone));
  }

  /** Shows and prints the ticket of an issue or a check-in; or the refusal. Whether a ticket came. */
  private async issued(res: Ack<HallEvent>, refusal: (e: HallError) => Bilingual | Promise<Bilingual>): Promise<boolean> {
    if (!res.ok || res.data.type !== "ticket:issued") {
      const text = res.ok ? plainError({ code: "INTERNAL", message: "" }) : await refusal(res.error);
      this.busy = null;
      this.priority = "normal";
      this.showError(text);
      return false;
    }
    const s = this.conn.snapshot!;
    this.receipt = await this.receiptOf(s, res.data.ticket, res.data.ahead);
    this.busy = null;
    this.countdown = TICKET_SCREEN_SEC;
    await this.updateComplete;
    // Give the QR image a frame to decode before the print dialog (silent with --kiosk-printing).
    requestAnimationFrame(() => setTimeout(() => window.print(), 50));
    return true;
  }

  private async receiptOf(s: HallSnapshot, t: Ticket, ahead: number): Promise<ReceiptData> {
    const base = (this.publicUrl ?? location.origin).replace(/\/+$/, "");
    const url = `${base}/track/?${new URLSearchParams({ hall: s.hallId, ticket: t.id })}`;
    const priority = s.priorityClasses.find((p) => p.id === t.priority);
    const date = new Intl.DateTimeFormat("sv-SE", { timeZone: s.timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(t.issuedAt);
    return {
      hallName: s.name,
      number: t.number,
      serviceName: serviceOf(s, t.serviceId)?.name ?? { zh: t.serviceId, en: t.serviceId },
      priorityName: priority && priority.rank > 0 ? priority.name : null,
      appointmentSlot: t.appointment?.slot ?? null,
      ahead,
      etaSec: t.etaSec ?? this.newTicketEta(s, t.serviceId),
      issuedAt: `${date} ${hallTime(t.issuedAt, s.timezone)}`,
      trackUrl: url,
      qr: await QRCode.toDataURL(url, { margin: 1, width: 320, errorCorrectionLevel: "M" }),
    };
  }

  /** The server's expected wait for a ticket taken now, when the ticket itself carries none. */
  private newTicketEta(s: HallSnapshot, serviceId: string): number | null {
    return serviceFigures(s.hallId, this.conn.queue, serviceId).etaSec;
  }

  private renderChoose(s: HallSnapshot) {
    // Offline, the kiosk takes no new ticket: it could not say how many wait or print one now.
    const offline = this.conn.status === "offline";
    return html`
      ${offline
        ? html`<div class="offline" role="alert" data-testid="kiosk-offline">${tr({ zh: "离线 · 暂停取号", en: "Offline · no tickets just now" })}<small>${tr({ zh: "正在重新连接，恢复后即可取号，请稍候或咨询工作人员", en: "Reconnecting; tickets can be taken again once it is back. Please wait or ask the staff." })}</small></div>`
        : ""}
      <hc-check-in ?inert=${offline} ?disabled=${offline || this.busy !== null} @check-in=${(e: CustomEvent<string | null>) => void this.checkIn(e.detail)}></hc-check-in>
      <h2>${tr({ zh: "请选择要办理的业务", en: "Choose your service" })}</h2>
      <hc-priority-picker ?inert=${offline} .classes=${s.priorityClasses} .value=${this.priority} @change=${(e: CustomEvent<string>) => (this.priority = e.detail)}></hc-priority-picker>
      <div class="services" ?inert=${offline} @pick=${(e: CustomEvent<string>) => void this.issue(e.detail)}>
        ${s.services.map((svc) => {
          const f = serviceFigures(s.hallId, this.conn.queue, svc.id);
          return html`<hc-service-button data-service=${svc.id} .service=${svc} .waiting=${f.waiting} .etaSec=${f.etaSec} .availability=${f.availability} .notice=${closedNotice(s.hallId, this.conn.queue, svc.id)}></hc-service-button>`;
        })}
      </div>
    `;
  }

  private renderTicket(r: ReceiptData) {
    return html`<div class="ticket" data-testid="ticket-screen">
      <h2>${r.appointmentSlot ? tr({ zh: "签到成功，请取走小票", en: "Checked in: here is your ticket" }) : tr({ zh: "取号成功，请取走小票", en: "Here is your ticket" })}</h2>
      <hc-ticket-receipt .data=${r}></hc-ticket-receipt>
      <div class="hint">${tr({ zh: "请留意大屏叫号，叫到时请到对应窗口办理", en: "Watch the hall screen; when your number is called, go to the window shown" })}<br />${tr({
        zh: `${this.countdown} 秒后返回`,
        en: `Back to the start in ${this.countdown} s`,
      })}</div>
      <button class="done" data-testid="done" @click=${() => this.reset()}>${tr({ zh: "完成", en: "Done" })}</button>
    </div>`;
  }

  /** While the ticket is on its way; once an attempt went unanswered, that it is still trying. */
  private renderBusy() {
    const retrying = this.conn.retrying > 0;
    return html`<div class="busy" role="status" data-testid="kiosk-busy" data-retrying=${retrying ? "yes" : "no"}>
      <div class="spinner"></div>
      <div>${retrying ? tr({ zh: "正在连接，请稍候…", en: "Connecting, please wait…" }) : this.busy === "checkIn" ? tr({ zh: "正在签到…", en: "Checking in…" }) : tr({ zh: "正在取号…", en: "Issuing…" })}</div>
      ${retrying ? html`<div class="more">${tr({ zh: "您的号正在取，请不要离开，也无需再按；取到后小票会自动打印", en: "Your ticket is on its way: please stay, there is no need to tap again; it prints by itself" })}</div>` : ""}
    </div>`;
  }

  render() {
    if (!this.hallId || !this.token) return html`<p class="setup">${tr({ zh: "请在地址中加上 ?hall=大厅编号&token=设备令牌", en: "Add ?hall=HALL_ID&token=DEVICE_TOKEN to the address" })}</p>`;
    const s = this.conn.snapshot;
    return html`
      ${s && !this.receipt && this.conn.status === "offline"
        ? "" /* the choose screen says 离线 itself */
        : html`<hc-connection-badge style="--hc-badge-size: 30px" .status=${this.conn.status} .reason=${this.conn.offline} .message=${this.conn.denied?.message ?? ""}></hc-connection-badge>`}
      <header>
        <h1>${s ? tr(s.name) : ""}</h1>
        <time>${s ? hallTime(Date.now(), s.timezone) : ""}</time>
        <hc-lang-switch></hc-lang-switch>
      </header>
      ${this.receipt ? this.renderTicket(this.receipt) : s ? this.renderChoose(s) : ""}
      ${this.busy ? this.renderBusy() : ""}
      ${this.error ? html`<div class="error" role="alert" data-testid="kiosk-error">${tr(this.error)}</div>` : ""}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-kiosk-page": KioskPage;
  }
}
