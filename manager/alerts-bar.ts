import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { LangController, tr } from "../web/shared/i18n.js";
import type { QueueRow } from "./queues.js";

/** Alerts for services past their target wait; a calm line when every queue is within target. */
@customElement("hc-alerts-bar")
export class AlertsBar extends LitElement {
  static styles = css`
    :host { display: block; }
    .ok { padding: 0.55rem 1rem; border-radius: var(--hc-radius); background: #14532d; color: #dcfce7; font-size: 1.1rem; }
    ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem; }
    li { padding: 0.55rem 1rem; border-radius: var(--hc-radius); background: #7f1d1d; color: #fee2e2; font-size: 1.1rem; font-weight: 600; }
  `;
  @property({ attribute: false }) rows: QueueRow[] = [];
  private i18n = new LangController(this);

  render() {
    const over = this.rows.filter((r) => r.overTarget);
    if (!over.length) return html`<div class="ok" data-testid="alerts-none">${tr({ zh: "所有事项等候均在目标时间内", en: "Every queue is within its target wait" })}</div>`;
    return html`<ul role="alert">
      ${over.map((r) => {
        const m = Math.round(Math.max(r.oldestSec, r.etaSec ?? 0) / 60);
        const text =
          r.windows === 0
            ? { zh: `${r.service.name.zh} 有 ${r.waiting} 人等候，但没有窗口在办理`, en: `${r.service.name.en}: ${r.waiting} waiting and no window serves it` }
            : {
                zh: `${r.service.name.zh} 等候约 ${m} 分钟，超过目标 ${r.service.targetWaitMin} 分钟（${r.waiting} 人等候，${r.windows} 个窗口）`,
                en: `${r.service.name.en}: about ${m} min wait, target ${r.service.targetWaitMin} min (${r.waiting} waiting, ${r.windows} windows)`,
              };
        return html`<li data-testid="alert-${r.service.id}">⚠ ${tr(text)}</li>`;
      })}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-alerts-bar": AlertsBar;
  }
}
