import { LitElement, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { ServiceInfo, StaffingAdvice } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { cardStyles } from "./card-styles.js";

/** Staffing advice, pushed with the queue summary: windows each service needs for its arrivals against the windows serving it. */
@customElement("hc-staffing-panel")
export class StaffingPanel extends LitElement {
  static styles = cardStyles;
  /** The advice of the hall's latest queue summary, and when it was made; null before the first. */
  @property({ attribute: false }) advice: StaffingAdvice[] | null = null;
  @property({ attribute: false }) at: number | null = null;
  @property({ attribute: false }) services: ServiceInfo[] = [];
  private i18n = new LangController(this);

  render() {
    const a = this.advice;
    const row = (id: string) => a?.find((x) => x.serviceId === id);
    return html`<h2>${tr({ zh: "人员配置建议", en: "Staffing advice" })}${a && this.at ? html`<span class="muted" style="font-size:0.85rem">${new Date(this.at).toLocaleTimeString()}</span>` : ""}</h2>
      <table data-testid="staffing">
        <tr>
          <th>${tr({ zh: "事项", en: "Service" })}</th><th class="n">${tr({ zh: "到达/时", en: "Arrivals/h" })}</th>
          <th class="n">${tr({ zh: "办理(分)", en: "Service min" })}</th><th class="n">${tr({ zh: "需要", en: "Needed" })}</th><th class="n">${tr({ zh: "在岗", en: "Serving" })}</th>
        </tr>
        ${this.services.map((s) => {
          const r = row(s.id);
          const cls = r ? (r.shortBy > 0 ? "red" : "green") : "muted";
          return html`<tr>
            <td>${tr(s.name)}</td>
            <td class="n">${r ? r.arrivalsPerHour.toFixed(1) : "—"}</td>
            <td class="n">${r ? r.serviceMin.toFixed(1) : "—"}</td>
            <td class="n ${cls}">${r ? r.needed : "—"}</td>
            <td class="n">${r ? r.servingNow : "—"}</td>
          </tr>`;
        })}
      </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-staffing-panel": StaffingPanel;
  }
}
