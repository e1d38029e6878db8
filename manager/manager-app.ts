import { LitElement, css, html } from "lit";
import { customElement, query, state } from "lit/decorators.js";
import type { BalancerMode, Bilingual, HallEvent, Ticket } from "../protocol/index.js";
import { HallConnection } from "../web/shared/hall-connection.js";
import { errorText } from "../web/shared/plain-errors.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { param } from "../web/shared/params.js";
import { endSession, loadSession, saveSession, SIGN_IN_AGAIN, type StaffSession } from "../web/shared/session.js";
import "../web/shared/connection-badge.js";
import "../web/shared/lang-switch.js";
import "../web/shared/sign-in.js";
import "../web/shared/call-ticket-dialog.js";
import type { CallTicketDetail } from "../web/shared/call-ticket-dialog.js";
import { bookingTag } from "../web/shared/booking-tag.js";
import "./alerts-bar.js";
import "./balancer-panel.js";
import "./bookings-panel.js";
import "./figures-panel.js";
import "./hours-editor.js";
import "./follow-ups-panel.js";
import "./cases-panel.js";
import "./webhooks-panel.js";
import "./audit-panel.js";
import "./queue-table.js";
import "./staffing-panel.js";
import "./window-table.js";
import { callableWindows, queueRows } from "./queues.js";
import type { ManagerWindowCommand, WindowTable } from "./window-table.js";

const APP = "manager";

type Tab = "live" | "bookings" | "hours" | "cases" | "followUps" | "audit" | "webhooks";
const TABS: { id: Tab; label: Bilingual }[] = [
  { id: "live", label: { zh: "现场", en: "Live" } },
  { id: "bookings", label: { zh: "今日预约", en: "Today's bookings" } },
  { id: "hours", label: { zh: "办理时间", en: "Hours" } },
  { id: "cases", label: { zh: "工单", en: "Cases" } },
  { id: "followUps", label: { zh: "回访整改", en: "Follow-ups" } },
  { id: "audit", label: { zh: "操作日志", en: "Audit trail" } },
  { id: "webhooks", label: { zh: "数据推送", en: "Webhooks" } },
];

/**
 * 大厅管理台: windows, queues against their targets (and 指定叫号 from a queue's list), alerts,
 * the balancer and its suggestions, staffing advice and today's figures, for a signed-in manager;
 * on their own tabs, the day's bookings and the hall's hours.
 */
@customElement("hc-manager-app")
export class ManagerApp extends LitElement {
  static styles = css`
    :host { display: flex; flex-direction: column; min-height: 100vh; color: var(--hc-fg); }
    header { display: flex; align-items: center; gap: 1rem; padding: 0.5rem 1.2rem; background: #081629; min-height: 56px; }
    header h1 { margin: 0; font-size: 1.3rem; flex: 1; }
    nav { display: flex; gap: 0.3rem; padding: 0.5rem 1.2rem 0; }
    nav button { font: inherit; min-height: 40px; padding: 0 1.1rem; border: 1px solid #ffffff30; border-bottom: 0; border-radius: 10px 10px 0 0; background: #0d2647; color: var(--hc-muted); cursor: pointer; }
    nav button[aria-selected="true"] { background: var(--hc-panel); color: var(--hc-fg); border-color: var(--hc-accent); font-weight: 700; }
    nav .alarm { margin-left: 0.4em; padding: 0 0.45em; border-radius: 999px; background: var(--hc-bad, #d9534f); color: #fff; font-size: 0.85em; font-weight: 700; }
    [hidden] { display: none !important; }
    .page { padding: 0.7rem 1.2rem 1.2rem; }
    header .who { color: var(--hc-muted); }
    header a.link { color: var(--hc-fg); text-decoration: none; min-height: 40px; padding: 0 1rem; border-radius: 999px; border: 1px solid var(--hc-accent); display: inline-flex; align-items: center; }
    header button { font: inherit; min-height: 40px; padding: 0 1rem; border-radius: 999px; border: 1px solid var(--hc-muted); background: transparent; color: var(--hc-fg); cursor: pointer; }
    main { display: grid; grid-template-columns: minmax(0, 1.55fr) minmax(0, 1fr); gap: 0.8rem; padding: 0.7rem 1.2rem 1.2rem; }
    .full { grid-column: 1 / -1; }
    .col { display: flex; flex-direction: column; gap: 0.8rem; min-width: 0; }
    .center { flex: 1; display: grid; place-items: center; }
    .msg { position: fixed; top: 0.5rem; left: 50%; transform: translateX(-50%); padding: 0.6rem 1.2rem; border-radius: 8px; font-size: 1.1rem; z-index: 20; }
    .msg.error { background: #7f1d1d; color: #fee2e2; }
    .msg.ok { background: #14532d; color: #dcfce7; }
    .msg.pending { background: #78350f; color: #fef3c7; }
  `;
  private hallId = param("hall", "demo");
  @state() private session: StaffSession | null = loadSession(this.hallId, APP);
  @state() private busy = false;
  /** Kept bilingual so a language switch re-renders it. */
  @state() private message: { kind: "ok" | "error"; text: Bilingual | string } | null = null;
  @state() private now = Date.now();
  @state() private tab: Tab = "live";
  /** The waiting ticket the 指定叫号 dialog is for. */
  @state() private chosen: Ticket | null = null;
  /** Hall events of booked tickets so far: the bookings panel reads the day again when it changes. */
  @state() private bookingEvents = 0;
  /** Overdue follow-ups, as the follow-ups panel last read them: the tab shows the alarm on every tab. */
  @state() private overdueFollowUps = 0;
  /** Overdue cases, as the case board last read them (the same alarm on its tab). */
  @state() private overdueCases = 0;
  @query("hc-window-table") private windowTable!: WindowTable;
  private i18n = new LangController(this);
  private timers: ReturnType<typeof setInterval>[] = [];
  private messageTimer: ReturnType<typeof setTimeout> | null = null;

