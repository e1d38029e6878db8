import { LitElement, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { dialogStyles } from "../web/shared/dialog-styles.js";

const REASONS = [
  { zh: "临时离开", en: "Away for a moment" },
  { zh: "用餐", en: "Meal break" },
  { zh: "系统故障", en: "System fault" },
  { zh: "业务学习", en: "Training" },
];

/**
 * 暂停 dialog: why the window stops calling for a while (shown on the window's strip).
 * @fires pause-submit - detail: { reason: string }
 * @fires dialog-cancel
 */
@customElement("hc-pause-dialog")
export class PauseDialog extends LitElement {
  static styles = dialogStyles;
  @state() private reason = "";
  private i18n = new LangController(this);

  private submit(e: Event) {
    e.preventDefault();
    const reason = this.reason.trim();
    if (reason) this.dispatchEvent(new CustomEvent("pause-submit", { detail: { reason }, bubbles: true, composed: true }));
  }

  render() {
    return html`<div class="backdrop" @keydown=${(e: KeyboardEvent) => e.key === "Escape" && this.cancel()}>
      <form class="card" data-testid="pause-dialog" @submit=${this.submit}>
        <h2>${tr({ zh: "暂停服务", en: "Pause the window" })}</h2>
        <div class="chips">
          ${REASONS.map((r) => html`<button type="button" class="chip" aria-pressed=${this.reason === tr(r)} @click=${() => (this.reason = tr(r))}>${tr(r)}</button>`)}
        </div>
        <label>${tr({ zh: "暂停原因", en: "Reason" })}
          <input data-testid="pause-reason" .value=${this.reason} @input=${(e: Event) => (this.reason = (e.target as HTMLInputElement).value)} autofocus />
        </label>
        <div class="row">
          <button type="button" class="cancel" @click=${this.cancel}>${tr({ zh: "取消", en: "Cancel" })}</button>
          <button type="submit" class="ok" data-testid="pause-submit" ?disabled=${!this.reason.trim()}>${tr({ zh: "确认暂停", en: "Pause" })}</button>
        </div>
      </form>
    </div>`;
  }

  private cancel = () => this.dispatchEvent(new CustomEvent("dialog-cancel", { bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-pause-dialog": PauseDialog;
  }
}
