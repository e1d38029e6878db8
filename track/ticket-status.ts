import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { LangController, minutes, tr } from "../web/shared/i18n.js";
import type { Bilingual, Ticket } from "../protocol/index.js";

/**
 * The state of one ticket in words a citizen understands: place in line and expected wait while
 * waiting, the window in big letters when called, the reason and missing documents when parked
 * (一次告知), thanks when finished (the rating is hc-late-rating's, below it).
 * @csspart card - the status card
 */
@customElement("hc-ticket-status")
export class TicketStatus extends LitElement {
  static styles = css`
    :host { display: block; }
    .card { border-radius: 18px; padding: 22px 20px; background: var(--hc-panel); }
    .card.called { background: var(--hc-accent); color: #0b1f3a; animation: pulse 1.2s ease-in-out 4; }
    .card.done { background: #14532d; }
    .card.bad { background: #7f1d1d; }
    .card.hold { background: #713f12; }
    @keyframes pulse { 50% { transform: scale(1.03); } }
    .label { font-size: 18px; opacity: 0.85; }
    .big { font-size: 44px; font-weight: 800; line-height: 1.2; margin: 6px 0; word-break: keep-all; }
    .called .big { font-size: 52px; }
    .row { display: flex; gap: 12px; margin-top: 8px; }
    .row > div { flex: 1; border-radius: 14px; background: #0b1f3a55; padding: 14px; }
    .row b { display: block; font-size: clamp(24px, 8vw, 34px); margin-top: 4px; white-space: nowrap; }
    p { font-size: 18px; line-height: 1.6; margin: 10px 0 0; }
    ul { margin: 10px 0 0; padding-left: 1.3em; font-size: 20px; line-height: 1.6; }
  `;
  @property({ attribute: false }) ticket!: Ticket;
  /** People ahead in the expected call order; null when not known yet. */
  @property({ attribute: false }) ahead: number | null = null;
  @property({ attribute: false }) etaSec: number | null = null;
  /** Label of the window the ticket is called to / served at. */
  @property({ attribute: false }) windowLabel: Bilingual | null = null;
  /** Service name after a transfer (shown as a notice). */
  @property({ attribute: false }) transferredTo: Bilingual | null = null;
  private i18n = new LangController(this);

  private windowText(): string {
    return this.windowLabel ? tr(this.windowLabel) : tr({ zh: "窗口", en: "the window" });
  }

  render() {
    const t = this.ticket;
    switch (t.state) {
      case "waiting":
        return html`<div part="card" class="card" data-testid="status" data-state="waiting">
          ${this.transferredTo ? html`<p data-testid="transferred">${tr({ zh: `已转办到「${tr(this.transferredTo)}」，原排队时间保留。`, en: `Transferred to ${tr(this.transferredTo)}; your original arrival time is kept.` })}</p>` : ""}
          <div class="label">${tr({ zh: "排队中", en: "In line" })}</div>
          <div class="row">
            <div>${tr({ zh: "前面还有", en: "Ahead of you" })}<b><span data-testid="ahead">${this.ahead === null ? "…" : this.ahead}</span> ${this.ahead === null ? "" : tr({ zh: "人", en: this.ahead === 1 ? "person" : "people" })}</b></div>
            <div>${tr({ zh: "预计等待", en: "Expected wait" })}<b data-testid="eta">${this.etaSec === null ? "…" : minutes(this.etaSec)}</b></div>
          </div>
          <p>${this.ahead === 0 ? tr({ zh: "下一位就是您，请回到大厅留意叫号。", en: "You are next. Please be in the hall and watch for your number." }) : tr({ zh: "叫号时本页会提醒您，请在叫号前回到大厅。", en: "This page will alert you when you are called; please be back in the hall in time." })}</p>
        </div>`;
      case "called":
        return html`<div part="card" class="card called" data-testid="status" data-state="called">
          <div class="label">${tr({ zh: "正在叫您的号", en: "Your number is called" })}</div>
          <div class="big" data-testid="called-window">${tr({ zh: `请到 ${this.windowText()}`, en: `Please go to ${this.windowText()}` })}</div>
          ${t.recalls > 0 ? html`<p>${tr({ zh: `已重复叫号 ${t.recalls} 次，请尽快前往。`, en: `Called ${t.recalls + 1} times; please go now.` })}</p>` : ""}
        </div>`;
      case "serving":
        return html`<div part="card" class="card" data-testid="status" data-state="serving">
          <div class="label">${tr({ zh: "正在办理", en: "Being served" })}</div>
          <div class="big">${this.windowText()}</div>
        </div>`;
      case "parked":
        return html`<div part="card" class="card hold" data-testid="status" data-state="parked">
          <div class="label">${tr({ zh: "业务暂缓办理（已挂起）", en: "On hold" })}</div>
          <p data-testid="park-reason">${tr({ zh: "原因：", en: "Reason: " })}${t.parkReason ?? ""}</p>
          ${t.missingDocs.length
            ? html`<p>${tr({ zh: "请补齐以下材料（一次告知）：", en: "Please bring these documents (full list):" })}</p>
                <ul data-testid="missing-docs">${t.missingDocs.map((d) => html`<li>${d}</li>`)}</ul>`
            : ""}
          <p>${tr({ zh: "补齐后请回到窗口，您的排队位置会保留。", en: "When you have them, come back to the window: your place in line is kept." })}</p>
        </div>`;
      case "finished":
        return html`<div part="card" class="card done" data-testid="status" data-state="finished">
          <div class="big">${tr({ zh: "办理完成", en: "All done" })}</div>
          <p>${tr({ zh: "感谢您的耐心等候！", en: "Thank you for your patience!" })}</p>
        </div>`;
      case "noShow":
        return html`<div part="card" class="card bad" data-testid="status" data-state="noShow">
          <div class="big">${tr({ zh: "已过号", en: "Missed call" })}</div>
          <p>${tr({ zh: "叫号时您未到窗口。请到咨询台说明情况，或重新取号。", en: "You were called but did not come. Please see the information desk or take a new ticket." })}</p>
        </div>`;
      default:
        return html`<div part="card" class="card bad" data-testid="status" data-state=${t.state}>
          <div class="big">${tr({ zh: "此号已取消", en: "Ticket cancelled" })}</div>
        </div>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-ticket-status": TicketStatus;
  }
}
