import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { ratedPart, servedAt, type CaseCategory, type CaseView, type HallError, type HallEvent, type HallSnapshot, type QueueSummary, type Ticket, type TicketHolder } from "../protocol/index.js";
import { HallConnection } from "../web/shared/hall-connection.js";
import { errorText } from "../web/shared/plain-errors.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { param } from "../web/shared/params.js";
import { endSession, loadSession, saveSession, SIGN_IN_AGAIN, type StaffSession } from "../web/shared/session.js";
import "../web/shared/connection-badge.js";
import "../web/shared/lang-switch.js";
import "../web/shared/sign-in.js";
import "./action-bar.js";
import "./case-dialog.js";
import "./cases-panel.js";
import "../web/shared/call-ticket-dialog.js";
import "./current-ticket.js";
import "./my-days.js";
import "./my-figures.js";
import "./park-dialog.js";
import "./parked-list.js";
import "./pause-dialog.js";
import "./queue-panel.js";
import "./transfer-dialog.js";
import "./waiting-list.js";
import "./window-picker.js";
import { ACTIONS, actionForKey, allowed, canCallTicket, type CounterAction } from "./actions.js";
import { bookingTag } from "../web/shared/booking-tag.js";
import type { CallTicketDetail } from "../web/shared/call-ticket-dialog.js";
import { waitingRows } from "./waiting-list.js";
import type { LastRating } from "./my-figures.js";
import type { ParkDetail } from "./park-dialog.js";
import type { TransferDetail } from "./transfer-dialog.js";
import type { CaseOpenDetail } from "./case-dialog.js";
import { listedCases, withCase, type CaseCloseDetail, type CaseStepDetail } from "./cases-panel.js";

const APP = "counter";
/** At most one read of the hall's tickets this often, to learn tickets the queue summary names that this page has not seen. */
const LEARN_EVERY_MS = 3_000;
/** An escalation window reads its open cases again this often (a manager may have moved one on). */
const CASES_EVERY_MS = 30_000;
/** What the page sends besides its buttons' actions (for the "still on its way" line). */
type PageAction = CounterAction | "resumeTicket" | "callTicket" | "case";
/** Connection refusals after which the staff member signs in again. */
const WINDOW_KEY = (hall: string) => `hallcall.counter.window.${hall}`;

/**
 * 窗口叫号端: sign in, pick the window, then call, recall, start, finish, no-show, transfer, park
 * and pause with buttons or function keys. The server sends a counter its window's events, the
 * hall's parked tickets and the queue summaries; everything shown comes from those (a WindowFeed
 * kept by HallConnection) and from the snapshot of each (re)connect. The waiting list is the queue
 * summary's order, each number matched with its ticket as last read. At an escalation window
 * (办不成事) the counter opens a case (工单) from the ticket at it and follows the window's open
 * cases to their close (case:list on each snapshot and every 30 s, each change as the server
 * pushes it in case:changed, and each case command's answer).
 */
@customElement("hc-counter-app")
export class CounterApp extends LitElement {
  static styles = css`
    :host { display: flex; flex-direction: column; height: 100vh; color: var(--hc-fg); }
    header { display: flex; align-items: center; gap: 1rem; padding: 0.5rem 1.2rem; background: #081629; min-height: 60px; }
    header h1 { margin: 0; font-size: 1.35rem; flex: 1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    header .who { color: var(--hc-muted); font-size: 1.05rem; }
    header button.link { font: inherit; min-height: 44px; padding: 0 1rem; border-radius: 999px; border: 1px solid var(--hc-muted); background: transparent; color: var(--hc-fg); cursor: pointer; }
    main { flex: 1; display: grid; grid-template-columns: 1fr 420px; gap: 0.8rem; padding: 0.8rem 1.2rem; min-height: 0; }
    .left { display: flex; flex-direction: column; gap: 0.8rem; min-width: 0; }
    .right { display: flex; flex-direction: column; gap: 0.7rem; min-height: 0; overflow: auto; }
    .center { flex: 1; display: grid; place-items: center; }
    .msg { min-height: 48px; padding: 0.6rem 1rem; border-radius: 8px; font-size: 1.2rem; }
    .msg.error { background: #7f1d1d; color: #fee2e2; }
    .msg.ok { background: #14532d; color: #dcfce7; }
    .msg.pending { background: #78350f; color: #fef3c7; }
    .msg.none { background: transparent; }
    button.case { align-self: flex-start; font: inherit; font-size: 1.15rem; font-weight: 700; min-height: 52px; padding: 0 1.4rem; border-radius: 10px; border: 2px solid #f59e0b; background: #3b2f0a; color: #fde68a; cursor: pointer; }
    button.case:disabled { opacity: 0.5; cursor: not-allowed; }
  `;

