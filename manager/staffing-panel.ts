import { LitElement, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { ServiceInfo } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { cardStyles } from "./card-styles.js";

/** GET /api/halls/:hallId/staffing */
export interface StaffingAdvice {
  at: number;
  services: { serviceId: string; arrivalsPerHour: number; meanServiceMin: number; windowsNeeded: number; windowsServing: number }[];
}

/** Staffing advice: windows each service needs for its arrivals against the windows serving it. */
@customElement("hc-staffing-panel")
export class StaffingPanel extends LitElement {
  static styles = cardStyles;
  /** null: not available (yet); the table shows "—". */
  @property({ attribute: false }) advice: StaffingAdvice | null = null;
  @property({ attribute: false }) services: ServiceInfo[] = [];
  private i18n = new LangController(this);

  render() {
    const a = this.advice;
    const row = (id: string) => a?.services.find((x) => x.serviceId === id);
    return html`<h2>${tr({ zh: "人员配置建议", en: "Staffing advice" })}${a ? html`<span class="muted" style="font-size:0.85rem">${new Date(a.at).toLocaleTimeString()}</span>` : ""}</h2>
      <table data-testid="staffing">
        <tr>
          <th>${tr({ zh: "事项", en: "Service" })}</th><th class="n">${tr({ zh: "到达/时", en: "Arrivals/h" })}</th>
          <th class="n">${tr({ zh: "办理(分)", en: "Service min" })}</th><th class="n">${tr({ zh: "需要", en: "Needed" })}</th><th class="n">${tr({ zh: "在岗", en: "Serving" })}</th>
        </tr>
        ${this.services.map((s) => {
          const r = row(s.id);
          const cls = r ? (r.windowsServing < r.windowsNeeded ? "red" : r.windowsServing > r.windowsNeeded + 1 ? "amber" : "green") : "muted";
          return html`<tr>
            <td>${tr(s.name)}</td>
            <td class="n">${r ? r.arrivalsPerHour.toFixed(1) : "—"}</td>
            <td class="n">${r ? r.meanServiceMin.toFixed(1) : "—"}</td>
            <td class="n ${cls}">${r ? r.windowsNeeded : "—"}</td>
            <td class="n">${r ? r.windowsServing : "—"}</td>
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
