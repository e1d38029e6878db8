import { LitElement, css, html } from "lit";
import { customElement, query, state } from "lit/decorators.js";
import type { BalancerMode, Bilingual } from "../protocol/index.js";
import { HallConnection } from "../web/shared/hall-connection.js";
import { errorText } from "../web/shared/plain-errors.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { param } from "../web/shared/params.js";
import { endSession, loadSession, saveSession, SIGN_IN_AGAIN, type StaffSession } from "../web/shared/session.js";
import "../web/shared/connection-badge.js";
import "../web/shared/lang-switch.js";
import "../web/shared/sign-in.js";
import "./alerts-bar.js";
import "./balancer-panel.js";
import "./figures-panel.js";
import "./queue-table.js";
import "./staffing-panel.js";
import "./window-table.js";
import { queueRows } from "./queues.js";
import type { ManagerWindowCommand, WindowTable } from "./window-table.js";

const APP = "manager";

/**
 * 大厅管理台: windows, queues against their targets, alerts, the balancer and its suggestions,
 * staffing advice and today's figures, for a signed-in manager.
 */
@customElement("hc-manager-app")
export class ManagerApp extends LitElement {
  static styles = css`
    :host { display: flex; flex-direction: column; min-height: 100vh; color: var(--hc-fg); }
    header { display: flex; align-items: center; gap: 1rem; padding: 0.5rem 1.2rem; background: #081629; min-height: 56px; }
    header h1 { margin: 0; font-size: 1.3rem; flex: 1; }
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
  @query("hc-window-table") private windowTable!: WindowTable;
  private i18n = new LangController(this);
  private timers: ReturnType<typeof setInterval>[] = [];
  private messageTimer: ReturnType<typeof setTimeout> | null = null;

  readonly conn = new HallConnection(this, {
    auth: () => (this.session ? { role: "manager", hallId: this.hallId, token: this.session.token } : null),
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
    return html`${header}
      <hc-connection-badge .status=${this.conn.status} .reason=${this.conn.offline} .message=${this.conn.denied ? errorText(this.conn.denied) : ""}></hc-connection-badge>
      ${s
        ? html`<main>
            <hc-alerts-bar class="full" .rows=${rows}></hc-alerts-bar>
            <div class="col">
              <hc-window-table .windows=${s.windows} .tickets=${s.tickets} .services=${s.services} ?busy=${locked}
                @window-command=${(e: CustomEvent<{ name: ManagerWindowCommand; windowId: string }>) => this.windowCommand(e.detail.name, e.detail.windowId)}
                @serving-save=${(e: CustomEvent<{ windowId: string; serving: string[] }>) => void this.saveServing(e.detail.windowId, e.detail.serving)}></hc-window-table>
            </div>
            <div class="col">
              <hc-queue-table .rows=${rows}></hc-queue-table>
              <hc-balancer-panel .mode=${s.balancer.mode} .suggestions=${s.balancer.suggestions} .windows=${s.windows} .services=${s.services} ?busy=${locked}
                @balancer-mode=${(e: CustomEvent<{ mode: BalancerMode }>) => void this.send("balancer:setMode", { mode: e.detail.mode }, { zh: "调度模式已切换", en: "Balancer mode changed" })}
                @balancer-decide=${(e: CustomEvent<{ suggestionId: string; approve: boolean }>) => void this.send("balancer:decide", e.detail, e.detail.approve ? { zh: "已同意调整", en: "Approved" } : { zh: "已不采纳", en: "Rejected" })}></hc-balancer-panel>
              <hc-staffing-panel .advice=${this.conn.queue?.staffing ?? null} .at=${this.conn.queue?.at ?? null} .services=${s.services}></hc-staffing-panel>
            </div>
            <hc-figures-panel class="full" .stats=${s.stats} .services=${s.services}></hc-figures-panel>
          </main>`
        : ""}
      ${msg}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-manager-app": ManagerApp;
  }
}
