import { LitElement, css, html, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { Bilingual, BookingState, DayBookings } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { PeriodicRead } from "./periodic-read.js";
import { cardStyles } from "./card-styles.js";
import { consoleErrorText, fetchDayBookings } from "./staff-api.js";

/** The panel reads the day again this often, for bookings made or cancelled online (they are no hall events). */
const REFRESH_MS = 30_000;
/** Hall events of booked tickets come in bursts (a check-in, its call): one read after the burst. */
const EVENT_SETTLE_MS = 1_000;

export const BOOKING_STATE: Record<BookingState, Bilingual> = {
  booked: { zh: "已预约", en: "Booked" },
  checkedIn: { zh: "已签到", en: "Checked in" },
  served: { zh: "已办结", en: "Served" },
  noShow: { zh: "过号", en: "No-show" },
  cancelled: { zh: "已取消", en: "Cancelled" },
  missed: { zh: "失约", en: "Missed" },
};

type Slot = DayBookings["services"][number]["slots"][number];
/** Seats a slot's bookings hold: every one but the cancelled (a missed one held its seat until it was missed). */
const held = (x: Slot) => x.booked + x.checkedIn + x.served + x.missed;
/** Zeros recede, so that a slot's bookings stand out. */
const zero = (n: number) => (n === 0 ? "zero" : "");
const clockTime = (ms: number, timezone: string) => new Date(ms).toLocaleTimeString(tr({ zh: "zh-CN", en: "en-GB" }), { timeZone: timezone || undefined, hour: "2-digit", minute: "2-digit", second: "2-digit" });

/**
 * 今日预约: per bookable service and slot, the capacity and how many are booked, checked in,
 * served and missed, as GET …/appointments?date= counts them; a slot opens to its bookings
 * (masked names, state, ticket number). Read every 30 s, after hall events of booked tickets
 * (`changes` counts them), and when another day is picked.
 */
@customElement("hc-bookings-panel")
export class BookingsPanel extends LitElement {
  static styles = [
    cardStyles,
    css`
      .bar { display: flex; align-items: center; gap: 0.6rem; margin-bottom: 0.6rem; flex-wrap: wrap; }
      input[type="date"] { font: inherit; min-height: 36px; padding: 0 0.5rem; border-radius: 8px; border: 1px solid #ffffff30; background: #0b1f3a; color: var(--hc-fg); color-scheme: dark; }
      .at { color: var(--hc-muted); font-size: 0.9rem; margin-left: auto; }
      .services { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 0.8rem; }
      section { background: #0b1f3a; border-radius: 10px; padding: 0.6rem 0.8rem; }
      h3 { margin: 0 0 0.3rem; font-size: 1.05rem; display: flex; gap: 0.8rem; align-items: baseline; }
      h3 .muted { font-size: 0.88rem; font-weight: 400; }
      tr.slot { cursor: pointer; }
      tr.slot:hover td { background: #ffffff08; }
      tr.slot td:first-child::before { content: "▸ "; color: var(--hc-muted); }
      tr.slot.open td:first-child::before { content: "▾ "; }
      tr.total td { border-top: 1px solid #ffffff40; font-weight: 700; }
      td.list { padding: 0.2rem 0.4rem 0.6rem 1.4rem; }
      .people { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 0.2rem 1rem; font-size: 0.95rem; }
      .people > div { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
      .people span.st { color: var(--hc-muted); margin-left: 0.3rem; }
      .full { color: #fbbf24; }
      td.zero { color: #ffffff40; }
      .error { color: #fca5a5; }
      .empty { color: var(--hc-muted); padding: 0.4rem 0; }
    `,
  ];
  @property() hallId = "";
  @property() token = "";
  /** The hall's business date (its snapshot): the day shown until another is picked. */
  @property() businessDate = "";
  /** The hall's time zone (its snapshot): times are the hall's. */
  @property() timezone = "";
  /** Increases with each hall event of a booked ticket; a change reads the day again. */
  @property({ type: Number }) changes = 0;
  @state() private date = "";
  @state() private day: DayBookings | null = null;
  @state() private error = "";
  @state() private readAt: number | null = null;
  @state() private open = new Set<string>();
  private i18n = new LangController(this);
  private settle: ReturnType<typeof setTimeout> | null = null;
  private reads = new PeriodicRead(this, () => this.load(), REFRESH_MS);

  disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.settle) clearTimeout(this.settle);
  }

  protected willUpdate(changed: PropertyValues): void {
    if (changed.has("businessDate") && this.businessDate && (!this.date || changed.get("businessDate") === this.date)) this.date = this.businessDate;
  }

  protected updated(changed: PropertyValues): void {
    if (changed.has("date") || changed.has("token")) void this.load();
    else if (changed.has("changes") && changed.get("changes") !== undefined) {
      if (this.settle) clearTimeout(this.settle);
      this.settle = setTimeout(() => void this.load(), EVENT_SETTLE_MS);
    }
  }

  private async load() {
    if (!this.hallId || !this.token || !this.date) return;
    const current = this.reads.begin();
    const res = await fetchDayBookings(this.hallId, this.token, this.date);
    if (!current()) return;
    if (res.ok) {
      this.day = res.data;
      this.error = "";
      this.readAt = Date.now();
    } else {
      this.error = consoleErrorText(res.error);
    }
  }

  private toggle(key: string) {
    const open = new Set(this.open);
    if (!open.delete(key)) open.add(key);
    this.open = open;
  }

  render() {
    const d = this.day?.date === this.date ? this.day : null;
    return html`<h2>${tr({ zh: "今日预约", en: "Today's bookings" })}</h2>
      <div class="bar">
        <label>${tr({ zh: "日期", en: "Date" })} <input type="date" data-testid="bookings-date" .value=${this.date} @change=${(e: Event) => (this.date = (e.target as HTMLInputElement).value || this.businessDate)} /></label>
        ${this.date !== this.businessDate ? html`<button data-testid="bookings-today" @click=${() => (this.date = this.businessDate)}>${tr({ zh: "回到今天", en: "Today" })}</button>` : ""}
        <button data-testid="bookings-refresh" @click=${() => void this.load()}>${tr({ zh: "刷新", en: "Refresh" })}</button>
        ${this.error ? html`<span class="error" role="alert" data-testid="bookings-error">${this.error}</span>` : ""}
        <span class="at">${this.readAt ? tr({ zh: `更新于 ${clockTime(this.readAt, this.timezone)}`, en: `Updated ${clockTime(this.readAt, this.timezone)}` }) : ""}</span>
      </div>
      ${!d
        ? html`<div class="empty">${this.error ? "" : tr({ zh: "正在读取…", en: "Loading…" })}</div>`
        : d.services.length === 0
          ? html`<div class="empty" data-testid="bookings-none">${tr({ zh: "这一天没有可预约的事项", en: "No service takes bookings on this day" })}</div>`
          : html`<div class="services">${d.services.map((s) => this.service(s))}</div>`}`;
  }

  private service(s: DayBookings["services"][number]) {
    const sum = (k: "capacity" | "booked" | "checkedIn" | "served" | "missed" | "cancelled") => s.slots.reduce((a, x) => a + x[k], 0);
    return html`<section data-testid="bookings-${s.serviceId}">
      <h3>${tr(s.name)}<span class="muted">${tr({ zh: `预约号源 ${s.bookingQuota}`, en: `Booking quota ${s.bookingQuota}` })}</span></h3>
      ${s.slots.length === 0
        ? html`<div class="empty">${tr({ zh: "这一天不开放预约", en: "No slots on this day" })}</div>`
        : html`<table>
            <tr>
              <th>${tr({ zh: "时段", en: "Slot" })}</th><th class="n">${tr({ zh: "容量", en: "Capacity" })}</th><th class="n">${tr({ zh: "余位", en: "Left" })}</th><th class="n">${tr({ zh: "待签到", en: "Awaiting" })}</th>
              <th class="n">${tr({ zh: "已签到", en: "Checked in" })}</th><th class="n">${tr({ zh: "已办结", en: "Served" })}</th><th class="n">${tr({ zh: "失约", en: "Missed" })}</th><th class="n">${tr({ zh: "取消", en: "Cancelled" })}</th>
            </tr>
            ${s.slots.map((x) => this.slotRows(s.serviceId, x))}
            <tr class="total" data-testid="bookings-${s.serviceId}-total">
              <td>${tr({ zh: "合计", en: "Total" })}</td><td class="n">${sum("capacity")}</td><td class="n">${s.slots.reduce((a, x) => a + Math.max(0, x.capacity - held(x)), 0)}</td><td class="n" data-testid="bookings-${s.serviceId}-total-booked">${sum("booked")}</td>
              <td class="n" data-testid="bookings-${s.serviceId}-total-checkedIn">${sum("checkedIn")}</td><td class="n">${sum("served")}</td><td class="n">${sum("missed")}</td><td class="n">${sum("cancelled")}</td>
            </tr>
          </table>`}
    </section>`;
  }

  private slotRows(serviceId: string, x: Slot) {
    const key = `${serviceId}|${x.slot}`;
    const open = this.open.has(key);
    const id = `${serviceId}-${x.slot.replace(":", "")}`;
    return html`<tr class="slot ${open ? "open" : ""}" data-testid="slot-${id}" @click=${() => this.toggle(key)} aria-expanded=${open}>
        <td>${x.slot}</td><td class="n">${x.capacity}</td><td class="n ${held(x) >= x.capacity ? "full" : "muted"}" data-testid="slot-${id}-left">${held(x) >= x.capacity ? tr({ zh: "满", en: "full" }) : x.capacity - held(x)}</td>
        <td class="n ${zero(x.booked)}" data-testid="slot-${id}-booked">${x.booked}</td>
        <td class="n ${zero(x.checkedIn)}" data-testid="slot-${id}-checkedIn">${x.checkedIn}</td><td class="n ${zero(x.served)}" data-testid="slot-${id}-served">${x.served}</td>
        <td class="n ${x.missed ? "red" : "zero"}" data-testid="slot-${id}-missed">${x.missed}</td><td class="n ${zero(x.cancelled)}">${x.cancelled}</td>
      </tr>
      ${open
        ? html`<tr><td class="list" colspan="8"><div class="people" data-testid="slot-${id}-list">
            ${x.bookings.length === 0
              ? html`<span class="muted">${tr({ zh: "无人预约", en: "Nobody booked" })}</span>`
              : x.bookings.map((b) => html`<div>${b.name} <span class="muted">${b.phone}</span><span class="st">${tr(BOOKING_STATE[b.state])}${b.ticketNumber ? ` · ${b.ticketNumber}` : ""}</span></div>`)}
          </div></td></tr>`
        : ""}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-bookings-panel": BookingsPanel;
  }
}
