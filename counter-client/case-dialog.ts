import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { CaseCategory } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { dialogStyles } from "../web/shared/dialog-styles.js";

/** What `case:open` needs besides the window and its commandId. */
export interface CaseOpenDetail {
  category: string;
  summary: string;
  departments: string[];
  phone: string;
  workingDays?: number;
}

/** A mainland mobile number, as a hint while typing; the server's check is the one that counts. */
const PHONE_HINT = /^1[3-9]\d{9}$/;

/**
 * 开工单: the 办不成事 window opens a case from the ticket at it: the category (the hall's list),
 * what the matter is, the departments involved (one per line or separated by 、，,), the
 * citizen's phone, and the deadline in working days (the category's when left empty).
 * @fires case-open-submit - detail: CaseOpenDetail
 * @fires dialog-cancel
 */
@customElement("hc-case-dialog")
export class CaseDialog extends LitElement {
  static styles = [dialogStyles, css`.warn { color: #fcd34d; font-size: 0.95rem; }`];
  @property() ticketNumber = "";
  @property({ attribute: false }) categories: CaseCategory[] = [];
  @property({ type: Boolean }) busy = false;
  @state() private category = "";
  @state() private summary = "";
  @state() private departments = "";
  @state() private phone = "";
  @state() private days = "";
  private i18n = new LangController(this);

  private get chosen(): CaseCategory | undefined {
    return this.categories.find((c) => c.id === (this.category || this.categories[0]?.id));
  }

  private submit(e: Event) {
    e.preventDefault();
    const category = this.chosen?.id;
    if (!category || !this.summary.trim() || !PHONE_HINT.test(this.phone.trim())) return;
    const detail: CaseOpenDetail = {
      category,
      summary: this.summary.trim(),
      departments: this.departments.split(/[\n、，,；;]+/).map((d) => d.trim()).filter(Boolean),
      phone: this.phone.trim(),
    };
    const days = Number(this.days);
    if (this.days.trim() && Number.isInteger(days) && days > 0) detail.workingDays = days;
    this.dispatchEvent(new CustomEvent<CaseOpenDetail>("case-open-submit", { detail, bubbles: true, composed: true }));
  }

  render() {
    const phoneOff = this.phone.trim() !== "" && !PHONE_HINT.test(this.phone.trim());
    const ready = !!this.chosen && !!this.summary.trim() && PHONE_HINT.test(this.phone.trim()) && !this.busy;
    const input = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);
    return html`<div class="backdrop" @keydown=${(e: KeyboardEvent) => e.key === "Escape" && this.cancel()}>
      <form class="card" data-testid="case-dialog" @submit=${this.submit}>
        <h2>${tr({ zh: "开工单", en: "Open a case" })} · ${this.ticketNumber}</h2>
        ${this.categories.length
          ? html`<label>${tr({ zh: "问题类别", en: "Category" })}
              <select data-testid="case-category" @change=${input((v) => (this.category = v))}>
                ${this.categories.map((c) => html`<option value=${c.id} ?selected=${c.id === this.chosen?.id}>${tr(c.name)}（${tr({ zh: `${c.workingDays} 个工作日`, en: `${c.workingDays} working days` })}）</option>`)}
              </select>
            </label>`
          : html`<p class="warn" data-testid="case-no-categories">${tr({ zh: "本大厅还没有配置工单类别（cases.categories），不能开工单。", en: "This hall has no case categories configured (cases.categories)." })}</p>`}
        <label>${tr({ zh: "问题描述", en: "What the matter is" })}
          <textarea data-testid="case-summary" rows="3" maxlength="500" .value=${this.summary} @input=${input((v) => (this.summary = v))}></textarea>
        </label>
        <label>${tr({ zh: "涉及部门（用顿号或换行分隔）", en: "Departments involved (separate with commas or lines)" })}
          <input data-testid="case-departments" maxlength="500" .value=${this.departments} @input=${input((v) => (this.departments = v))} />
        </label>
        <label>${tr({ zh: "群众联系电话", en: "Citizen's mobile number" })}
          <input data-testid="case-phone" type="tel" inputmode="numeric" maxlength="11" .value=${this.phone} @input=${input((v) => (this.phone = v))} />
          ${phoneOff ? html`<span class="warn" data-testid="case-phone-hint">${tr({ zh: "请填写 11 位手机号", en: "An 11-digit mobile number" })}</span>` : ""}
        </label>
        <label>${tr({ zh: "办理时限（工作日，可选）", en: "Deadline in working days (optional)" })}
          <input data-testid="case-days" type="number" min="1" max="365" placeholder=${this.chosen ? String(this.chosen.workingDays) : ""} .value=${this.days} @input=${input((v) => (this.days = v))} />
        </label>
        <p class="hint">${tr({ zh: "电话只在工单中部分显示；群众凭回执二维码查看进度。", en: "The number is shown in part only; the citizen follows the case from the receipt's QR code." })}</p>
        <div class="row">
          <button type="button" class="cancel" @click=${this.cancel}>${tr({ zh: "取消", en: "Cancel" })}</button>
          <button type="submit" class="ok" data-testid="case-open-submit" ?disabled=${!ready}>${tr({ zh: "开工单", en: "Open case" })}</button>
        </div>
      </form>
    </div>`;
  }

  private cancel = () => this.dispatchEvent(new CustomEvent("dialog-cancel", { bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-case-dialog": CaseDialog;
  }
}
