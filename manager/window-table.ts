import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { WINDOW_RULES, windowRefusal, type Bilingual, type ServiceInfo, type Ticket, type Window, type WindowCommand } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { bookingTag } from "../web/shared/booking-tag.js";
import { cardStyles } from "./card-styles.js";
import "./serving-editor.js";

export type ManagerWindowCommand = Extract<WindowCommand, "window:open" | "window:pause" | "window:resume" | "window:close">;

const ACTS: { cmd: ManagerWindowCommand; label: Bilingual; tone: string }[] = [
  { cmd: "window:open", label: { zh: "开启", en: "Open" }, tone: "ok" },
  { cmd: "window:pause", label: { zh: "暂停", en: "Pause" }, tone: "" },
  { cmd: "window:resume", label: { zh: "恢复", en: "Resume" }, tone: "ok" },
  { cmd: "window:close", label: { zh: "关闭", en: "Close" }, tone: "" },
];

/**
 * Every window: state, current ticket, served today, staff and the services it serves, with
 * open / pause / resume / close and a services editor.
 * @fires window-command - detail: { name: ManagerWindowCommand, windowId: string }
 * @fires serving-save - from the editor (bubbles through)
 */
@customElement("hc-window-table")
export class WindowTable extends LitElement {
  static styles = [
    cardStyles,
    css`
      .state { display: inline-block; min-width: 3.2em; text-align: center; padding: 0.1rem 0.5rem; border-radius: 999px; font-size: 0.9rem; }
      .state.open { background: #166534; }
      .state.paused { background: #92400e; }
      .state.closed { background: #374151; color: #cbd5e1; }
      .ticket { font-weight: 800; color: var(--hc-accent); font-size: 1.1rem; }
      .serving { font-size: 0.92rem; }
      .serving b { color: var(--hc-accent); font-weight: 600; }
      .acts { display: flex; gap: 0.3rem; flex-wrap: wrap; }
      td.edit { padding: 0.3rem 0.4rem 0.6rem; }
      .why { color: #fcd34d; font-size: 0.85rem; }
      .tag { display: inline-block; padding: 0 0.4rem; border-radius: 6px; background: #6d28d9; font-size: 0.8rem; white-space: nowrap; }
    `,
  ];
  @property({ attribute: false }) windows: Window[] = [];
  @property({ attribute: false }) tickets: Ticket[] = [];
  @property({ attribute: false }) services: ServiceInfo[] = [];
  @property({ type: Boolean }) busy = false;
  /** Window whose services editor is open. */
  @state() private editing: string | null = null;
  private i18n = new LangController(this);

  /** Close the editor (after a successful save). */
  closeEditor(): void {
    this.editing = null;
  }

  private cmd(name: ManagerWindowCommand, windowId: string) {
    this.dispatchEvent(new CustomEvent("window-command", { detail: { name, windowId }, bubbles: true, composed: true }));
  }

  render() {
    const svc = (id: string) => this.services.find((s) => s.id === id);
    const stateText = { open: { zh: "开放", en: "Open" }, paused: { zh: "暂停", en: "Paused" }, closed: { zh: "关闭", en: "Closed" } } as const;
    return html`<h2>${tr({ zh: "窗口", en: "Windows" })}</h2>
      <table @serving-cancel=${() => (this.editing = null)}>
        <tr>
          <th>${tr({ zh: "窗口", en: "Window" })}</th><th>${tr({ zh: "状态", en: "State" })}</th><th>${tr({ zh: "当前号", en: "Ticket" })}</th>
          <th class="n">${tr({ zh: "今日办结", en: "Served" })}</th><th>${tr({ zh: "人员", en: "Staff" })}</th><th>${tr({ zh: "办理事项", en: "Serving" })}</th><th></th>
        </tr>
        ${this.windows.map((w) => {
          const t = w.ticketId ? this.tickets.find((x) => x.id === w.ticketId) : undefined;
          return html`<tr data-testid="window-${w.id}">
              <td>${tr(w.label)}${w.escalation ? html` <span class="muted">${tr({ zh: "（办不成事）", en: " (escalation)" })}</span>` : ""}</td>
              <td><span class="state ${w.state}" data-testid="window-state-${w.id}">${tr(stateText[w.state])}</span>${w.pauseReason ? html`<div class="why">${w.pauseReason}</div>` : ""}</td>
              <td>${t ? html`<span class="ticket">${t.number}</span> <span class="muted">${t.state === "serving" ? tr({ zh: "办理中", en: "serving" }) : tr({ zh: "已叫", en: "called" })}</span>${bookingTag(t) ? html` <span class="tag">${tr(bookingTag(t)!)}</span>` : ""}` : html`<span class="muted">—</span>`}</td>
              <td class="n" data-testid="window-served-${w.id}">${w.servedToday}</td>
              <td>${w.staffId ?? html`<span class="muted">—</span>`}</td>
              <td class="serving" data-testid="window-serving-${w.id}">${w.serving.map((id, i) => (i === 0 ? html`<b>${svc(id) ? tr(svc(id)!.name) : id}</b>` : html`、${svc(id) ? tr(svc(id)!.name) : id}`))}</td>
              <td><div class="acts">
                ${ACTS.map((a) => {
                  // Offered in the window states the server's rule names; disabled while it would refuse (a citizen at the window).
                  if (!WINDOW_RULES[a.cmd].window?.in.includes(w.state)) return "";
                  return html`<button class=${a.tone} ?disabled=${this.busy || windowRefusal(a.cmd, w, t) !== null} @click=${() => this.cmd(a.cmd, w.id)}>${tr(a.label)}</button>`;
                })}
                <button data-testid="edit-serving-${w.id}" @click=${() => (this.editing = this.editing === w.id ? null : w.id)}>${tr({ zh: "调整事项", en: "Services" })}</button>
              </div></td>
            </tr>
            ${this.editing === w.id ? html`<tr><td class="edit" colspan="7"><hc-serving-editor .window=${w} .services=${this.services}></hc-serving-editor></td></tr>` : ""}`;
        })}
      </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-window-table": WindowTable;
  }
}
