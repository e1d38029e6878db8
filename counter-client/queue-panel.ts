import { LitElement, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { QueueSummary, ServiceInfo, Window } from "../protocol/index.js";
import { LangController, minutes, tr } from "../web/shared/i18n.js";
import { panelStyles } from "./panel-styles.js";

/** Waiting counts and expected waits of the services this window serves, plus tickets sent to it, from the hall's queue summary. */
@customElement("hc-queue-panel")
export class QueuePanel extends LitElement {
  static styles = panelStyles;
  @property({ attribute: false }) window: Window | undefined;
  @property({ attribute: false }) services: ServiceInfo[] = [];
  @property({ attribute: false }) queue: QueueSummary | null = null;
  private i18n = new LangController(this);

  render() {
    const w = this.window;
    if (!w) return html``;
    const direct = this.queue?.sentTo[w.id] ?? 0;
    return html`<h3>${tr({ zh: "本窗口等候", en: "Waiting for this window" })}</h3>
      <table>
        <tr><th>${tr({ zh: "事项", en: "Service" })}</th><th style="text-align:right">${tr({ zh: "等候", en: "Waiting" })}</th><th>${tr({ zh: "预计等待", en: "Expected wait" })}</th></tr>
        ${w.serving.map((id) => {
          const s = this.services.find((x) => x.id === id);
          const q = this.queue?.services[id];
          const n = q ? String(q.waiting) : "—";
          const etaSec = q?.newTicketEtaSec ?? null;
          const eta = etaSec === null ? "—" : minutes(etaSec);
          return html`<tr data-testid="queue-${id}"><td>${s ? tr(s.name) : id}</td><td class="n" data-testid="waiting-${id}">${n}</td><td>${eta}</td></tr>`;
        })}
        ${direct ? html`<tr><td>${tr({ zh: "转给本窗口", en: "Sent to this window" })}</td><td class="n">${direct}</td><td></td></tr>` : ""}
      </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-queue-panel": QueuePanel;
  }
}
