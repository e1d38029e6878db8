import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { RATING_LABELS, type Bilingual, type HallSnapshot, type Ticket } from "../protocol/index.js";
import { bundleSteps, stepsDone, type BundleStepState } from "../web/shared/bundle-steps.js";
import { LangController, tr } from "../web/shared/i18n.js";

const WORDS: Record<BundleStepState, Bilingual> = {
  done: { zh: "已办完", en: "Done" },
  waiting: { zh: "排队中", en: "In line" },
  called: { zh: "正在叫号", en: "Called" },
  serving: { zh: "正在办理", en: "Being served" },
  parked: { zh: "暂缓办理", en: "On hold" },
  upcoming: { zh: "待办理", en: "To come" },
  noShow: { zh: "已过号", en: "Missed" },
  cancelled: { zh: "已取消", en: "Cancelled" },
  dropped: { zh: "未办理", en: "Not reached" },
};

/**
 * 一件事 progress (公开透明的进度条): every service of a bundle ticket in order, done, the one in
 * hand (in line, called, being served, on hold with what it still needs) and those to come, as
 * `bundleSteps` reads them from the server's ticket. Nothing for a ticket of one service.
 * @csspart steps - the list of steps
 */
@customElement("hc-bundle-progress")
export class BundleProgress extends LitElement {
  static styles = css`
    :host { display: block; }
    .card { border-radius: 18px; padding: 18px 20px; background: var(--hc-panel); }
    h2 { margin: 0; font-size: 20px; display: flex; justify-content: space-between; gap: 8px; }
    h2 span { color: var(--hc-muted); font-weight: 400; font-size: 17px; }
    ol { list-style: none; margin: 12px 0 0; padding: 0; }
    ol > li { position: relative; display: grid; grid-template-columns: 36px 1fr; column-gap: 12px; padding-bottom: 14px; }
    ol > li:last-child { padding-bottom: 0; }
    ol > li:not(:last-child)::before { content: ""; position: absolute; left: 17px; top: 36px; bottom: 0; width: 2px; background: #475569; }
    ol > li.done:not(:last-child)::before { background: #22c55e; }
    .dot { width: 36px; height: 36px; border-radius: 50%; display: grid; place-content: center; font-weight: 800; font-size: 18px; background: #334155; color: #cbd5e1; }
    .done .dot { background: #16a34a; color: #fff; }
    .now .dot { background: var(--hc-accent); color: #0b1f3a; box-shadow: 0 0 0 4px #fbbf2455; }
    .parked .dot { background: #b45309; color: #fff; }
    .ended .dot { background: #7f1d1d; color: #fff; }
    .name { font-size: 20px; font-weight: 700; line-height: 36px; }
    .word { font-size: 16px; color: var(--hc-muted); }
    .now .word { color: var(--hc-accent); font-weight: 700; }
    .parked .word { color: #fcd34d; }
    .needs { grid-column: 2; margin-top: 6px; font-size: 17px; line-height: 1.5; color: #fde68a; }
  `;
  @property({ attribute: false }) ticket!: Ticket;
  /** The hall's services, for their names; the id is shown until they are read. */
  @property({ attribute: false }) services: HallSnapshot["services"] = [];
  private i18n = new LangController(this);

  render() {
    const steps = bundleSteps(this.ticket);
    if (!steps.length) return "";
    const name = (id: string) => {
      const s = this.services.find((x) => x.id === id);
      return s ? tr(s.name) : id;
    };
    // Each step is rated at its window's pad as it ends: what the citizen gave there, if anything.
    const rated = (index: number) => {
      const r = this.ticket.served.find((x) => x.step === index)?.rating;
      return r ? html` · <span data-testid="bundle-step-rating">${tr({ zh: "窗口评价：", en: "Rated: " })}${tr(RATING_LABELS[r]!)}</span>` : "";
    };
    return html`<div class="card" data-testid="bundle-progress">
      <h2>${tr({ zh: "一件事办理进度", en: "Your matter, step by step" })}<span data-testid="bundle-done">${tr({ zh: `已办完 ${stepsDone(steps)}/${steps.length} 项`, en: `${stepsDone(steps)} of ${steps.length} done` })}</span></h2>
      <ol part="steps">
        ${steps.map((s) => {
          const cls = s.state === "done" ? "done" : s.state === "parked" ? "parked now" : s.state === "waiting" || s.state === "called" || s.state === "serving" ? "now" : s.state === "noShow" || s.state === "cancelled" ? "ended" : "";
          return html`<li class=${cls} data-testid="bundle-step" data-state=${s.state} aria-current=${cls.includes("now") ? "step" : "false"}>
            <span class="dot">${s.state === "done" ? "✓" : s.index + 1}</span>
            <div><div class="name">${name(s.serviceId)}</div><div class="word" data-testid="bundle-step-state">${tr(WORDS[s.state])}${rated(s.index)}</div></div>
            ${s.state === "parked"
              ? html`<div class="needs" data-testid="bundle-step-needs">
                  ${s.parkReason ? html`<div>${tr({ zh: "原因：", en: "Reason: " })}${s.parkReason}</div>` : ""}
                  ${s.missingDocs.length ? html`<div>${tr({ zh: "还需补齐：", en: "Still needed: " })}${s.missingDocs.map((d, i) => html`${i ? tr({ zh: "、", en: ", " }) : ""}<span class="doc" data-testid="bundle-step-doc">${d}</span>`)}</div>` : ""}
                </div>`
              : ""}
          </li>`;
        })}
      </ol>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-bundle-progress": BundleProgress;
  }
}
