import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";

/** What a window strip shows; `calling` flashes. */
export type StripMode = "calling" | "serving" | "idle" | "paused" | "closed" | "offline";

/**
 * An LED-like one-line screen over a window: the window label on the left, the message on the
 * right (big), an optional smaller second line. Sized by the screen's height (1280×320, 960×160…).
 * @csspart message - the big message
 */
@customElement("hc-strip-display")
export class StripDisplay extends LitElement {
  static styles = css`
    :host { display: flex; align-items: center; height: 100vh; width: 100vw; background: #000; color: #ff3b1f; font-weight: 800; overflow: hidden; box-sizing: border-box; padding: 0 3vw; gap: 3vw; }
    .label { flex: 0 0 auto; max-width: 34vw; color: #ffb000; font-size: min(30vh, 7vw); line-height: 1.05; text-align: center; border-right: 0.6vh solid #333; padding-right: 3vw; overflow: hidden; }
    .body { flex: 1; min-width: 0; display: flex; flex-direction: column; justify-content: center; align-items: center; text-align: center; }
    .message { font-size: min(56vh, 11vw); line-height: 1.05; white-space: nowrap; text-shadow: 0 0 1.5vh #ff3b1f88; }
    .tag { display: inline-block; margin-right: 0.5em; padding: 0 0.3em; border: max(2px, 0.8vh) solid #22e36b; border-radius: 0.25em; color: #22e36b; line-height: 1.15; }
    .sub { margin-top: 2vh; font-size: min(18vh, 3.6vw); color: #ffb000; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 100%; }
    .label.long { font-size: min(15vh, 3.4vw); line-height: 1.2; padding-bottom: 0.1em; display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; }
    :host([mode="idle"]) .message { color: #22e36b; text-shadow: 0 0 1.5vh #22e36b88; }
    :host([mode="paused"]) .message, :host([mode="closed"]) .message, :host([mode="offline"]) .message { color: #ff8a00; text-shadow: none; }
    :host([mode="calling"]) .message { animation: blink 1s steps(1, end) 5; }
    @keyframes blink { 50% { opacity: 0.25; } }
  `;
  /** The window's label, e.g. 1号窗口. */
  @property() label = "";
  /** The big text. */
  @property() message = "";
  /** The second line (pause reason, service…). */
  @property() sub = "";
  /** A small mark on the second line: 预约 for a checked-in booking's ticket (the big line keeps its width for the number). */
  @property() tag = "";
  @property({ reflect: true }) mode: StripMode = "idle";

  render() {
    return html`
      <div class="label ${this.label.length > 8 ? "long" : ""}" data-testid="strip-label">${this.label}</div>
      <div class="body">
        <div part="message" class="message" data-testid="strip-message">${this.message}</div>
        ${this.sub || this.tag ? html`<div class="sub">${this.tag ? html`<span class="tag" data-testid="strip-tag">${this.tag}</span>` : ""}<span data-testid="strip-sub">${this.sub}</span></div>` : ""}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-strip-display": StripDisplay;
  }
}
