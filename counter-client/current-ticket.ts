import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { PriorityClassInfo, ServiceInfo, Ticket, TicketHolder, Window } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { bookingTag } from "../web/shared/booking-tag.js";
import { bundleSteps } from "../web/shared/bundle-steps.js";

export const clock = (sec: number): string => {
  const s = Math.max(0, Math.floor(sec));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

/**
 * The ticket at this window, big: number, service, priority, how long the citizen waited, and
 * how long the service has taken; a booking's 预约 slot and its holder's full name, which the
 * server gives only to the window handling it; a 一件事 bundle's steps, as the citizen's tracker
 * shows them. Shows the window's state when there is no ticket.
 */
@customElement("hc-current-ticket")
export class CurrentTicket extends LitElement {
  static styles = css`
    :host { display: block; background: var(--hc-panel); border-radius: var(--hc-radius); padding: 1rem 1.4rem; min-height: 250px; }
    .top { display: flex; align-items: baseline; justify-content: space-between; gap: 1rem; }
    .state { font-size: 1.25rem; padding: 0.2rem 0.8rem; border-radius: 999px; background: #1e3a66; }
    .state.called { background: #92400e; }
    .state.serving { background: #166534; }
    .number { font-size: 6.5rem; font-weight: 800; letter-spacing: 0.04em; line-height: 1.05; color: var(--hc-accent); font-variant-numeric: tabular-nums; }
    .service { font-size: 1.7rem; }
    .prio { display: inline-block; margin-left: 0.6rem; padding: 0.1rem 0.6rem; border-radius: 6px; background: #15803d; font-size: 1.3rem; }
    .meta { display: flex; gap: 2rem; margin-top: 0.6rem; font-size: 1.2rem; color: var(--hc-muted); }
    .meta b { color: var(--hc-fg); font-variant-numeric: tabular-nums; }
    .tag { display: inline-block; margin-left: 0.6rem; padding: 0.1rem 0.6rem; border-radius: 6px; background: #6d28d9; color: #f5f3ff; font-size: 1.3rem; }
    .tag.late { background: #9a3412; color: #ffedd5; }
    .holder { margin-top: 0.5rem; font-size: 1.35rem; }
    .holder b { font-size: 1.6rem; color: var(--hc-fg); }
    .holder .phone { color: var(--hc-muted); margin-left: 0.8rem; font-variant-numeric: tabular-nums; }
    .docs { margin-top: 0.5rem; color: #fcd34d; font-size: 1.05rem; }
    .steps { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem; margin-top: 0.5rem; font-size: 1.1rem; }
    .step { padding: 0.1rem 0.6rem; border-radius: 6px; background: #1e293b; color: var(--hc-muted); }
    .step.done { background: #14532d; color: #bbf7d0; }
    .step.now { background: #1e3a66; color: var(--hc-fg); font-weight: 700; outline: 2px solid var(--hc-accent); }
    .idle { font-size: 2rem; color: var(--hc-muted); padding: 2.5rem 0 1rem; }
    .paused { color: #fcd34d; }
  `;
  @property({ attribute: false }) ticket: Ticket | undefined;
  @property({ attribute: false }) window: Window | undefined;
  @property({ attribute: false }) services: ServiceInfo[] = [];
  @property({ attribute: false }) priorityClasses: PriorityClassInfo[] = [];
  /** The booking's holder (full name) for this very ticket, once the server has said; else null. */
  @property({ attribute: false }) holder: TicketHolder | null = null;
  /** Current time (ms), ticking from the page. */
  @property({ type: Number }) now = Date.now();
  private i18n = new LangController(this);

  /** The bundle's services in order: those done, the one at this window, those to come. */
  private renderSteps(t: Ticket) {
    const steps = bundleSteps(t);
    if (!steps.length) return "";
    const name = (id: string) => {
      const svc = this.services.find((s) => s.id === id);
      return svc ? tr(svc.name) : id;
    };
    return html`<div class="steps" data-testid="bundle-steps">
      ${tr({ zh: "一件事：", en: "Bundle: " })}
      ${steps.map((s, i) => html`${i ? "→" : ""}<span class="step ${s.state === "done" ? "done" : s.index === t.bundleStep ? "now" : ""}" data-testid="bundle-step" data-state=${s.state}>${s.state === "done" ? "✓ " : ""}${name(s.serviceId)}</span>`)}
    </div>`;
  }

  render() {
    const t = this.ticket;
    const w = this.window;
    if (!t) {
      const text =
        w?.state === "paused"
          ? html`<span class="paused">${tr({ zh: "窗口已暂停", en: "Window paused" })}${w.pauseReason ? `：${w.pauseReason}` : ""}</span>`
          : w?.state === "closed"
            ? tr({ zh: "窗口已关闭", en: "Window closed" })
            : tr({ zh: "空闲，请按「叫号」(F1)", en: "Free: press Call next (F1)" });
      return html`<div class="top"><span>${tr({ zh: "当前号", en: "Current ticket" })}</span></div><div class="idle" data-testid="idle">${text}</div>`;
    }
    const svc = this.services.find((s) => s.id === t.serviceId);
    const prio = this.priorityClasses.find((p) => p.id === t.priority);
    const waited = ((t.calledAt ?? this.now) - t.arrivedAt) / 1000;
    const tag = bookingTag(t);
    const holder = this.holder?.ticketId === t.id ? this.holder : null;
    return html`
      <div class="top">
        <span>${tr({ zh: "当前号", en: "Current ticket" })}</span>
        <span class="state ${t.state}" data-testid="ticket-state">${t.state === "called" ? tr({ zh: `已叫号${t.recalls ? `（重呼 ${t.recalls} 次）` : ""}`, en: `Called${t.recalls ? ` (recalled ${t.recalls}×)` : ""}` }) : tr({ zh: "办理中", en: "In service" })}</span>
      </div>
      <div class="number" data-testid="current-number">${t.number}</div>
      <div class="service">${svc ? tr(svc.name) : t.serviceId}${prio && prio.rank > 0 ? html`<span class="prio" data-testid="priority">${tr(prio.name)}</span>` : ""}${tag ? html`<span class="tag ${t.appointment?.onTime ? "" : "late"}" data-testid="booking-tag">${tr(tag)}</span>` : ""}</div>
      ${t.appointment
        ? html`<div class="holder">${tr({ zh: "预约人：", en: "Booked by: " })}<b data-testid="holder-name">${holder?.name ?? t.appointment.name}</b>${holder ? html`<span class="phone" data-testid="holder-phone">${holder.phone}</span>` : ""}</div>`
        : ""}
      <div class="meta">
        <span>${tr({ zh: "已等候", en: "Waited" })} <b>${clock(waited)}</b></span>
        ${t.servingAt ? html`<span>${tr({ zh: "办理用时", en: "In service for" })} <b>${clock((this.now - t.servingAt) / 1000)}</b></span>` : ""}
        ${t.bundle.length > 1 ? html`<span>${tr({ zh: "一件事", en: "Bundle" })} <b>${t.bundleStep + 1}/${t.bundle.length}</b></span>` : ""}
      </div>
      ${this.renderSteps(t)}
      ${t.missingDocs.length ? html`<div class="docs">${tr({ zh: "曾告知缺少：", en: "Was missing: " })}${t.missingDocs.join("、")}</div>` : ""}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-current-ticket": CurrentTicket;
  }
}
