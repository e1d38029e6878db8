import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { BalancerMode, BalancerSuggestion, ServiceInfo, Window } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { cardStyles } from "./card-styles.js";

const MODES: { id: BalancerMode; label: { zh: string; en: string } }[] = [
  { id: "off", label: { zh: "关闭", en: "Off" } },
  { id: "suggest", label: { zh: "建议", en: "Suggest" } },
  { id: "auto", label: { zh: "自动", en: "Auto" } },
];

/**
 * The balancer: its mode (off / suggest / auto) and the open suggestions with their reasons.
 * @fires balancer-mode - detail: { mode: BalancerMode }
 * @fires balancer-decide - detail: { suggestionId: string, approve: boolean }
 */
@customElement("hc-balancer-panel")
export class BalancerPanel extends LitElement {
  static styles = [
    cardStyles,
    css`
      .modes { display: inline-flex; border-radius: 10px; overflow: hidden; border: 1px solid #ffffff30; }
      .modes button { border: 0; border-radius: 0; min-height: 40px; min-width: 4.5em; background: transparent; }
      .modes button[aria-pressed="true"] { background: var(--hc-accent); color: #111; font-weight: 700; }
      ul { list-style: none; margin: 0.6rem 0 0; padding: 0; display: grid; gap: 0.5rem; }
      li { background: #0b1f3a; border-radius: 8px; padding: 0.5rem 0.7rem; display: grid; gap: 0.3rem; }
      .acts { display: flex; gap: 0.4rem; }
      p { margin: 0.6rem 0 0; }
    `,
  ];
  @property() mode: BalancerMode = "off";
  @property({ attribute: false }) suggestions: BalancerSuggestion[] = [];
  @property({ attribute: false }) windows: Window[] = [];
  @property({ attribute: false }) services: ServiceInfo[] = [];
  @property({ type: Boolean }) busy = false;
  private i18n = new LangController(this);

  private fire(name: string, detail: unknown) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  render() {
    const name = (id: string) => tr(this.services.find((s) => s.id === id)?.name ?? { zh: id, en: id });
    return html`<h2>${tr({ zh: "智能调度", en: "Balancer" })}
        <span class="modes" role="group">
          ${MODES.map((m) => html`<button data-testid="balancer-mode-${m.id}" aria-pressed=${this.mode === m.id} ?disabled=${this.busy} @click=${() => this.mode !== m.id && this.fire("balancer-mode", { mode: m.id })}>${tr(m.label)}</button>`)}
        </span>
      </h2>
      ${this.suggestions.length === 0
        ? html`<p class="muted">${this.mode === "suggest" ? tr({ zh: "暂无调度建议", en: "No suggestions now" }) : this.mode === "auto" ? tr({ zh: "自动调整窗口事项，每次调整都有原因记录", en: "Windows are adjusted automatically; each change is logged with its reason" }) : tr({ zh: "调度已关闭", en: "Balancing is off" })}</p>`
        : html`<ul>
            ${this.suggestions.map((s) => {
              const w = this.windows.find((x) => x.id === s.windowId);
              return html`<li data-testid="suggestion-${s.id}">
                <strong>${w ? tr(w.label) : s.windowId} → ${s.serving.map(name).join("、")}</strong>
                <span class="muted">${tr(s.reason)}</span>
                <span class="acts">
                  <button class="ok" ?disabled=${this.busy} data-testid="approve-${s.id}" @click=${() => this.fire("balancer-decide", { suggestionId: s.id, approve: true })}>${tr({ zh: "同意", en: "Approve" })}</button>
                  <button ?disabled=${this.busy} data-testid="reject-${s.id}" @click=${() => this.fire("balancer-decide", { suggestionId: s.id, approve: false })}>${tr({ zh: "不采纳", en: "Reject" })}</button>
                </span>
              </li>`;
            })}
          </ul>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-balancer-panel": BalancerPanel;
  }
}
