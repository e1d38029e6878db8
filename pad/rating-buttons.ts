import { LitElement, css, html, svg } from "lit";
import { customElement, property } from "lit/decorators.js";
import { RATING_LABELS } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";

/** Colour of each level, from green (5 非常满意) to red (1 非常不满意). */
const COLOURS: Record<number, string> = { 5: "#15803d", 4: "#4d7c0f", 3: "#a16207", 2: "#c2410c", 1: "#b91c1c" };
/** Mouth curve of each level's face (drawn, so no emoji font is needed on the pad). */
const MOUTHS: Record<number, string> = { 5: "M18 38 Q32 54 46 38", 4: "M20 40 Q32 48 44 40", 3: "M20 42 L44 42", 2: "M20 46 Q32 38 44 46", 1: "M18 48 Q32 34 46 48" };
const face = (r: number) =>
  svg`<svg class="face" viewBox="0 0 64 64" aria-hidden="true"><circle cx="32" cy="32" r="29" fill="none" stroke="#fff" stroke-width="4"/><circle cx="22" cy="25" r="4" fill="#fff"/><circle cx="42" cy="25" r="4" fill="#fff"/><path d=${MOUTHS[r]} fill="none" stroke="#fff" stroke-width="4" stroke-linecap="round"/></svg>`;

/**
 * The five 好差评 levels as big colour-coded touch buttons, best first.
 * @fires rate - detail: { rating: number }
 */
@customElement("hc-rating-buttons")
export class RatingButtons extends LitElement {
  static styles = css`
    :host { display: grid; grid-template-columns: repeat(5, 1fr); gap: 14px; }
    button { font: inherit; min-height: 230px; border: 0; border-radius: 18px; color: #fff; cursor: pointer; display: grid; place-content: center; gap: 12px; padding: 10px 6px; box-shadow: 0 6px 0 #0005; touch-action: manipulation; }
    button:active { transform: translateY(4px); box-shadow: 0 2px 0 #0005; }
    button:disabled { opacity: 0.45; }
    .face { width: 72px; height: 72px; justify-self: center; }
    .label { font-size: 30px; font-weight: 800; line-height: 1.2; }
    :host([lang-en]) .label { font-size: 22px; }
  `;
  /** True after a tap: the levels cannot be sent twice. */
  @property({ type: Boolean }) disabled = false;
  private i18n = new LangController(this);

  render() {
    return [5, 4, 3, 2, 1].map(
      (r) => html`<button style="background:${COLOURS[r]}" data-testid="rate-${r}" aria-label=${tr(RATING_LABELS[r]!)} ?disabled=${this.disabled}
          @click=${() => this.dispatchEvent(new CustomEvent("rate", { detail: { rating: r }, bubbles: true, composed: true }))}>
          ${face(r)}<span class="label">${tr(RATING_LABELS[r]!)}</span>
        </button>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-rating-buttons": RatingButtons;
  }
}
