import { LitElement, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { dialogStyles } from "../web/shared/dialog-styles.js";

/** Documents most often missing in this kind of hall, offered as one-tap chips. */
const COMMON_DOCS = ["身份证原件", "户口簿", "结婚证", "房产证", "营业执照", "委托书", "社保卡", "银行卡"];

export interface ParkDetail {
  reason: string;
  missingDocs: string[];
}

/**
 * 挂起 dialog: a reason and the list of missing documents told to the citizen at once (一次告知).
 * @fires park-submit - detail: ParkDetail
 * @fires dialog-cancel
 */
@customElement("hc-park-dialog")
export class ParkDialog extends LitElement {
  static styles = dialogStyles;
  /** Number of the ticket being parked. */
  @property() ticketNumber = "";
  @state() private docs: string[] = [];
  @state() private reason = "";
  private i18n = new LangController(this);

  private toggle(doc: string) {
    this.docs = this.docs.includes(doc) ? this.docs.filter((d) => d !== doc) : [...this.docs, doc];
  }

  private submit(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const other = String(new FormData(form).get("other") ?? "")
      .split(/[,，、;；\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const missingDocs = [...new Set([...this.docs, ...other])];
    const reason = this.reason.trim() || (missingDocs.length ? tr({ zh: "材料不全", en: "Documents missing" }) : "");
    if (!reason) return;
    this.dispatchEvent(new CustomEvent<ParkDetail>("park-submit", { detail: { reason, missingDocs }, bubbles: true, composed: true }));
  }

  render() {
    return html`<div class="backdrop" @keydown=${(e: KeyboardEvent) => e.key === "Escape" && this.cancel()}>
      <form class="card" data-testid="park-dialog" @submit=${this.submit}>
        <h2>${tr({ zh: "挂起", en: "Park" })} ${this.ticketNumber}</h2>
        <label>${tr({ zh: "挂起原因", en: "Reason" })}
          <input name="reason" data-testid="park-reason" .value=${this.reason} @input=${(e: Event) => (this.reason = (e.target as HTMLInputElement).value)}
            placeholder=${tr({ zh: "如：材料不全，补齐后回来", en: "e.g. documents missing, comes back later" })} autofocus />
        </label>
        <div>
          <p class="hint">${tr({ zh: "缺少的材料（一次告知）", en: "Missing documents (told all at once)" })}</p>
          <div class="chips">
            ${COMMON_DOCS.map((d) => html`<button type="button" class="chip" aria-pressed=${this.docs.includes(d)} @click=${() => this.toggle(d)}>${d}</button>`)}
          </div>
        </div>
        <label>${tr({ zh: "其他材料（用逗号分隔）", en: "Other documents (comma separated)" })}
          <input name="other" data-testid="park-other-docs" />
        </label>
        <div class="row">
          <button type="button" class="cancel" @click=${this.cancel}>${tr({ zh: "取消", en: "Cancel" })}</button>
          <button type="submit" class="ok" data-testid="park-submit" ?disabled=${!this.reason.trim() && this.docs.length === 0}>${tr({ zh: "确认挂起", en: "Park ticket" })}</button>
        </div>
      </form>
    </div>`;
  }

  private cancel = () => this.dispatchEvent(new CustomEvent("dialog-cancel", { bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-park-dialog": ParkDialog;
  }
}
