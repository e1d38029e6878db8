import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { LangController, tr } from "../web/shared/i18n.js";
import type { PriorityClassInfo } from "../protocol/index.js";

/**
 * 绿色通道: big toggle buttons, one per priority class; exactly one is pressed (普通 by default).
 * @fires change - `detail` is the chosen class id
 */
@customElement("hc-priority-picker")
export class PriorityPicker extends LitElement {
  static styles = css`
    :host { display: block; }
    h2 { margin: 0 0 14px; font-size: 30px; font-weight: 600; color: var(--hc-muted); }
    .row { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 14px; }
    button { min-height: 110px; font: inherit; font-size: 34px; font-weight: 700; border-radius: 16px; border: 3px solid #2b5a94; background: var(--hc-panel); color: var(--hc-fg); cursor: pointer; }
    button[aria-pressed="true"] { background: var(--hc-ok); border-color: #bbf7d0; color: #fff; }
    button[aria-pressed="true"]::before { content: "✓ "; }
  `;
  @property({ attribute: false }) classes: PriorityClassInfo[] = [];
  /** The chosen class id. */
  @property() value = "normal";
  private i18n = new LangController(this);

  private choose(id: string) {
    this.value = id;
    this.dispatchEvent(new CustomEvent("change", { detail: id, bubbles: true, composed: true }));
  }

  render() {
    const classes = [...this.classes].sort((a, b) => a.rank - b.rank);
    return html`
      <h2>${tr({ zh: "绿色通道（老年人、残疾人、孕妇等请选择）", en: "Priority lane (elderly, disabled, pregnant…)" })}</h2>
      <div class="row" role="group">
        ${classes.map((p) => html`<button data-testid="priority-${p.id}" aria-pressed=${p.id === this.value ? "true" : "false"} @click=${() => this.choose(p.id)}>${tr(p.name)}</button>`)}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-priority-picker": PriorityPicker;
  }
}
