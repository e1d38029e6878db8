import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { Ticket, Window } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { ACTIONS, allowed, type CounterAction } from "./actions.js";

/**
 * The counter's buttons, each with its shortcut key, enabled only when the window's state allows.
 * @fires counter-action - detail: { action: CounterAction }
 */
@customElement("hc-action-bar")
export class ActionBar extends LitElement {
  static styles = css`
    :host { display: grid; grid-template-columns: repeat(5, 1fr); gap: 0.6rem; }
    button { font: inherit; min-height: 76px; border-radius: 10px; border: 0; color: #fff; cursor: pointer; display: grid; place-content: center; gap: 0.1rem; padding: 0.3rem; }
    button .label { font-size: 1.45rem; font-weight: 700; }
    button kbd { font: inherit; font-size: 0.9rem; opacity: 0.85; }
    .primary { background: #d97706; }
    .go { background: #15803d; }
    .warn { background: #b45309; }
    .plain { background: #1d4ed8; }
    button:disabled { background: #334155; color: #94a3b8; cursor: not-allowed; }
    button:focus-visible { outline: 3px solid var(--hc-accent); outline-offset: 2px; }
  `;
  @property({ attribute: false }) window: Window | undefined;
  @property({ attribute: false }) ticket: Ticket | undefined;
  /** True while a command is on its way: nothing can be pressed twice. */
  @property({ type: Boolean }) busy = false;
  private i18n = new LangController(this);

  render() {
    const w = this.window;
    const hidden = new Set<CounterAction>([w?.state === "paused" ? "pause" : "resume", w?.state === "closed" ? "close" : "open"]);
    return ACTIONS.filter((a) => !hidden.has(a.id)).map(
      (a) => html`<button class=${a.tone} data-testid="action-${a.id}" ?disabled=${this.busy || !allowed(a.id, w, this.ticket)}
          @click=${() => this.dispatchEvent(new CustomEvent("counter-action", { detail: { action: a.id }, bubbles: true, composed: true }))}>
          <span class="label">${tr(a.label)}</span>${a.key ? html`<kbd>${a.key}</kbd>` : ""}
        </button>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-action-bar": ActionBar;
  }
}
