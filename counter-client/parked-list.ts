import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { Ticket, Window } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { panelStyles } from "./panel-styles.js";

/**
 * Parked tickets (挂起): this window's first, then the rest of the hall's, each with 恢复 to put
 * it back in the queue with its original place.
 * @fires resume-ticket - detail: { ticketId: string }
 */
@customElement("hc-parked-list")
export class ParkedList extends LitElement {
  static styles = [
    panelStyles,
    css`
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35rem; max-height: 170px; overflow: auto; }
      li { display: grid; grid-template-columns: auto 1fr auto; gap: 0.6rem; align-items: center; }
      .num { font-size: 1.3rem; font-weight: 700; }
      .why { color: var(--hc-muted); font-size: 0.95rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      button { font: inherit; font-size: 1.05rem; min-height: 40px; padding: 0 0.9rem; border: 0; border-radius: 8px; background: #15803d; color: #fff; cursor: pointer; }
      button:disabled { background: #334155; }
    `,
  ];
  @property({ attribute: false }) tickets: Ticket[] = [];
  @property({ attribute: false }) windows: Window[] = [];
  @property() windowId = "";
  @property({ type: Boolean }) busy = false;
  private i18n = new LangController(this);

  render() {
    const parked = this.tickets
      .filter((t) => t.state === "parked")
      .sort((a, b) => Number(b.windowId === this.windowId) - Number(a.windowId === this.windowId) || a.arrivedAt - b.arrivedAt);
    const label = (id: string | null) => {
      const w = this.windows.find((x) => x.id === id);
      return w ? tr(w.label) : "";
    };
    return html`<h3>${tr({ zh: `挂起的号（${parked.length}）`, en: `Parked tickets (${parked.length})` })}</h3>
      ${parked.length === 0
        ? html`<p class="empty">${tr({ zh: "没有挂起的号", en: "None" })}</p>`
        : html`<ul>
            ${parked.map(
              (t) => html`<li data-testid="parked-${t.number}">
                <span class="num">${t.number}</span>
                <span class="why" title=${[t.parkReason, ...t.missingDocs].join("、")}>${t.windowId !== this.windowId ? `${label(t.windowId)} · ` : ""}${t.parkReason ?? ""}${t.missingDocs.length ? `：${t.missingDocs.join("、")}` : ""}</span>
                <button data-testid="resume-${t.number}" ?disabled=${this.busy} @click=${() => this.dispatchEvent(new CustomEvent("resume-ticket", { detail: { ticketId: t.id }, bubbles: true, composed: true }))}>${tr({ zh: "恢复", en: "Resume" })}</button>
              </li>`,
            )}
          </ul>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-parked-list": ParkedList;
  }
}
