import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { ServiceInfo, Window } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";

/**
 * Which qualified services a window serves: one checkbox per qualified service, the primary
 * (first) one marked; saving sends the list primary first.
 * @fires serving-save - detail: { windowId: string, serving: string[] }
 * @fires serving-cancel
 */
@customElement("hc-serving-editor")
export class ServingEditor extends LitElement {
  static styles = css`
    :host { display: block; padding: 0.6rem; background: #0b1f3a; border-radius: 8px; }
    .opts { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; }
    label { display: inline-flex; align-items: center; gap: 0.35rem; min-height: 36px; font-size: 1rem; }
    input { width: 20px; height: 20px; }
    .primary { color: var(--hc-accent); font-size: 0.85rem; }
    .row { display: flex; gap: 0.5rem; margin-top: 0.4rem; align-items: center; }
    button { font: inherit; font-size: 0.95rem; min-height: 36px; padding: 0 0.8rem; border-radius: 8px; border: 0; cursor: pointer; background: #334155; color: var(--hc-fg); }
    button.ok { background: var(--hc-accent); color: #111; font-weight: 700; }
    button:disabled { opacity: 0.5; }
    .hint { color: var(--hc-muted); font-size: 0.85rem; }
  `;
  @property({ attribute: false }) window!: Window;
  @property({ attribute: false }) services: ServiceInfo[] = [];
  @state() private chosen: string[] = [];
  private i18n = new LangController(this);

  connectedCallback(): void {
    super.connectedCallback();
    this.chosen = [...this.window.serving];
  }

  private toggle(id: string, on: boolean) {
    this.chosen = on ? [...this.chosen, id] : this.chosen.filter((x) => x !== id);
  }

  private makePrimary(id: string) {
    this.chosen = [id, ...this.chosen.filter((x) => x !== id)];
  }

  render() {
    const w = this.window;
    const order = [...this.chosen, ...w.qualified.filter((q) => !this.chosen.includes(q))];
    const name = (id: string) => tr(this.services.find((s) => s.id === id)?.name ?? { zh: id, en: id });
    return html`<div class="opts" data-testid="serving-editor-${w.id}">
        ${order.map(
          (id) => html`<label>
            <input type="checkbox" data-testid="serve-${w.id}-${id}" .checked=${this.chosen.includes(id)} @change=${(e: Event) => this.toggle(id, (e.target as HTMLInputElement).checked)} />
            ${name(id)}
            ${this.chosen[0] === id
              ? html`<span class="primary">${tr({ zh: "首选", en: "primary" })}</span>`
              : this.chosen.includes(id)
                ? html`<button type="button" style="min-height:28px;font-size:0.8rem" @click=${() => this.makePrimary(id)}>${tr({ zh: "设为首选", en: "Make primary" })}</button>`
                : ""}
          </label>`,
        )}
      </div>
      <div class="row">
        <button class="ok" data-testid="serving-save-${w.id}" ?disabled=${this.chosen.length === 0}
          @click=${() => this.dispatchEvent(new CustomEvent("serving-save", { detail: { windowId: w.id, serving: this.chosen }, bubbles: true, composed: true }))}>${tr({ zh: "保存", en: "Save" })}</button>
        <button @click=${() => this.dispatchEvent(new CustomEvent("serving-cancel", { bubbles: true, composed: true }))}>${tr({ zh: "取消", en: "Cancel" })}</button>
        ${this.chosen.length === 0 ? html`<span class="hint">${tr({ zh: "至少选择一个事项", en: "Pick at least one service" })}</span>` : ""}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-serving-editor": ServingEditor;
  }
}
