import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { dayName, shortDate, slotSpan } from "./dates.js";
import type { SlotInfo, SlotsResponse } from "../protocol/index.js";

/**
 * A date, then a slot: the days from the first bookable date to the last as chips and the chosen
 * day's slots with the seats left, as the server sent them. A day the server does not list is
 * dimmed, and tapping it shows the server's notice (a holiday, a closed weekday); a slot the
 * server says cannot be booked (full, closed) is disabled.
 * @fires pick-date - a date chip was tapped; `detail` is "YYYY-MM-DD"
 * @fires pick-slot - a bookable slot was tapped; `detail` is "HH:MM"
 */
@customElement("hc-slot-picker")
export class SlotPicker extends LitElement {
  static styles = css`
    :host { display: flex; flex-direction: column; gap: 12px; }
    h3 { margin: 4px 0 0; font-size: 17px; color: var(--hc-muted); font-weight: 600; }
    .dates { display: flex; gap: 8px; overflow-x: auto; padding-bottom: 4px; scrollbar-width: none; }
    .dates button { flex: 0 0 auto; min-width: 74px; min-height: 60px; padding: 6px 10px; border-radius: 12px; border: 2px solid #2b5a94; background: var(--hc-panel); color: var(--hc-fg); font: inherit; cursor: pointer; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 2px; }
    .dates button b { font-size: 16px; }
    .dates button span { font-size: 13px; color: var(--hc-muted); }
    .dates button[aria-pressed="true"] { border-color: var(--hc-accent); background: var(--hc-accent); color: #0b1f3a; }
    .dates button[aria-pressed="true"] span { color: #0b1f3a; }
    .dates button.off { border-color: #33404f; background: #1a2433; color: #8695a8; }
    .dates button.off[aria-pressed="true"] { border-color: #a1a1aa; background: #3f3f46; color: var(--hc-fg); }
    .dates button.off span { color: #fca5a5; }
    .slots { display: grid; grid-template-columns: repeat(auto-fill, minmax(104px, 1fr)); gap: 8px; }
    .slots button { min-height: 58px; border-radius: 12px; border: 2px solid #2b5a94; background: var(--hc-panel); color: var(--hc-fg); font: inherit; cursor: pointer; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 2px; padding: 6px; }
    .slots button b { font-size: 16px; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .slots button span { font-size: 13px; color: #86efac; }
    .slots button[aria-pressed="true"] { border-color: var(--hc-accent); background: var(--hc-accent); color: #0b1f3a; }
    .slots button[aria-pressed="true"] span { color: #0b1f3a; }
    .slots button:disabled { background: #1a2433; border-color: #33404f; color: #8695a8; cursor: not-allowed; }
    .slots button:disabled span { color: #fca5a5; }
    .notice { border-radius: 12px; padding: 14px 16px; background: #3f3f46; border: 2px solid #a1a1aa; font-size: 16px; line-height: 1.5; }
    .muted { color: var(--hc-muted); font-size: 15px; }
  `;
  /** Dates that can be booked now, today first. */
  @property({ attribute: false }) dates: string[] = [];
  /** Each day from the first bookable date to the last: a closed day in between is shown, dimmed. */
  private days(): string[] {
    const first = this.dates[0];
    const last = this.dates[this.dates.length - 1];
    if (!first || !last) return [];
    const out: string[] = [];
    for (let d = new Date(`${first}T00:00:00Z`); out.length < 92; d.setUTCDate(d.getUTCDate() + 1)) {
      out.push(d.toISOString().slice(0, 10));
      if (out[out.length - 1]! >= last) break;
    }
    return out;
  }
  /** Today in the hall's zone (今天 / 明天 on the chips). */
  @property() today = "";
  @property({ attribute: false }) date: string | null = null;
  /** The slots of `date`, null while they load. */
  @property({ attribute: false }) day: SlotsResponse | null = null;
  @property({ attribute: false }) chosen: string | null = null;
  /** Minutes per slot, for the slot's end. */
  @property({ attribute: false }) slotMin: number | null = null;
  private i18n = new LangController(this);

  private fire(name: string, detail: string) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  private seats(s: SlotInfo): string {
    if (s.bookable) return tr({ zh: `余 ${s.left} 个`, en: `${s.left} left` });
    return s.left <= 0 ? tr({ zh: "已约满", en: "Full" }) : tr({ zh: "不可预约", en: "Closed" });
  }

  private renderSlots() {
    const d = this.day;
    if (!d || d.date !== this.date) return html`<div class="muted">${tr({ zh: "正在读取时段…", en: "Loading the slots…" })}</div>`;
    if (!d.slots.length) return html`<div class="notice" role="status" data-testid="day-notice">${d.notice ? tr(d.notice) : tr({ zh: "当天不办理该事项，请选择其他日期。", en: "This service is not offered that day. Please choose another date." })}</div>`;
    return html`<div class="slots" data-testid="slots">
        ${d.slots.map(
          (s) => html`<button data-testid="slot" data-slot=${s.slot} aria-pressed=${s.slot === this.chosen ? "true" : "false"} ?disabled=${!s.bookable} @click=${() => this.fire("pick-slot", s.slot)}>
            <b>${slotSpan(s.slot, this.slotMin)}</b><span>${this.seats(s)}</span>
          </button>`,
        )}
      </div>
      ${d.slots.some((s) => s.bookable) ? "" : html`<div class="muted" data-testid="day-full">${tr({ zh: "当天各时段已约满或已截止预约，请选择其他日期。", en: "Every slot of this day is full or closed. Please choose another date." })}</div>`}`;
  }

  render() {
    return html`
      <h3>${tr({ zh: "选择日期", en: "Date" })}</h3>
      <div class="dates" role="group" data-testid="dates">
        ${this.days().map((d) => {
          const open = this.dates.includes(d);
          return html`<button class=${open ? "" : "off"} data-testid="date" data-date=${d} data-open=${open ? "yes" : "no"} aria-pressed=${d === this.date ? "true" : "false"} @click=${() => this.fire("pick-date", d)}>
            <b>${tr(dayName(d, this.today))}</b><span>${open ? tr(shortDate(d)) : tr({ zh: "不可约", en: "Closed" })}</span>
          </button>`;
        })}
      </div>
      ${this.date ? html`<h3>${tr({ zh: "选择时段", en: "Time" })}</h3>${this.renderSlots()}` : ""}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-slot-picker": SlotPicker;
  }
}
