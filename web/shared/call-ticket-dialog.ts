import { LitElement, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { Bilingual } from "../../protocol/index.js";
import { LangController, tr } from "./i18n.js";
import { dialogStyles } from "./dialog-styles.js";

/** Reasons staff give most often for calling one citizen out of turn, as one-tap chips. */
export const CALL_TICKET_REASONS = [
  { zh: "预约群众已到场", en: "Booked citizen is here" },
  { zh: "老弱病残孕照顾", en: "Elderly, disabled or pregnant" },
  { zh: "补齐材料后返回", en: "Back with the missing documents" },
  { zh: "领导交办", en: "Assigned by the hall manager" },
];

export interface CallTicketDetail {
  reason: string;
  /** The window picked, when the dialog offered a choice. */
  windowId?: string;
}

/**
 * 指定叫号 dialog: the reason for calling this ticket ahead of the queue, which the server records
 * with the call. The reason is required. A counter calls to its own window; the manager console
 * passes the windows that could take the ticket now and one must be picked.
 * @fires call-ticket-submit - detail: CallTicketDetail
 * @fires dialog-cancel
 */
@customElement("hc-call-ticket-dialog")
export class CallTicketDialog extends LitElement {
  static styles = dialogStyles;
  @property() ticketNumber = "";
  /** What the staff member sees of the ticket: its service, and 预约 when it is a booking. */
  @property() detail = "";
  /** Windows to pick from (the console); empty at a counter, which calls to its own. */
  @property({ attribute: false }) windows: { id: string; label: Bilingual }[] = [];
  @state() private reason = "";
  @state() private windowId = "";
  private i18n = new LangController(this);

  private submit(e: Event) {
    e.preventDefault();
    const reason = this.reason.trim();
    if (!this.ready) return;
    const detail: CallTicketDetail = this.windows.length ? { reason, windowId: this.windowId } : { reason };
    this.dispatchEvent(new CustomEvent<CallTicketDetail>("call-ticket-submit", { detail, bubbles: true, composed: true }));
  }

  private get ready(): boolean {
    return !!this.reason.trim() && (!this.windows.length || this.windows.some((w) => w.id === this.windowId));
  }

  render() {
    return html`<div class="backdrop" @keydown=${(e: KeyboardEvent) => e.key === "Escape" && this.cancel()}>
      <form class="card" data-testid="call-ticket-dialog" @submit=${this.submit}>
        <h2>${tr({ zh: "指定叫号", en: "Call out of turn" })} ${this.ticketNumber}</h2>
        ${this.detail ? html`<p class="hint">${this.detail}</p>` : ""}
        ${this.windows.length
          ? html`<label>${tr({ zh: "叫到窗口", en: "To window" })}
              <select data-testid="call-ticket-window" @change=${(e: Event) => (this.windowId = (e.target as HTMLSelectElement).value)}>
                <option value="" ?selected=${!this.windowId}>${tr({ zh: "请选择空闲的窗口", en: "Pick a free window" })}</option>
                ${this.windows.map((w) => html`<option value=${w.id} ?selected=${w.id === this.windowId}>${tr(w.label)}</option>`)}
              </select>
            </label>`
          : ""}
        <div class="chips">
          ${CALL_TICKET_REASONS.map((r) => html`<button type="button" class="chip" aria-pressed=${this.reason === tr(r)} @click=${() => (this.reason = tr(r))}>${tr(r)}</button>`)}
        </div>
        <label>${tr({ zh: "原因（必填）", en: "Reason (required)" })}
          <input data-testid="call-ticket-reason" maxlength="200" .value=${this.reason} @input=${(e: Event) => (this.reason = (e.target as HTMLInputElement).value)} autofocus />
        </label>
        <p class="hint">${tr({ zh: "指定叫号会越过排在前面的群众，原因将被记录。", en: "This calls the citizen ahead of those waiting longer; the reason is recorded." })}</p>
        <div class="row">
          <button type="button" class="cancel" @click=${this.cancel}>${tr({ zh: "取消", en: "Cancel" })}</button>
          <button type="submit" class="ok" data-testid="call-ticket-submit" ?disabled=${!this.ready}>${tr({ zh: "确认叫号", en: "Call" })}</button>
        </div>
      </form>
    </div>`;
  }

  private cancel = () => this.dispatchEvent(new CustomEvent("dialog-cancel", { bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-call-ticket-dialog": CallTicketDialog;
  }
}
