import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { expectedWait } from "../web/shared/hall-figures.js";
import type { Availability, Bilingual, ServiceInfo } from "../protocol/index.js";

/**
 * One service as a big touch button: name, ticket letter, waiting count, expected wait; disabled
 * with the reason when closed (the server's notice, which says when it opens) or its daily quota
 * is used up.
 * @fires pick - the citizen tapped an available service; `detail` is the service id
 * @csspart button - the button
 */
@customElement("hc-service-button")
export class ServiceButton extends LitElement {
  static styles = css`
    :host { display: block; }
    button { width: 100%; min-height: 150px; height: 100%; display: grid; grid-template-columns: auto 1fr; grid-template-rows: auto auto; column-gap: 20px; align-items: center; text-align: left; padding: 20px 24px; border-radius: 18px; border: 3px solid #2b5a94; background: var(--hc-panel); color: var(--hc-fg); font: inherit; cursor: pointer; box-shadow: 0 6px 0 #061428; }
    button:active:not(:disabled) { transform: translateY(4px); box-shadow: 0 2px 0 #061428; border-color: var(--hc-accent); }
    .prefix { grid-row: span 2; width: 84px; height: 84px; border-radius: 14px; background: var(--hc-accent); color: #0b1f3a; font-size: 52px; font-weight: 800; display: flex; align-items: center; justify-content: center; }
    .name { font-size: 40px; font-weight: 700; line-height: 1.2; }
    .figures { font-size: 26px; color: var(--hc-muted); margin-top: 6px; line-height: 1.45; }
    .figures b { color: var(--hc-fg); font-size: 30px; }
    .eta { color: var(--hc-accent); }
    button:disabled { background: #1a2433; border-color: #33404f; color: #8695a8; box-shadow: none; cursor: not-allowed; }
    button:disabled .prefix { background: #4b5563; color: #cbd5e1; }
    .reason { font-size: 26px; color: #fca5a5; margin-top: 6px; }
  `;
  @property({ attribute: false }) service!: ServiceInfo;
  /** Tickets waiting; null before the hall's first queue summary. */
  @property({ attribute: false }) waiting: number | null = null;
  /** Expected wait of a ticket taken now, seconds; null when not known yet. */
  @property({ attribute: false }) etaSec: number | null = null;
  /** The server's word on taking a ticket now; null before the hall's first queue summary. */
  @property({ attribute: false }) availability: Availability | null = null;
  /** The server's notice while closed ("暂停取号，周六 09:00 开始办理"). */
  @property({ attribute: false }) notice: Bilingual | null = null;
  private i18n = new LangController(this);

  private reason(): string {
    if (this.availability === null) return tr({ zh: "正在读取…", en: "Loading…" });
    if (this.availability === "closed") return tr(this.notice ?? { zh: "暂停取号", en: "No tickets now" });
    return tr({ zh: "今日号源已满", en: "No tickets left today" });
  }

  render() {
    const open = this.availability === "open";
    return html`<button part="button" data-testid="service-button" ?disabled=${!open} @click=${() => this.dispatchEvent(new CustomEvent("pick", { detail: this.service.id, bubbles: true, composed: true }))}>
      <span class="prefix">${this.service.prefix}</span>
      <span class="name">${tr(this.service.name)}</span>
      ${open
        ? html`<span class="figures">${tr({ zh: "等候", en: "Waiting" })} <b data-testid="kiosk-waiting">${this.waiting ?? "—"}</b> ${tr({ zh: "人", en: "" })}${this.etaSec === null ? "" : html`<br /><span class="eta">${expectedWait(this.etaSec)}</span>`}</span>`
        : html`<span class="reason" data-testid="service-unavailable">${this.reason()}</span>`}
    </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-service-button": ServiceButton;
  }
}
