import { LitElement, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { cardStyles, light, mins } from "./card-styles.js";
import type { QueueRow } from "./queues.js";

/** Every queue: length, oldest wait and expected wait against the target, coloured. */
@customElement("hc-queue-table")
export class QueueTable extends LitElement {
  static styles = cardStyles;
  @property({ attribute: false }) rows: QueueRow[] = [];
  private i18n = new LangController(this);

  render() {
    return html`<h2>${tr({ zh: "队列", en: "Queues" })}</h2>
      <table>
        <tr>
          <th>${tr({ zh: "事项", en: "Service" })}</th><th class="n">${tr({ zh: "等候", en: "Waiting" })}</th>
          <th class="n">${tr({ zh: "最久", en: "Oldest" })}</th><th class="n">${tr({ zh: "预计", en: "Expected" })}</th>
          <th class="n">${tr({ zh: "目标", en: "Target" })}</th><th class="n">${tr({ zh: "窗口", en: "Windows" })}</th>
        </tr>
        ${this.rows.map(
          (r) => html`<tr data-testid="queue-${r.service.id}">
            <td>${r.service.prefix} ${tr(r.service.name)}</td>
            <td class="n" data-testid="queue-waiting-${r.service.id}">${r.waiting}</td>
            <td class="n ${r.waiting ? light(r.oldestSec, r.service.targetWaitMin) : "muted"}">${r.waiting ? mins(r.oldestSec) : "—"}</td>
            <td class="n ${r.etaSec === null ? "muted" : light(r.etaSec, r.service.targetWaitMin)}">${r.windows === 0 ? tr({ zh: "无窗口", en: "no window" }) : r.etaSec === null ? "—" : mins(r.etaSec)}</td>
            <td class="n muted">${r.service.targetWaitMin}′</td>
            <td class="n">${r.windows}</td>
          </tr>`,
        )}
      </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-queue-table": QueueTable;
  }
}
