import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { LangController, minutes, tr } from "../../web/shared/i18n.js";
import type { Bilingual } from "../../protocol/index.js";

export interface ServiceQueueView {
  id: string;
  name: Bilingual;
  /** Null before the hall's first queue summary. */
  waiting: number | null;
  etaSec: number | null;
  /** Open windows serving it now; 0 means no expected wait can be promised. */
  windows: number | null;
  /** While closed, the server's notice ("暂停取号，周六 09:00 开始办理"). */
  notice: Bilingual | null;
}

/** Per service: how many are waiting and the expected wait of a ticket taken now; a closed service's notice instead of the wait. */
@customElement("hc-service-queues")
export class ServiceQueues extends LitElement {
  static styles = css`
    :host { display: grid; grid-template-columns: repeat(auto-fit, minmax(11vw, 1fr)); gap: 0.8vw; height: 100%; }
    .svc { border-radius: 1.2vh; background: var(--hc-panel); padding: 1vh 0.8vw; display: flex; flex-direction: column; justify-content: space-between; min-width: 0; }
    .name { font-size: clamp(14px, 2.7vh, 80px); font-weight: 700; line-height: 1.15; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; overflow-wrap: anywhere; }
    .waiting { font-size: clamp(16px, 3vh, 90px); color: var(--hc-muted); }
    .waiting b { font-size: clamp(28px, 6.5vh, 190px); color: var(--hc-fg); font-variant-numeric: tabular-nums; margin: 0 0.2em; }
    .eta { font-size: clamp(14px, 2.7vh, 80px); color: var(--hc-accent); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .notice { font-size: clamp(12px, 2vh, 60px); line-height: 1.2; color: #fca5a5; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
  `;
  @property({ attribute: false }) services: ServiceQueueView[] = [];
  private i18n = new LangController(this);

  private eta(s: ServiceQueueView): string {
    // Tiles are narrow when a hall has many services: short words only.
    if (s.windows === 0) return tr({ zh: "暂无窗口", en: "No window" });
    if (s.etaSec === null) return "\u00a0";
    return Math.round(s.etaSec / 60) < 1 ? tr({ zh: "无需等待", en: "No wait" }) : minutes(s.etaSec);
  }

  render() {
    return this.services.map(
      (s) => html`<div class="svc" data-testid="service-queue" data-service=${s.id}>
        <div class="name">${tr(s.name)}</div>
        <div class="waiting">${tr({ zh: "等候", en: "Waiting" })}<b data-testid="waiting-count">${s.waiting ?? "—"}</b>${tr({ zh: "人", en: "" })}</div>
        ${s.notice ? html`<div class="notice" data-testid="service-notice">${tr(s.notice)}</div>` : html`<div class="eta">${this.eta(s)}</div>`}
      </div>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-service-queues": ServiceQueues;
  }
}