  readonly conn = new HallConnection(this, {
    auth: () => (this.session ? { role: "manager", hallId: this.hallId, token: this.session.token } : null),
    onEvent: (e: HallEvent) => {
      if ("ticket" in e && e.ticket.channel === "appointment") this.bookingEvents += 1;
    },
  });

  connectedCallback(): void {
    super.connectedCallback();
    this.timers.push(setInterval(() => (this.now = Date.now()), 5_000));
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.timers.forEach(clearInterval);
    this.timers = [];
  }

  private flash(kind: "ok" | "error", text: Bilingual | string) {
    this.message = { kind, text };
    if (this.messageTimer) clearTimeout(this.messageTimer);
    this.messageTimer = setTimeout(() => (this.message = null), kind === "error" ? 8_000 : 3_000);
  }

  /** One command at a time, retried by the connection with its commandId until the answer is definite. */
  private async send(name: Parameters<HallConnection["send"]>[0], payload: Record<string, unknown>, ok: Bilingual): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    try {
      const res = await this.conn.send(name, payload);
      if (res.ok) this.flash("ok", ok);
      else this.flash("error", errorText(res.error));
      return res.ok;
    } finally {
      this.busy = false;
    }
  }

  private windowCommand(name: ManagerWindowCommand, windowId: string) {
    const w = this.conn.snapshot?.windows.find((x) => x.id === windowId);
    const done = { "window:open": { zh: "已开启", en: "opened" }, "window:pause": { zh: "已暂停", en: "paused" }, "window:resume": { zh: "已恢复", en: "resumed" }, "window:close": { zh: "已关闭", en: "closed" } }[name];
    const extra = name === "window:pause" ? { reason: tr({ zh: "大厅主任安排暂停", en: "Paused by the hall manager" }) } : {};
    void this.send(name, { windowId, ...extra }, { zh: `${w?.label.zh ?? windowId} ${done.zh}`, en: `${w?.label.en ?? windowId} ${done.en}` });
  }

  private async saveServing(windowId: string, serving: string[]) {
    const w = this.conn.snapshot?.windows.find((x) => x.id === windowId);
    if (await this.send("window:setServing", { windowId, serving }, { zh: `${w ? w.label.zh : windowId}办理事项已调整`, en: `${w ? w.label.en : windowId}: services changed` })) this.windowTable?.closeEditor();
  }

  private async callTicket(d: CallTicketDetail) {
    const t = this.chosen;
    const w = this.conn.snapshot?.windows.find((x) => x.id === d.windowId);
    if (!t || !w) return;
    if (await this.send("window:callTicket", { windowId: w.id, ticketId: t.id, reason: d.reason }, { zh: `已将 ${t.number} 指定叫到${w.label.zh}`, en: `${t.number} called to ${w.label.en}` })) this.chosen = null;
  }

  private callDialog() {
    const s = this.conn.snapshot;
    // The ticket as the hall has it now: once called elsewhere, the dialog has nothing to call.
    const t = this.chosen && s?.tickets.find((x) => x.id === this.chosen!.id);
    if (!s || !t) return "";
    const svc = s.services.find((x) => x.id === t.serviceId);
    const tag = bookingTag(t);
    return html`<hc-call-ticket-dialog .ticketNumber=${t.number} .detail=${[svc ? tr(svc.name) : t.serviceId, tag ? tr(tag) : ""].filter(Boolean).join(" · ")}
      .windows=${callableWindows(t, s.windows)} @call-ticket-submit=${(e: CustomEvent<CallTicketDetail>) => void this.callTicket(e.detail)} @dialog-cancel=${() => (this.chosen = null)}></hc-call-ticket-dialog>`;
  }

  private signedIn(s: StaffSession) {
    saveSession(this.hallId, APP, s);
    this.session = s;
    this.conn.connect();
  }

  private signOut() {
    this.conn.disconnect();
    endSession(this.hallId, APP);
    this.session = null;
  }

  protected updated(): void {
    const denied = this.conn.status === "denied" ? this.conn.denied : null;
    if (denied && SIGN_IN_AGAIN.has(denied.code) && this.session) {
      const text = errorText(denied);
      this.signOut();
      this.flash("error", text);
    }
  }

  render() {
    const s = this.conn.snapshot;
    const header = html`<header>
      <h1>${s ? tr(s.name) : ""} ${tr({ zh: "大厅管理台", en: "Manager console" })}</h1>
      <a class="link" data-testid="link-reports" href="/manager/reports.html?hall=${encodeURIComponent(this.hallId)}">${tr({ zh: "统计报表", en: "Reports" })}</a>
      ${this.session ? html`<span class="who">${this.session.staff.name}</span><button data-testid="sign-out" @click=${this.signOut}>${tr({ zh: "退出", en: "Sign out" })}</button>` : ""}
      <hc-lang-switch></hc-lang-switch>
    </header>`;
    const pending = this.busy && this.conn.retrying > 0;
    const msg = pending
      ? html`<div class="msg pending" role="status" data-testid="pending">${tr({ zh: "正在连接，请稍候…操作仍在进行，无需重按", en: "Connecting, please wait… the action is still on its way; no need to press again" })}</div>`
      : this.message ? html`<div class="msg ${this.message.kind}" role=${this.message.kind === "error" ? "alert" : "status"} data-testid=${this.message.kind === "error" ? "error" : "notice"}>${typeof this.message.text === "string" ? this.message.text : tr(this.message.text)}</div>` : "";
    if (!this.session)
      return html`${header}<div class="center"><hc-sign-in .hallId=${this.hallId} role="manager" .heading=${{ zh: "大厅主任登录", en: "Manager sign-in" }} @signed-in=${(e: CustomEvent<StaffSession>) => this.signedIn(e.detail)}></hc-sign-in></div>${msg}`;
    const rows = s ? queueRows(s, this.conn.queue, this.now) : [];
    // Offline, the console shows what it last knew and sends nothing new.
    const locked = this.busy || this.conn.status === "offline";
    const alarm = (tab: Tab, n: number) => (n ? html` <span class="alarm" data-testid="tab-${tab}-overdue">${tr({ zh: `${n} 超期`, en: `${n} overdue` })}</span>` : "");
    const alarms: Partial<Record<Tab, unknown>> = { followUps: alarm("followUps", this.overdueFollowUps), cases: alarm("cases", this.overdueCases) };
    const nav = html`<nav role="tablist">${TABS.map((t) => html`<button role="tab" data-testid="tab-${t.id}" aria-selected=${this.tab === t.id} @click=${() => (this.tab = t.id)}>${tr(t.label)}${alarms[t.id] ?? ""}</button>`)}</nav>`;
    const token = this.session.token;
    return html`${header}
      <hc-connection-badge .status=${this.conn.status} .reason=${this.conn.offline} .message=${this.conn.denied ? errorText(this.conn.denied) : ""}></hc-connection-badge>
      ${s ? nav : ""}
      ${s && this.tab === "bookings" ? html`<div class="page"><hc-bookings-panel .hallId=${this.hallId} .token=${token} .businessDate=${s.businessDate} .timezone=${s.timezone} .changes=${this.bookingEvents}></hc-bookings-panel></div>` : ""}
      ${s && this.tab === "hours" ? html`<div class="page"><hc-hours-editor .hallId=${this.hallId} .token=${token} .services=${s.services} .timezone=${s.timezone}></hc-hours-editor></div>` : ""}
      ${s
        ? html`<div class="page" ?hidden=${this.tab !== "cases"}><hc-cases-panel .hallId=${this.hallId} .token=${token} .timezone=${s.timezone} .conn=${this.conn} @cases-overdue=${(e: CustomEvent<number>) => (this.overdueCases = e.detail)}></hc-cases-panel></div>`
        : ""}
      ${s
        ? html`<div class="page" ?hidden=${this.tab !== "followUps"}><hc-follow-ups-panel .hallId=${this.hallId} .token=${token} .timezone=${s.timezone} @follow-ups-overdue=${(e: CustomEvent<number>) => (this.overdueFollowUps = e.detail)}></hc-follow-ups-panel></div>`
        : ""}
      ${s && this.tab === "audit" ? html`<div class="page"><hc-audit-panel .hallId=${this.hallId} .token=${token} .businessDate=${s.businessDate} .timezone=${s.timezone}></hc-audit-panel></div>` : ""}
      ${s && this.tab === "webhooks" ? html`<div class="page"><hc-webhooks-panel .hallId=${this.hallId} .token=${token} .timezone=${s.timezone}></hc-webhooks-panel></div>` : ""}
      ${s && this.tab === "live"
        ? html`<main>
            <hc-alerts-bar class="full" .rows=${rows}></hc-alerts-bar>
            <div class="col">
              <hc-window-table .windows=${s.windows} .tickets=${s.tickets} .services=${s.services} ?busy=${locked}
                @window-command=${(e: CustomEvent<{ name: ManagerWindowCommand; windowId: string }>) => this.windowCommand(e.detail.name, e.detail.windowId)}
                @serving-save=${(e: CustomEvent<{ windowId: string; serving: string[] }>) => void this.saveServing(e.detail.windowId, e.detail.serving)}></hc-window-table>
            </div>
            <div class="col">
              <hc-queue-table .rows=${rows} .tickets=${s.tickets} .windows=${s.windows} .queue=${this.conn.queue} ?busy=${locked}
                @call-ticket=${(e: CustomEvent<{ ticketId: string }>) => (this.chosen = s.tickets.find((t) => t.id === e.detail.ticketId) ?? null)}></hc-queue-table>
              <hc-balancer-panel .mode=${s.balancer.mode} .suggestions=${s.balancer.suggestions} .windows=${s.windows} .services=${s.services} ?busy=${locked}
                @balancer-mode=${(e: CustomEvent<{ mode: BalancerMode }>) => void this.send("balancer:setMode", { mode: e.detail.mode }, { zh: "调度模式已切换", en: "Balancer mode changed" })}
                @balancer-decide=${(e: CustomEvent<{ suggestionId: string; approve: boolean }>) => void this.send("balancer:decide", e.detail, e.detail.approve ? { zh: "已同意调整", en: "Approved" } : { zh: "已不采纳", en: "Rejected" })}></hc-balancer-panel>
              <hc-staffing-panel .advice=${this.conn.queue?.staffing ?? null} .at=${this.conn.queue?.at ?? null} .services=${s.services}></hc-staffing-panel>
            </div>
            <hc-figures-panel class="full" .stats=${s.stats} .services=${s.services}></hc-figures-panel>
          </main>`
        : ""}
      ${this.callDialog()}
      ${msg}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-manager-app": ManagerApp;
  }
}