  private hallId = param("hall", "demo");
  @state() private session: StaffSession | null = loadSession(this.hallId, APP);
  @state() private windowId: string | null = this.session ? sessionStorage.getItem(WINDOW_KEY(this.hallId)) : null;
  @state() private dialog: "park" | "transfer" | "pause" | "callTicket" | "case" | null = null;
  /** The waiting ticket the 指定叫号 dialog is for. */
  @state() private chosen: Ticket | null = null;
  @state() private busy = false;
  /** The action whose command is on its way (busy), so that a second press of it sends nothing. */
  private pendingAction: PageAction | null = null;
  @state() private message: { kind: "ok" | "error"; text: string } | null = null;
  @state() private lastRating: LastRating | null = null;
  @state() private now = Date.now();
  private i18n = new LangController(this);
  private tickTimer: ReturnType<typeof setInterval> | null = null;
  /** A key pressed while a command was on its way: run after it, if the new state still allows. */
  private queued: CounterAction | null = null;
  private messageTimer: ReturnType<typeof setTimeout> | null = null;
  /**
   * Today's tickets by number, as last read (the snapshot, a read for the waiting list) or seen in
   * an event: a counter receives only its own window's events, so the waiting list's tickets come
   * from reads, asked for when the queue summary names a number not known here.
   */
  private known = new Map<string, Ticket>();
  private learning = false;
  private learnedAt = 0;
  private seenQueue: QueueSummary | null = null;
  /**
   * The full name of the booked citizen at this window, for the ticket it was asked for only: it
   * is asked when the window's ticket changes and dropped with that ticket, never kept elsewhere.
   */
  @state() private holder: TicketHolder | null = null;
  private holderFor: string | null = null;
  /** At an escalation window (办不成事): its open cases, the hall's case categories, the case just opened. */
  @state() private cases: CaseView[] = [];
  @state() private caseCategories: CaseCategory[] = [];
  @state() private openedCase: string | null = null;
  private casesTimer: ReturnType<typeof setInterval> | null = null;

  readonly conn = new HallConnection(this, {
    auth: () => (this.session && this.windowId ? { role: "counter", hallId: this.hallId, token: this.session.token, windowId: this.windowId } : null),
    windowFeed: () => this.windowId,
    onEvent: (e) => this.onHallEvent(e),
    onSnapshot: (s) => {
      this.learn(s);
      void this.loadCases();
      // A holder asked for before a reconnect may never have been answered: ask again.
      if (this.holderFor && !this.holder) void this.askHolder(this.holderFor);
      // After a reload: the last finished ticket has ended, so it is not in the snapshot; ask for it.
      const here = this.windowId;
      const id = s.windows.find((x) => x.id === here)?.lastFinishedId;
      if (here && id && this.lastRating === null)
        void this.conn.send<Ticket>("ticket:get", { ticketId: id }).then((r) => {
          if (r.ok && this.lastRating === null) this.lastRating = { number: r.data.number, rating: servedAt(r.data, here)?.rating ?? null };
        });
    },
  });

  private unfollowCases: (() => void) | null = null;

