import { LitElement, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { ServiceInfo, Window } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { dialogStyles } from "../web/shared/dialog-styles.js";

export interface TransferDetail {
  toServiceId?: string;
  toWindowId?: string;
}

/**
 * 转办 dialog: send the current ticket to another service (its queue, keeping the arrival time)
 * and/or to one window. Only windows qualified for the chosen service are offered.
 * @fires transfer-submit - detail: TransferDetail
 * @fires dialog-cancel
 */
@customElement("hc-transfer-dialog")
export class TransferDialog extends LitElement {
  static styles = dialogStyles;
  @property() ticketNumber = "";
  /** Service the ticket is for now. */
  @property() currentServiceId = "";
  /** This window (not offered as a target). */
  @property() windowId = "";
  @property({ attribute: false }) services: ServiceInfo[] = [];
  @property({ attribute: false }) windows: Window[] = [];
  @state() private serviceId = "";
  @state() private toWindowId = "";
  private i18n = new LangController(this);

  private get chosenService() {
    return this.serviceId || this.currentServiceId;
  }

  private submit(e: Event) {
    e.preventDefault();
    const detail: TransferDetail = {};
    if (this.serviceId && this.serviceId !== this.currentServiceId) detail.toServiceId = this.serviceId;
    if (this.toWindowId) detail.toWindowId = this.toWindowId;
    if (!detail.toServiceId && !detail.toWindowId) return;
    this.dispatchEvent(new CustomEvent<TransferDetail>("transfer-submit", { detail, bubbles: true, composed: true }));
  }

  render() {
    const targets = this.windows.filter((w) => w.id !== this.windowId && w.qualified.includes(this.chosenService));
    const ready = (this.serviceId && this.serviceId !== this.currentServiceId) || this.toWindowId;
    return html`<div class="backdrop" @keydown=${(e: KeyboardEvent) => e.key === "Escape" && this.cancel()}>
      <form class="card" data-testid="transfer-dialog" @submit=${this.submit}>
        <h2>${tr({ zh: "转办", en: "Transfer" })} ${this.ticketNumber}</h2>
        <label>${tr({ zh: "转到事项", en: "To service" })}
          <select data-testid="transfer-service" @change=${(e: Event) => ((this.serviceId = (e.target as HTMLSelectElement).value), (this.toWindowId = ""))}>
            ${this.services.map((s) => html`<option value=${s.id} ?selected=${s.id === this.chosenService}>${tr(s.name)}${s.id === this.currentServiceId ? tr({ zh: "（当前）", en: " (current)" }) : ""}</option>`)}
          </select>
        </label>
        <label>${tr({ zh: "指定窗口（可选）", en: "To one window (optional)" })}
          <select data-testid="transfer-window" @change=${(e: Event) => (this.toWindowId = (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${!this.toWindowId}>${tr({ zh: "不指定，进入该事项队列", en: "Any window: join the service's queue" })}</option>
            ${targets.map((w) => html`<option value=${w.id} ?selected=${w.id === this.toWindowId}>${tr(w.label)}</option>`)}
          </select>
        </label>
        <p class="hint">${tr({ zh: "转办后保留原取号时间，群众不用重新排队。", en: "The ticket keeps its original arrival time." })}</p>
        <div class="row">
          <button type="button" class="cancel" @click=${this.cancel}>${tr({ zh: "取消", en: "Cancel" })}</button>
          <button type="submit" class="ok" data-testid="transfer-submit" ?disabled=${!ready}>${tr({ zh: "确认转办", en: "Transfer" })}</button>
        </div>
      </form>
    </div>`;
  }

  private cancel = () => this.dispatchEvent(new CustomEvent("dialog-cancel", { bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-transfer-dialog": TransferDialog;
  }
}
