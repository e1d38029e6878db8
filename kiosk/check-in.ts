import { LitElement, css, html } from "lit";
import { customElement, property, query } from "lit/decorators.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { codeFrom } from "./booking-code.js";

/** How long a refused code stays in the field before it clears for the next citizen. */
const CLEAR_AFTER_MS = 5_000;

/**
 * 预约签到: a field for the booking code, typed on the screen or scanned from the booking's QR
 * code. A hardware scanner types like a keyboard: what it types while no field has the focus
 * goes into this one, so a scan works whatever was tapped last.
 * @fires check-in - Enter or the button; `detail` is the code, or null when what was entered is none
 */
@customElement("hc-check-in")
export class CheckIn extends LitElement {
  static styles = css`
    :host { display: block; }
    .box { display: grid; grid-template-columns: 1fr auto; gap: 16px 18px; align-items: center; padding: 22px 24px; border-radius: 18px; background: #0e3b2e; border: 3px solid #34d399; }
    .title { grid-column: 1 / -1; font-size: 34px; font-weight: 700; }
    .title small { display: block; font-size: 24px; font-weight: 500; color: #a7f3d0; margin-top: 4px; }
    input { min-width: 0; height: 92px; padding: 0 22px; font: inherit; font-size: 40px; letter-spacing: 0.06em; border-radius: 14px; border: 3px solid #34d399; background: #04241b; color: var(--hc-fg); }
    input:focus { outline: none; border-color: var(--hc-accent); }
    input::placeholder { color: #6b9c8a; letter-spacing: 0; font-size: 30px; }
    button { height: 92px; min-width: 200px; font: inherit; font-size: 38px; font-weight: 800; border: 0; border-radius: 14px; background: #34d399; color: #04241b; cursor: pointer; }
    button:disabled { opacity: 0.45; cursor: not-allowed; }
  `;
  /** Whether the field takes input now (not while a ticket is on its way or the kiosk is offline). */
  @property({ type: Boolean }) disabled = false;
  @query("input") private input!: HTMLInputElement;
  private i18n = new LangController(this);
  private clearTimer?: ReturnType<typeof setTimeout>;

  connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("keydown", this.onKey, true);
  }
  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("keydown", this.onKey, true);
    clearTimeout(this.clearTimer);
  }

  /** Keys typed with no field focused (a scan after a tap elsewhere) start filling this field. */
  private onKey = (e: KeyboardEvent) => {
    if (this.disabled || e.ctrlKey || e.metaKey || e.altKey || e.key.length !== 1) return;
    const focused = e.composedPath()[0];
    if (focused instanceof HTMLInputElement || focused instanceof HTMLTextAreaElement) return;
    e.preventDefault();
    clearTimeout(this.clearTimer);
    this.input.value += e.key;
    this.input.focus();
  };

  /** Empties the field after a few seconds (a refused code), or now. */
  clear(afterMs = CLEAR_AFTER_MS): void {
    clearTimeout(this.clearTimer);
    const clear = () => {
      if (this.input) this.input.value = "";
      this.input?.blur();
    };
    if (afterMs <= 0) clear();
    else this.clearTimer = setTimeout(clear, afterMs);
  }

  private submit(e?: Event) {
    e?.preventDefault();
    if (this.disabled || !this.input.value.trim()) return;
    clearTimeout(this.clearTimer);
    this.dispatchEvent(new CustomEvent<string | null>("check-in", { detail: codeFrom(this.input.value), bubbles: true, composed: true }));
  }

  render() {
    return html`<form class="box" @submit=${(e: Event) => this.submit(e)} data-testid="check-in">
      <div class="title">${tr({ zh: "预约签到", en: "Check in a booking" })}<small>${tr({ zh: "已网上预约？请扫描预约二维码，或输入预约码", en: "Booked online? Scan your booking's QR code or type its code" })}</small></div>
      <input data-testid="check-in-code" autocomplete="off" autocapitalize="off" spellcheck="false" enterkeyhint="go" maxlength="300" ?disabled=${this.disabled} placeholder=${tr({ zh: "预约码", en: "Booking code" })} @input=${() => clearTimeout(this.clearTimer)} />
      <button type="submit" data-testid="check-in-submit" ?disabled=${this.disabled}>${tr({ zh: "签到", en: "Check in" })}</button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-check-in": CheckIn;
  }
}
