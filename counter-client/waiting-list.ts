import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { QueueSummary, ServiceInfo, Ticket, Window } from "../protocol/index.js";
import { LangController, minutes, tr } from "../web/shared/i18n.js";
import { bookingTag } from "../web/shared/booking-tag.js";
import { panelStyles } from "./panel-styles.js";

export interface WaitingRow {
  number: string;
  serviceId: string;
  etaSec: number | null;
  /** The ticket, when the page knows it (its id, 预约); a ticket issued since the last read is not known yet. */
  ticket: Ticket | undefined;
}

/**
 * The waiting tickets this window may call, in the order the hall's queue summary expects them
 * to be called: the services it serves first, then the others it is qualified for. The summary
 * names tickets by number; `known` gives each one's ticket. A ticket sent to another window is
 * left out (only that window may call it).
 */
export function waitingRows(w: Window, q: QueueSummary | null, known: ReadonlyMap<string, Ticket>): WaitingRow[] {
  if (!q) return [];
  const services = [...w.serving, ...w.qualified.filter((id) => !w.serving.includes(id))];
  return services.flatMap((serviceId) => {
    const s = q.services[serviceId];
    if (!s) return [];
    return s.order.flatMap((number, i) => {
      const ticket = known.get(number);
      if (ticket && (ticket.state !== "waiting" || (ticket.targetWindowId && ticket.targetWindowId !== w.id))) return [];
      return [{ number, serviceId, etaSec: s.etaSec[i] ?? null, ticket }];
    });
  });
}

/**
 * 等候名单: who waits for this window, 预约 marked with its slot, each with 指定叫号 to call that
 * citizen now (a booked citizen who is here, for instance).
 * @fires call-ticket - detail: { ticketId: string }
 */
@customElement("hc-waiting-list")
export class WaitingList extends LitElement {
  static styles = [
    panelStyles,
    css`
      :host { flex: none; }
      .list { overflow: auto; max-height: 300px; }
      table { font-size: 1.05rem; }
      tr.svc td { color: var(--hc-muted); font-size: 0.92rem; padding-top: 0.45rem; border-bottom: 1px solid #ffffff1a; }
      td.num { font-size: 1.25rem; font-weight: 700; font-variant-numeric: tabular-nums; width: 4.2em; }
      td.eta { color: var(--hc-muted); font-size: 0.95rem; white-space: nowrap; }
      td.act { text-align: right; width: 1%; white-space: nowrap; }
      .tag { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 6px; background: #6d28d9; color: #f5f3ff; font-size: 0.95rem; white-space: nowrap; }
      .tag.late { background: #9a3412; color: #ffedd5; }
      button { font: inherit; font-size: 1rem; min-height: 40px; padding: 0 0.7rem; border: 0; border-radius: 8px; background: #1d4ed8; color: #fff; cursor: pointer; }
      button:disabled { background: #334155; color: #94a3b8; cursor: not-allowed; }
      .why { color: var(--hc-muted); font-size: 0.9rem; margin: 0.2rem 0 0; }
    `,
  ];
  @property({ attribute: false }) window: Window | undefined;
  @property({ attribute: false }) services: ServiceInfo[] = [];
  @property({ attribute: false }) rows: WaitingRow[] = [];
  /** Whether 指定叫号 can be pressed now: the window open and idle (WINDOW_RULES), nothing on its way. */
  @property({ type: Boolean }) canCall = false;
  private i18n = new LangController(this);

  render() {
    const w = this.window;
    if (!w) return html``;
    let last = "";
    const name = (id: string) => tr(this.services.find((s) => s.id === id)?.name ?? { zh: id, en: id });
    return html`<h3>${tr({ zh: `等候名单（${this.rows.length}）`, en: `Waiting list (${this.rows.length})` })}</h3>
      ${this.rows.length === 0
        ? html`<p class="empty">${tr({ zh: "暂无等候的群众", en: "Nobody is waiting" })}</p>`
        : html`<div class="list"><table data-testid="waiting-list">
            ${this.rows.map((r) => {
              const head = r.serviceId !== last ? html`<tr class="svc"><td colspan="4">${name(r.serviceId)}</td></tr>` : "";
              last = r.serviceId;
              const tag = r.ticket ? bookingTag(r.ticket) : null;
              return html`${head}<tr data-testid="waiting-ticket-${r.number}">
                <td class="num">${r.number}</td>
                <td>${tag ? html`<span class="tag ${r.ticket?.appointment?.onTime ? "" : "late"}" data-testid="waiting-tag-${r.number}">${tr(tag)}</span>` : ""}</td>
                <td class="eta">${r.etaSec === null ? "—" : minutes(r.etaSec)}</td>
                <td class="act"><button data-testid="call-ticket-${r.number}" ?disabled=${!this.canCall || !r.ticket}
                  title=${this.canCall ? "" : tr({ zh: "窗口开放且空闲时可指定叫号", en: "Possible while the window is open and free" })}
                  @click=${() => r.ticket && this.dispatchEvent(new CustomEvent("call-ticket", { detail: { ticketId: r.ticket.id }, bubbles: true, composed: true }))}>${tr({ zh: "指定叫号", en: "Call now" })}</button></td>
              </tr>`;
            })}
          </table></div>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-waiting-list": WaitingList;
  }
}