  connectedCallback(): void {
    super.connectedCallback();
    this.unfollowCases = this.conn.on("case:changed", (change) => (this.cases = withCase(this.cases, change.case)));
    window.addEventListener("keydown", this.onKey);
    this.tickTimer = setInterval(() => (this.now = Date.now()), 1_000);
    this.casesTimer = setInterval(() => void this.loadCases(), CASES_EVERY_MS);
    void this.loadCaseCategories();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("keydown", this.onKey);
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.casesTimer) clearInterval(this.casesTimer);
    this.unfollowCases?.();
  }

  private get win() {
    return this.conn.snapshot?.windows.find((w) => w.id === this.windowId);
  }

  private get ticket(): Ticket | undefined {
    const w = this.win;
    return w?.ticketId ? this.conn.snapshot?.tickets.find((t) => t.id === w.ticketId) : undefined;
  }

  private onHallEvent(e: HallEvent) {
    if ("ticket" in e) this.known.set(e.ticket.number, e.ticket);
    // The last service this window gave (a bundle's step too) and the pad's rating of it; a bundle's whole matter is no window's.
    if (e.type === "ticket:finished" && e.window.id === this.windowId && servedAt(e.ticket, this.windowId)) this.lastRating = { number: e.ticket.number, rating: null };
    if (e.type === "ticket:rated") {
      const part = ratedPart(e);
      if (part.scope === "service" && part.windowId === this.windowId) this.lastRating = { number: e.ticket.number, rating: part.rating };
    }
  }

  private onKey = (e: KeyboardEvent) => {
    if (!this.session || !this.windowId) return;
    if (this.dialog) {
      if (e.key === "Escape") this.dialog = null;
      return;
    }
    const action = actionForKey(e.key, this.win);
    if (!action) return;
    e.preventDefault();
    void this.act(action);
  };

  private flash(kind: "ok" | "error", text: string) {
    this.message = { kind, text };
    if (this.messageTimer) clearTimeout(this.messageTimer);
    this.messageTimer = setTimeout(() => (this.message = null), kind === "error" ? 8_000 : 3_000);
  }

  /**
   * Send a command for this window; shows the outcome in plain words. Returns true when done. One
   * at a time: the connection retries it with its commandId until the answer is definite (the
   * message bar says it is still trying), and a press meanwhile sends nothing new.
   */
  private async send(action: PageAction, name: Parameters<HallConnection["send"]>[0], payload: Record<string, unknown>, done: (e: HallEvent) => string): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.pendingAction = action;
    try {
      const res = await this.conn.send(name, payload);
      if (res.ok) {
        this.flash("ok", done(res.data));
        return true;
      }
      this.showError(res.error);
      return false;
    } finally {
      this.busy = false;
      this.pendingAction = null;
      const next = this.queued;
      this.queued = null;
      if (next) {
        await this.updateComplete;
        void this.act(next);
      }
    }
  }

  private showError(err: HallError) {
    this.flash("error", errorText(err));
  }

  private async act(action: CounterAction) {
    const w = this.win;
    if (!w) return;
    if (this.busy) {
      // The same button again while its command is on its way: that press is the same command.
      if (action !== this.pendingAction) this.queued = action;
      return;
    }
    if (this.conn.status === "offline") {
      this.flash("error", tr({ zh: "离线：恢复连接后再操作", en: "Offline: try again once the connection is back" }));
      return;
    }
    if (!allowed(action, w, this.ticket)) return;
    const windowId = w.id;
    const num = (e: HallEvent) => ("ticket" in e ? e.ticket.number : "");
    switch (action) {
      case "callNext":
        return void this.send(action, "window:callNext", { windowId }, (e) => tr({ zh: `已叫号 ${num(e)}`, en: `Called ${num(e)}` }));
      case "recall":
        return void this.send(action, "window:recall", { windowId }, (e) => tr({ zh: `已重呼 ${num(e)}`, en: `Recalled ${num(e)}` }));
      case "start":
        return void this.send(action, "ticket:start", { windowId }, (e) => tr({ zh: `${num(e)} 开始办理`, en: `${num(e)} in service` }));
      case "finish":
        return void this.send(action, "ticket:finish", { windowId }, (e) => tr({ zh: `${num(e)} 已办结，请群众评价`, en: `${num(e)} finished; the citizen can rate now` }));
      case "noShow":
        return void this.send(action, "ticket:noShow", { windowId }, (e) => tr({ zh: `${num(e)} 已过号`, en: `${num(e)} marked no-show` }));
      case "resume":
        return void this.send(action, "window:resume", { windowId }, () => tr({ zh: "已恢复服务", en: "Window resumed" }));
      case "open":
        return void this.send(action, "window:open", { windowId }, () => tr({ zh: "窗口已开启", en: "Window open" }));
      case "close":
        return void this.send(action, "window:close", { windowId }, () => tr({ zh: "窗口已关闭", en: "Window closed" }));
      case "transfer":
      case "park":
      case "pause":
        this.dialog = action;
        return;
    }
  }

  private async park(d: ParkDetail) {
    if (await this.send("park", "ticket:park", { windowId: this.windowId, ...d }, (e) => tr({ zh: `${"ticket" in e ? e.ticket.number : ""} 已挂起`, en: `${"ticket" in e ? e.ticket.number : ""} parked` }))) this.dialog = null;
  }

  private async transfer(d: TransferDetail) {
    if (await this.send("transfer", "ticket:transfer", { windowId: this.windowId, ...d }, (e) => tr({ zh: `${"ticket" in e ? e.ticket.number : ""} 已转办`, en: `${"ticket" in e ? e.ticket.number : ""} transferred` }))) this.dialog = null;
  }

  private async pause(reason: string) {
    if (await this.send("pause", "window:pause", { windowId: this.windowId, reason }, () => tr({ zh: "窗口已暂停", en: "Window paused" }))) this.dialog = null;
  }

  private openCallTicket(ticketId: string) {
    const t = [...this.known.values()].find((x) => x.id === ticketId);
    if (!t || !canCallTicket(this.win, this.ticket)) return;
    this.chosen = t;
    this.dialog = "callTicket";
  }

  private async callTicket(d: CallTicketDetail) {
    const t = this.chosen;
    if (!t) return;
    const done = (e: HallEvent) => tr({ zh: `已指定叫号 ${"ticket" in e ? e.ticket.number : t.number}`, en: `Called ${"ticket" in e ? e.ticket.number : t.number} out of turn` });
    if (await this.send("callTicket", "window:callTicket", { windowId: this.windowId, ticketId: t.id, reason: d.reason }, done)) {
      this.dialog = null;
      this.chosen = null;
    }
  }

  /** Takes the tickets of a snapshot as the ones known by number (a new day starts the numbers afresh). */
  private learn(s: HallSnapshot) {
    this.known = new Map(s.tickets.map((t) => [t.number, t]));
    this.learnedAt = Date.now();
  }

  /** Reads the hall's tickets again when the waiting list names one not known here (at most every LEARN_EVERY_MS). */
  private async learnMissing() {
    const w = this.win;
    if (!w || this.learning || this.conn.status !== "live") return;
    if (!waitingRows(w, this.conn.queue, this.known).some((r) => !r.ticket)) return;
    const wait = this.learnedAt + LEARN_EVERY_MS - Date.now();
    this.learning = true;
    try {
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const res = await this.conn.send<HallSnapshot>("hall:snapshot", {});
      if (res.ok) this.learn(res.data);
      else this.learnedAt = Date.now();
    } finally {
      this.learning = false;
      // The summary may have moved on while this read was on its way: look at it again.
      this.seenQueue = null;
      this.requestUpdate();
    }
  }

  private async askHolder(ticketId: string) {
    const res = await this.conn.send<TicketHolder>("ticket:holder", { windowId: this.windowId });
    if (this.holderFor === ticketId && res.ok && res.data.ticketId === ticketId) this.holder = res.data;
  }

  private resumeTicket(ticketId: string) {
    void this.send("resumeTicket", "ticket:resume", { ticketId }, (e) => tr({ zh: `${"ticket" in e ? e.ticket.number : ""} 已恢复排队，保留原位置`, en: `${"ticket" in e ? e.ticket.number : ""} back in the queue, place kept` }));
  }

  /** The hall's case categories, from its public info (the same list at every window). */
  private async loadCaseCategories() {
    const res = await fetch(`/api/halls/${encodeURIComponent(this.hallId)}/info`).catch(() => null);
    const body = (await res?.json().catch(() => null)) as { caseCategories?: CaseCategory[] } | null;
    if (Array.isArray(body?.caseCategories)) this.caseCategories = body.caseCategories;
  }

  /** The open cases, at an escalation window only. */
  private async loadCases() {
    if (!this.win?.escalation || this.conn.status === "offline") return;
    const res = await this.conn.send<CaseView[]>("case:list", { state: "open" });
    if (res.ok) this.cases = listedCases(res.data, this.cases);
  }

  /** A case command with its outcome in the message bar; the list takes the answer's view of the case. */
  private async caseCommand(name: "case:open" | "case:update" | "case:close", payload: Record<string, unknown>, done: (c: CaseView) => string): Promise<CaseView | null> {
    if (this.busy) return null;
    this.busy = true;
    this.pendingAction = "case";
    try {
      const res = await this.conn.send<CaseView>(name, payload);
      if (!res.ok) {
        this.showError(res.error);
        return null;
      }
      const c = res.data;
      this.cases = withCase(this.cases, c);
      this.flash("ok", done(c));
      return c;
    } finally {
      this.busy = false;
      this.pendingAction = null;
    }
  }

  private async openCase(d: CaseOpenDetail) {
    const c = await this.caseCommand("case:open", { windowId: this.windowId, ...d }, (x) => tr({ zh: `已开工单 ${x.number}，请群众扫码查看进度`, en: `Case ${x.number} opened; the citizen can scan its QR code` }));
    if (!c) return;
    this.dialog = null;
    this.openedCase = c.id;
  }

  private caseStep(d: CaseStepDetail) {
    void this.caseCommand("case:update", { ...d }, (x) => tr({ zh: `工单 ${x.number} 已记录`, en: `Case ${x.number} updated` }));
  }

  private caseClose(d: CaseCloseDetail) {
    void this.caseCommand("case:close", d, (x) => tr({ zh: `工单 ${x.number} 已办结归档`, en: `Case ${x.number} closed` }));
  }

  private signedIn(s: StaffSession) {
    saveSession(this.hallId, APP, s);
    this.session = s;
  }

  private pickWindow(id: string) {
    sessionStorage.setItem(WINDOW_KEY(this.hallId), id);
    this.windowId = id;
    this.conn.connect();
  }

  private signOut() {
    this.conn.disconnect();
    endSession(this.hallId, APP);
    sessionStorage.removeItem(WINDOW_KEY(this.hallId));
    this.session = null;
    this.windowId = null;
    this.lastRating = null;
  }

  protected willUpdate(): void {
    const t = this.ticket;
    const booking = t?.appointment ? t.id : null;
    if (booking !== this.holderFor) {
      this.holderFor = booking;
      this.holder = null;
      if (booking) void this.askHolder(booking);
    }
  }

  protected updated(): void {
    if (this.conn.queue !== this.seenQueue) {
      this.seenQueue = this.conn.queue;
      void this.learnMissing();
    }
    // An expired, ended or taken-over session: back to the sign-in form.
    const denied = this.conn.status === "denied" ? this.conn.denied : null;
    if (denied && SIGN_IN_AGAIN.has(denied.code) && this.session) {
      const text = errorText(denied);
      this.signOut();
      this.flash("error", text);
    }
  }

  private header() {
    const s = this.conn.snapshot;
    const w = this.win;
    return html`<header>
      <h1>${s ? tr(s.name) : tr({ zh: "窗口叫号端", en: "Counter app" })}${w ? html` · <span data-testid="window-label">${tr(w.label)}</span>` : ""}</h1>
      ${this.session ? html`<span class="who" data-testid="staff-name">${this.session.staff.name}（${this.session.staff.id}）</span>` : ""}
      ${this.session && this.windowId ? html`<button class="link" @click=${() => { this.conn.disconnect(); sessionStorage.removeItem(WINDOW_KEY(this.hallId)); this.windowId = null; }}>${tr({ zh: "换窗口", en: "Change window" })}</button>` : ""}
      ${this.session ? html`<button class="link" data-testid="sign-out" @click=${this.signOut}>${tr({ zh: "退出", en: "Sign out" })}</button>` : ""}
      <hc-lang-switch></hc-lang-switch>
    </header>`;
  }

  private messageBar() {
    if (this.busy && this.conn.retrying > 0) {
      const label = this.pendingAction === "callTicket" ? { zh: "指定叫号", en: "Call now" } : (ACTIONS.find((x) => x.id === this.pendingAction)?.label ?? { zh: "操作", en: "The action" });
      return html`<div class="msg pending" role="status" data-testid="pending">${tr({ zh: `正在连接，请稍候…「${label.zh}」仍在进行，无需重按`, en: `Connecting, please wait… “${label.en}” is still on its way; no need to press again` })}</div>`;
    }
    const m = this.message;
    return html`<div class="msg ${m?.kind ?? "none"}" role=${m?.kind === "error" ? "alert" : "status"} data-testid=${m?.kind === "error" ? "error" : "notice"}>${m?.text ?? ""}</div>`;
  }

  render() {
    if (!this.session)
      return html`${this.header()}<div class="center"><div>${this.message ? this.messageBar() : ""}<hc-sign-in .hallId=${this.hallId} role="counter" @signed-in=${(e: CustomEvent<StaffSession>) => this.signedIn(e.detail)}></hc-sign-in></div></div>`;
    if (!this.windowId)
      return html`${this.header()}<hc-window-picker .hallId=${this.hallId} .staffId=${this.session.staff.id} @window-picked=${(e: CustomEvent<{ windowId: string }>) => this.pickWindow(e.detail.windowId)}></hc-window-picker>`;
    const s = this.conn.snapshot;
    const w = this.win;
    const t = this.ticket;
    const offline = this.conn.status === "offline";
    return html`${this.header()}
      <hc-connection-badge .status=${this.conn.status} .reason=${this.conn.offline} .message=${this.conn.denied ? errorText(this.conn.denied) : ""}></hc-connection-badge>
      <main>
        <section class="left">
          <hc-current-ticket .ticket=${t} .window=${w} .holder=${this.holder} .services=${s?.services ?? []} .priorityClasses=${s?.priorityClasses ?? []} .now=${this.now}></hc-current-ticket>
          <hc-action-bar .window=${w} .ticket=${t} ?busy=${this.busy || offline} @counter-action=${(e: CustomEvent<{ action: CounterAction }>) => void this.act(e.detail.action)}></hc-action-bar>
          ${w?.escalation && t
            ? html`<button class="case" data-testid="case-open" ?disabled=${this.busy || offline} @click=${() => (this.dialog = "case")}>${tr({ zh: "开工单（办不成事）", en: "Open case" })}</button>`
            : ""}
          ${this.messageBar()}
        </section>
        <aside class="right">
          ${w?.escalation
            ? html`<hc-counter-cases .cases=${this.cases} .timezone=${s?.timezone ?? "Asia/Shanghai"} .opened=${this.openedCase} ?busy=${this.busy || offline}
                @case-step=${(e: CustomEvent<CaseStepDetail>) => this.caseStep(e.detail)} @case-close=${(e: CustomEvent<CaseCloseDetail>) => this.caseClose(e.detail)} @cases-refresh=${() => void this.loadCases()}></hc-counter-cases>`
            : ""}
          <hc-queue-panel .window=${w} .services=${s?.services ?? []} .queue=${this.conn.queue}></hc-queue-panel>
          <hc-waiting-list .window=${w} .services=${s?.services ?? []} .rows=${w ? waitingRows(w, this.conn.queue, this.known) : []} ?canCall=${!this.busy && !offline && canCallTicket(w, t)}
            @call-ticket=${(e: CustomEvent<{ ticketId: string }>) => this.openCallTicket(e.detail.ticketId)}></hc-waiting-list>
          <hc-my-figures .stats=${s?.stats.byStaff[this.session.staff.id]} .last=${this.lastRating}></hc-my-figures>
          <hc-my-days .hallId=${this.hallId} .token=${this.session.token} .businessDate=${s?.businessDate ?? ""}></hc-my-days>
          <hc-parked-list .tickets=${s?.tickets ?? []} .windows=${s?.windows ?? []} .windowId=${this.windowId} ?busy=${this.busy || offline} @resume-ticket=${(e: CustomEvent<{ ticketId: string }>) => this.resumeTicket(e.detail.ticketId)}></hc-parked-list>
        </aside>
      </main>
      ${this.dialog === "park" ? html`<hc-park-dialog .ticketNumber=${t?.number ?? ""} @park-submit=${(e: CustomEvent<ParkDetail>) => void this.park(e.detail)} @dialog-cancel=${() => (this.dialog = null)}></hc-park-dialog>` : ""}
      ${this.dialog === "pause" ? html`<hc-pause-dialog @pause-submit=${(e: CustomEvent<{ reason: string }>) => void this.pause(e.detail.reason)} @dialog-cancel=${() => (this.dialog = null)}></hc-pause-dialog>` : ""}
      ${this.dialog === "transfer"
        ? html`<hc-transfer-dialog .ticketNumber=${t?.number ?? ""} .currentServiceId=${t?.serviceId ?? ""} .windowId=${this.windowId} .services=${s?.services ?? []} .windows=${s?.windows ?? []}
            @transfer-submit=${(e: CustomEvent<TransferDetail>) => void this.transfer(e.detail)} @dialog-cancel=${() => (this.dialog = null)}></hc-transfer-dialog>`
        : ""}
      ${this.dialog === "case"
        ? html`<hc-case-dialog .ticketNumber=${t?.number ?? ""} .categories=${this.caseCategories} ?busy=${this.busy}
            @case-open-submit=${(e: CustomEvent<CaseOpenDetail>) => void this.openCase(e.detail)} @dialog-cancel=${() => (this.dialog = null)}></hc-case-dialog>`
        : ""}
      ${this.dialog === "callTicket" && this.chosen
        ? html`<hc-call-ticket-dialog .ticketNumber=${this.chosen.number} .detail=${this.chosenDetail(this.chosen)}
            @call-ticket-submit=${(e: CustomEvent<CallTicketDetail>) => void this.callTicket(e.detail)} @dialog-cancel=${() => ((this.dialog = null), (this.chosen = null))}></hc-call-ticket-dialog>`
        : ""}
      ${this.dialog ? this.messageBarOverlay() : ""}`;
  }

  private chosenDetail(t: Ticket): string {
    const svc = this.conn.snapshot?.services.find((x) => x.id === t.serviceId);
    const tag = bookingTag(t);
    return [svc ? tr(svc.name) : t.serviceId, tag ? tr(tag) : ""].filter(Boolean).join(" · ");
  }

  /** Errors stay visible above an open dialog. */
  private messageBarOverlay() {
    return this.message?.kind === "error" ? html`<div style="position:fixed;top:1rem;left:50%;transform:translateX(-50%);z-index:60" class="msg error" role="alert" data-testid="dialog-error">${this.message.text}</div>` : "";
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-counter-app": CounterApp;
  }
}
