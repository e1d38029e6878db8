import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { keyed } from "lit/directives/keyed.js";
import { LangController, tr } from "../../web/shared/i18n.js";
import type { CallView } from "./types.js";

/**
 * The numbers being called now: the newest one very big, up to three more beside it. The call
 * whose key is `flashKey` flashes (its element is re-created so the animation restarts).
 * @csspart latest - the newest call
 */
@customElement("hc-now-calling")
export class NowCalling extends LitElement {
  static styles = css`
    :host { display: flex; flex-direction: column; height: 100%; min-height: 0; }
    h2 { margin: 0 0 1.5vh; font-size: clamp(18px, 4vh, 110px); color: var(--hc-muted); font-weight: 600; }
    /* Sized by the card itself (container units): a long window label or a second row of calls never overflows it. */
    .latest { container-type: size; overflow: hidden; flex: 1; min-height: 0; display: flex; flex-direction: column; justify-content: center; align-items: center; border-radius: 1.5vh; background: var(--hc-panel); border: 0.5vh solid var(--hc-accent); }
    .latest .number { font-size: min(46cqh, 24cqw); line-height: 1; font-weight: 800; color: var(--hc-accent); font-variant-numeric: tabular-nums; letter-spacing: 0.02em; }
    .latest .window { margin-top: 1.5vh; display: flex; flex-direction: column; align-items: center; text-align: center; max-width: 95%; }
    .latest .go { font-size: min(8cqh, 5cqw); color: var(--hc-muted); font-weight: 600; }
    .latest .label { font-size: min(16cqh, 8.5cqw); font-weight: 800; line-height: 1.15; padding-bottom: 0.08em; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
    .latest .label.long { font-size: min(12cqh, 6.5cqw); }
    .others { display: grid; grid-template-columns: repeat(3, 1fr); gap: 1.2vw; margin-top: 1.6vh; }
    .other { border-radius: 1.2vh; background: var(--hc-panel); padding: 1vh 1vw; display: flex; flex-direction: column; align-items: center; }
    .other .number { font-size: clamp(40px, 10vh, 300px); line-height: 1; font-weight: 800; color: var(--hc-accent); }
    .other .window { font-size: clamp(16px, 4vh, 110px); font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 100%; }
    .tag { font-size: min(8cqh, 4.5cqw); font-weight: 700; padding: 0.1em 0.5em; margin-bottom: 1vh; border-radius: 0.4em; border: 0.25vh solid #34d399; color: #6ee7b7; }
    .other .tag { font-size: clamp(12px, 2.2vh, 60px); margin: 0.4vh 0 0; }
    .idle { flex: 1; display: flex; align-items: center; justify-content: center; font-size: clamp(24px, 7vh, 200px); color: var(--hc-muted); border-radius: 1.5vh; background: var(--hc-panel); }
    .flash { animation: flash 0.8s steps(1, end) 6; }
    @keyframes flash { 50% { background: var(--hc-accent); } }
    .flash .number, .flash .label, .flash .go { animation: flash-text 0.8s steps(1, end) 6; }
    @keyframes flash-text { 50% { color: #0b1f3a; } }
  `;
  /** Calls still waiting for their citizen, newest first. */
  @property({ attribute: false }) calls: CallView[] = [];
  /** Key of the call announced last; it flashes. */
  @property() flashKey = "";
  private i18n = new LangController(this);

  render() {
    const [latest, ...others] = this.calls;
    return html`
      <h2>${tr({ zh: "正在叫号", en: "Now calling" })}</h2>
      ${latest
        ? keyed(
            latest.key,
            html`<div part="latest" class="latest ${latest.key === this.flashKey ? "flash" : ""}" data-testid="latest-call">
              ${latest.booked ? html`<div class="tag" data-testid="booked-tag">${tr({ zh: "预约", en: "Booked" })}</div>` : ""}
              <div class="number" data-testid="latest-number">${latest.number}</div>
              <div class="window" data-testid="latest-window"><span class="go">${tr({ zh: "请到", en: "please go to" })}</span><span class="label ${latest.windowLabel.length > 12 ? "long" : ""}">${latest.windowLabel}</span></div>
            </div>`,
          )
        : html`<div class="idle">${tr({ zh: "请留意叫号", en: "Please watch for your number" })}</div>`}
      ${others.length
        ? html`<div class="others">
            ${others.slice(0, 3).map(
              (c) => html`<div class="other ${c.key === this.flashKey ? "flash" : ""}" data-testid="other-call">
                <span class="number">${c.number}</span><span class="window">${c.windowLabel}</span>${c.booked ? html`<span class="tag" data-testid="booked-tag">${tr({ zh: "预约", en: "Booked" })}</span>` : ""}
              </div>`,
            )}
          </div>`
        : ""}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-now-calling": NowCalling;
  }
}
