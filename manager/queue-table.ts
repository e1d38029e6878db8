import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { QueueSummary, Ticket, Window } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { bookingTag } from "../web/shared/booking-tag.js";
import { cardStyles, light, mins } from "./card-styles.js";
import { callableWindows } from "./queues.js";
import type { QueueRow } from "./queues.js";

/**
 * Every queue: length, oldest wait and expected wait against the target, coloured. A queue opens
 * to its waiting tickets in expected call order, each with 指定叫号 to call it to a free window.
 * @fires call-ticket - detail: { ticketId: string }
 */
@customElement("hc-queue-table")
export class QueueTable extends LitElement {
  static styles = [
    cardStyles,
    css`
      td.list { padding: 0.2rem 0.4rem 0.5rem 1.2rem; background: #0b1f3a; }
      .tickets { max-height: 280px; overflow: auto; display: grid; gap: 0.15rem; }
      .t { display: grid; grid-template-columns: 4em 1fr auto auto; align-items: center; gap: 0.6rem; min-height: 34px; }
      .t b { font-variant-numeric: tabular-nums; }
      .t .tag { justify-self: start; padding: 0 0.45rem; border-radius: 6px; background: #6d28d9; font-size: 0.85rem; white-space: nowrap; }
      .t .tag.late { background: #9a3412; }
      .t .muted { font-size: 0.88rem; white-space: nowrap; }
      .t button { min-height: 30px; padding: 0 0.6rem; font-size: 0.88rem; white-space: nowrap; }
      button.open-list { min-height: 30px; padding: 0 0.55rem; font-size: 0.85rem; }
    `,
  ];
  @property({ attribute: false }) rows: QueueRow[] = [];
  /** The hall's tickets and windows (the snapshot), for the waiting lists and the windows free to call. */
  @property({ attribute: false }) tickets: Ticket[] = [];
  @property({ attribute: false }) windows: Window[] = [];
  @property({ attribute: false }) queue: QueueSummary | null = null;
  @property({ type: Boolean }) busy = false;
  @state() private open = new Set<string>();
  private i18n = new LangController(this);

  private toggle(id: string) {
    const open = new Set(this.open);
    if (!open.delete(id)) open.add(id);
    this.open = open;
  }

  /** The service's waiting tickets in the summary's expected call order (any it does not list yet, by arrival, last). */
  private waiting(serviceId: string): Ticket[] {
    const order = this.queue?.services[serviceId]?.order ?? [];
    const at = (t: Ticket) => {
      const i = order.indexOf(t.number);
      return i < 0 ? order.length : i;
    };
    return this.tickets.filter((t) => t.state === "waiting" && t.serviceId === serviceId).sort((a, b) => at(a) - at(b) || a.arrivedAt - b.arrivedAt);
  }

  render() {
    const label = (id: string) => {
      const w = this.windows.find((x) => x.id === id);
      return w ? tr(w.label) : id;
    };
    return html`<h2>${tr({ zh: "队列", en: "Queues" })}</h2>
      <table>
        <tr>
          <th>${tr({ zh: "事项", en: "Service" })}</th><th class="n">${tr({ zh: "等候", en: "Waiting" })}</th>
          <th class="n">${tr({ zh: "最久", en: "Oldest" })}</th><th class="n">${tr({ zh: "预计", en: "Expected" })}</th>
          <th class="n">${tr({ zh: "目标", en: "Target" })}</th><th class="n">${tr({ zh: "窗口", en: "Windows" })}</th><th></th>
        </tr>
        ${this.rows.map((r) => {
          const open = this.open.has(r.service.id);
          return html`<tr data-testid="queue-${r.service.id}">
              <td>${r.service.prefix} ${tr(r.service.name)}</td>
              <td class="n" data-testid="queue-waiting-${r.service.id}">${r.waiting}</td>
              <td class="n ${r.waiting ? light(r.oldestSec, r.service.targetWaitMin) : "muted"}">${r.waiting ? mins(r.oldestSec) : "—"}</td>
              <td class="n ${r.etaSec === null ? "muted" : light(r.etaSec, r.service.targetWaitMin)}">${r.windows === 0 ? tr({ zh: "无窗口", en: "no window" }) : r.etaSec === null ? "—" : mins(r.etaSec)}</td>
              <td class="n muted">${r.service.targetWaitMin}′</td>
              <td class="n">${r.windows}</td>
              <td class="n"><button class="open-list" data-testid="queue-list-${r.service.id}" aria-expanded=${open} ?disabled=${!r.waiting && !open} @click=${() => this.toggle(r.service.id)}>${open ? tr({ zh: "收起", en: "Hide" }) : tr({ zh: "名单", en: "List" })}</button></td>
            </tr>
            ${open ? html`<tr><td class="list" colspan="7">${this.list(r.service.id, label)}</td></tr>` : ""}`;
        })}
      </table>`;
  }

  private list(serviceId: string, label: (id: string) => string) {
    const tickets = this.waiting(serviceId);
    if (tickets.length === 0) return html`<span class="muted">${tr({ zh: "暂无等候", en: "Nobody waiting" })}</span>`;
    const now = this.queue?.at ?? Date.now();
    return html`<div class="tickets" data-testid="queue-tickets-${serviceId}">
      ${tickets.map((t) => {
        const tag = bookingTag(t);
        const free = callableWindows(t, this.windows).length > 0;
        return html`<div class="t" data-testid="queue-ticket-${t.number}">
          <b>${t.number}</b>
          <span>${tag ? html`<span class="tag ${t.appointment?.onTime ? "" : "late"}">${tr(tag)}</span>` : ""}</span>
          <span class="muted">${t.targetWindowId ? tr({ zh: `转${label(t.targetWindowId)}`, en: `to ${label(t.targetWindowId)}` }) : tr({ zh: `已等 ${mins((now - t.queuedAt) / 1000)}`, en: `waited ${mins((now - t.queuedAt) / 1000)}` })}</span>
          <button data-testid="console-call-${t.number}" ?disabled=${this.busy || !free} title=${free ? "" : tr({ zh: "没有开放且空闲的窗口可以办理", en: "No open, free window can take it" })}
            @click=${() => this.dispatchEvent(new CustomEvent("call-ticket", { detail: { ticketId: t.id }, bubbles: true, composed: true }))}>${tr({ zh: "指定叫号", en: "Call now" })}</button>
        </div>`;
      })}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-queue-table": QueueTable;
  }
}
