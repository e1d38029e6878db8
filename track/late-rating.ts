import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { RATING_LABELS, type Bilingual, type HallError, type Ticket } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { ratingRefusal } from "./rating-words.js";

/** The pad's colours, green (5 非常满意) to red (1 非常不满意), so a level looks the same on both. */
const COLOURS: Record<number, string> = { 5: "#15803d", 4: "#4d7c0f", 3: "#a16207", 2: "#c2410c", 1: "#b91c1c" };

/**
 * 好差评 from the tracker link (补评), for a finished ticket nobody has rated: the five levels as
 * big phone buttons, posted to `POST /api/halls/:hallId/tickets/:ticketId/rating`; thanks after.
 * The server decides whether the ticket may be rated (within `rating.lateDays`, once); its
 * refusal is shown in plain words. A ticket already rated (at the pad, or from another phone) is
 * said to be rated, as the server's ticket tells. For a 一件事 bundle this is the rating of the
 * whole matter (整件事评价), once every step is done: its steps are rated at the windows' pads.
 * @csspart card - the rating card
 */
@customElement("hc-late-rating")
export class LateRating extends LitElement {
  static styles = css`
    :host { display: block; }
    .card { border-radius: 18px; padding: 20px; background: var(--hc-panel); }
    h2 { margin: 0 0 4px; font-size: 22px; }
    p { margin: 6px 0 0; font-size: 17px; line-height: 1.6; color: var(--hc-muted); }
    .levels { display: grid; gap: 10px; margin-top: 14px; }
    button { font: inherit; font-size: 22px; font-weight: 700; min-height: 56px; border: 0; border-radius: 14px; color: #fff; cursor: pointer; box-shadow: 0 4px 0 #0005; touch-action: manipulation; }
    button:active { transform: translateY(3px); box-shadow: 0 1px 0 #0005; }
    button:disabled { opacity: 0.45; }
    .said { font-size: 20px; line-height: 1.6; color: var(--hc-fg); }
    .said b { display: block; font-size: 26px; margin-bottom: 4px; }
    .refused { margin-top: 12px; padding: 12px 14px; border-radius: 12px; background: #7f1d1d; color: #fff; font-size: 18px; line-height: 1.5; }
  `;
  @property() hallId = "";
  @property({ attribute: false }) ticket!: Ticket;
  @state() private sending = false;
  /** The level this page gave, once the server took it. */
  @state() private given: number | null = null;
  @state() private refusal: { code: string; words: Bilingual } | null = null;
  private i18n = new LangController(this);

  /** A bundle: the tracker rates its whole matter. */
  private get whole(): boolean {
    return this.ticket.bundle.length > 1;
  }

  private async rate(rating: number): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    this.refusal = null;
    try {
      const res = await fetch(`/api/halls/${encodeURIComponent(this.hallId)}/tickets/${encodeURIComponent(this.ticket.id)}/rating`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ rating }),
      });
      if (res.ok) this.given = rating;
      else {
        const body = (await res.json().catch(() => null)) as { error?: HallError } | null;
        const code = body?.error?.code ?? "INTERNAL";
        this.refusal = { code, words: ratingRefusal({ code }, this.whole) };
      }
    } catch {
      this.refusal = { code: "INTERNAL", words: ratingRefusal({ code: "INTERNAL" }, this.whole) };
    } finally {
      this.sending = false;
    }
  }

  render() {
    const t = this.ticket;
    if (this.given !== null) {
      return html`<div part="card" class="card said" data-testid="rating-thanks">
        <b>${tr({ zh: "感谢您的评价！", en: "Thank you for rating!" })}</b>
        ${tr({ zh: "您的评价：", en: "Your rating: " })}${tr(RATING_LABELS[this.given]!)}
      </div>`;
    }
    if (t.rating !== null || this.refusal?.code === "ALREADY_RATED") {
      return html`<div part="card" class="card said" data-testid="rating-refusal" data-code="ALREADY_RATED">${tr(ratingRefusal({ code: "ALREADY_RATED" }, this.whole))}</div>`;
    }
    const bundle = this.whole;
    return html`<div part="card" class="card" data-testid="late-rating" data-scope=${bundle ? "whole" : "service"}>
      <h2>${bundle ? tr({ zh: "整件事评价", en: "Rate the whole matter" }) : tr({ zh: "请为本次服务评价", en: "Rate our service" })}</h2>
      <p>${bundle
        ? tr({ zh: `您办理的「一件事」共 ${t.bundle.length} 项已全部办完。每一项可在办理窗口的评价器上评价；这里请对整件事的办理打分（好差评）。`, en: `All ${t.bundle.length} steps of your matter are done. Each step is rated at its window's pad; here, how did we handle the matter as a whole?` })
        : tr({ zh: "您还没有在窗口评价器上评价，可以在这里评价（好差评）。", en: "You did not rate at the window's pad; you can rate here." })}</p>
      <div class="levels" role="group" aria-label=${tr({ zh: "好差评", en: "Rating" })}>
        ${[5, 4, 3, 2, 1].map(
          (r) => html`<button style="background:${COLOURS[r]}" data-testid="rate-${r}" ?disabled=${this.sending} @click=${() => void this.rate(r)}>${tr(RATING_LABELS[r]!)}</button>`,
        )}
      </div>
      ${this.refusal ? html`<div class="refused" role="alert" data-testid="rating-refusal" data-code=${this.refusal.code}>${tr(this.refusal.words)}</div>` : ""}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-late-rating": LateRating;
  }
}
