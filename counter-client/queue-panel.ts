import { LitElement, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { QueueSummary, ServiceInfo, Ticket, Window } from "../protocol/index.js";
import { LangController, minutes, tr } from "../web/shared/i18n.js";
import { panelStyles } from "./panel-styles.js";

/** Waiting counts and expected waits of the services this window serves, plus tickets sent to it. */
@customElement("hc-queue-panel")
export class QueuePanel extends LitElement {
  static styles = panelStyles;
  @property({ attribute: false }) window: Window | undefined;
  @property({ attribute: false }) services: ServiceInfo[] = [];
  @property({ attribute: false }) tickets: Ticket[] = [];
  @property({ attribute: false }) queue: QueueSummary | null = null;
  private i18n = new LangController(this);

  render() {
    const w = this.window;
    if (!w) return html``;
    const waiting = this.tickets.filter((t) => t.state === "waiting");
    const direct = waiting.filter((t) => t.targetWindowId === w.id).length;
    return html`<h3>${tr({ zh: "本窗口等候", en: "Waiting for this window" })}</h3>
      <table>
        <tr><th>${tr({ zh: "事项", en: "Service" })}</th><th style="text-align:right">${tr({ zh: "等候", en: "Waiting" })}</th><th>${tr({ zh: "预计等待", en: "Expected wait" })}</th></tr>
        ${w.serving.map((id) => {
          const s = this.services.find((x) => x.id === id);
          const n = waiting.filter((t) => t.serviceId === id && !t.targetWindowId).length;
          const etaSec = this.queue?.services[id]?.newTicketEtaSec ?? null;
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
