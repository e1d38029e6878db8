import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { io, type Socket } from "socket.io-client";
import { LangController, tr } from "../web/shared/i18n.js";
import { param } from "../web/shared/params.js";
import { hallNames } from "../web/shared/booking-api.js";
import "../web/shared/lang-switch.js";
import { hallNamespace, PublicCase, type Ack, type Bilingual, type HallError } from "../protocol/index.js";
import { CASE_STATE, STEP_KIND, dateWords, momentWords, stages } from "./progress.js";

/** The socket's refusals that no reconnect will change: the page reads over REST instead. */
const REFUSED = new Set(["UNAUTHORIZED", "FORBIDDEN", "UNKNOWN_HALL", "UNKNOWN_CASE", "VALIDATION"]);
/** Without a live socket the page reads the case again this often. */
const FALLBACK_READ_MS = 30_000;
const READ_TIMEOUT_MS = 10_000;

const REFUSAL: Record<string, Bilingual> = {
  UNKNOWN_CASE: { zh: "找不到这个工单，请核对链接或二维码。", en: "No such case. Please check the link or the QR code." },
  UNKNOWN_HALL: { zh: "找不到这个大厅，请核对链接。", en: "No such hall. Please check the link." },
  NO_KEY: { zh: "链接不完整：请扫描工单回执上的二维码。", en: "The link is incomplete: please scan the QR code on your case receipt." },
};
const NETWORK: Bilingual = { zh: "无法连接服务器，请稍后刷新重试。", en: "The server cannot be reached. Please reload in a moment." };

/**
 * The citizen's progress page of a case (办件进度), `/case/?hall=ID&id=KEY` from the QR on the
 * case receipt, phone-sized: the 进度条 (受理 → 转办/协调 → 补正材料 → 办结 → 确认), the documents
 * still needed (一次告知), the deadline (已超期 when past), the department handling it, the
 * resolution, and how to appeal in the hall's words. It follows the case on a socket of the
 * `case` role and reads it again on each `case:updated` and reconnect; if the socket is refused
 * it reads over REST. Only what the server sent is shown: no names, the phone never.
 */
@customElement("hc-case-page")
export class CasePage extends LitElement {
  static styles = css`
    :host { display: flex; flex-direction: column; gap: 16px; max-width: 520px; margin: 0 auto; padding: max(16px, env(safe-area-inset-top)) 16px 40px; color: var(--hc-fg); box-sizing: border-box; }
    header { display: flex; align-items: center; gap: 12px; }
    header h1 { flex: 1; margin: 0; font-size: 20px; line-height: 1.3; }
    .head { background: var(--hc-panel); border-radius: 18px; padding: 16px 18px; display: grid; gap: 6px; }
    .head .number { font-size: 15px; color: var(--hc-muted); letter-spacing: 0.02em; }
    .head .category { font-size: 22px; font-weight: 800; }
    .head .summary { font-size: 17px; line-height: 1.5; }
    .state { justify-self: start; padding: 4px 14px; border-radius: 999px; font-size: 17px; font-weight: 800; background: #1e3a66; border: 2px solid #60a5fa; }
    .state.waitingForCitizen { border-color: #fbbf24; color: #fde68a; }
    .state.resolved, .state.closed { border-color: #4ade80; color: #bbf7d0; }
    ol.bar { list-style: none; margin: 0; padding: 0; display: grid; grid-auto-flow: column; grid-auto-columns: 1fr; gap: 4px; }
    ol.bar li { display: grid; justify-items: center; gap: 6px; font-size: 14px; text-align: center; color: var(--hc-muted); position: relative; }
    ol.bar li::before { content: ""; position: absolute; top: 14px; left: -50%; width: 100%; height: 4px; background: #2b5a94; z-index: 0; }
    ol.bar li:first-child::before { display: none; }
    ol.bar li.done::before, ol.bar li.current::before { background: #4ade80; }
    ol.bar .dot { width: 32px; height: 32px; border-radius: 50%; display: grid; place-items: center; font-weight: 800; background: #0b1f3a; border: 3px solid #2b5a94; z-index: 1; }
    ol.bar li.done { color: var(--hc-fg); }
    ol.bar li.done .dot { background: #16a34a; border-color: #4ade80; color: #fff; }
    ol.bar li.current { color: var(--hc-accent); font-weight: 800; }
    ol.bar li.current .dot { border-color: var(--hc-accent); color: var(--hc-accent); }
    .card { background: var(--hc-panel); border-radius: 14px; padding: 14px 16px; display: grid; gap: 6px; font-size: 17px; line-height: 1.5; }
    .card h2 { margin: 0; font-size: 15px; color: var(--hc-muted); font-weight: 600; }
    .card .big { font-size: 20px; font-weight: 700; }
    .docs { border: 2px solid #fbbf24; background: #3b2f0a; }
    .docs ul { margin: 0; padding-left: 1.2em; font-size: 19px; font-weight: 700; }
    .overdue { color: #fca5a5; font-weight: 800; }
    .resolution { border: 2px solid #4ade80; background: #0f3a24; }
    ol.steps { margin: 0; padding: 0; list-style: none; display: grid; gap: 8px; }
    ol.steps li { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; font-size: 16px; }
    ol.steps .at { color: var(--hc-muted); font-variant-numeric: tabular-nums; }
    ol.steps .kind { font-weight: 700; }
    ol.steps .text { grid-column: 2; color: var(--hc-muted); }
    .explain { font-size: 17px; line-height: 1.7; background: var(--hc-panel); border-radius: 18px; padding: 18px; }
    .offline { font-size: 14px; color: #fcd34d; text-align: center; }
    small { color: var(--hc-muted); font-size: 14px; text-align: center; line-height: 1.5; }
  `;
  private hallId = param("hall");
  private key = param("id");
  private i18n = new LangController(this);
  @state() private hallName: Bilingual | null = null;
  @state() private timezone = "Asia/Shanghai";
  @state() private view: PublicCase | null = null;
  @state() private problem: Bilingual | null = null;
  /** The page follows the case live (a socket that answered), or reads it now and then. */
  @state() private live = false;
  private socket: Socket | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Answers of reads overtaken by a newer one are dropped. */
  private reads = 0;

  connectedCallback(): void {
    super.connectedCallback();
    if (!this.hallId || !this.key) {
      this.problem = REFUSAL.NO_KEY!;
      return;
    }
    void hallNames(this.hallId).then((r) => {
      if (r.ok) {
        this.hallName = r.data.name;
        this.timezone = r.data.timezone;
      }
    });
    this.connect();
    document.addEventListener("visibilitychange", this.onVisible);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.socket?.disconnect();
    this.socket = null;
    if (this.timer) clearInterval(this.timer);
    document.removeEventListener("visibilitychange", this.onVisible);
  }

  /** Back on the page after a while (a phone wakes its tab): read it again in case a push was missed. */
  private onVisible = () => {
    if (document.visibilityState === "visible") void this.read();
  };

  private connect(): void {
    const socket = io(hallNamespace(this.hallId), { auth: { role: "case", hallId: this.hallId, key: this.key }, transports: ["websocket", "polling"], reconnectionDelayMax: 5_000 });
    this.socket = socket;
    socket.on("connect", () => {
      this.live = true;
      void this.read();
    });
    socket.on("disconnect", () => (this.live = false));
    socket.on("case:updated", () => void this.read());
    socket.on("connect_error", (err: Error & { data?: { code?: string } }) => {
      this.live = false;
      const code = err.data?.code;
      // Refused (an older server without the role, or a key it does not know): REST says which.
      if (code && REFUSED.has(code)) {
        socket.disconnect();
        this.socket = null;
        this.fallBack();
      } else if (!this.view) void this.read();
    });
  }

  /** No socket: the case is read over REST, now and every FALLBACK_READ_MS. */
  private fallBack(): void {
    void this.read();
    if (!this.timer) this.timer = setInterval(() => void this.read(), FALLBACK_READ_MS);
  }

  private async read(): Promise<void> {
    const n = ++this.reads;
    const res = this.socket?.connected ? await this.readSocket(this.socket) : await this.readRest();
    if (n !== this.reads) return;
    if (res.ok) {
      this.view = res.data;
      this.problem = null;
    } else {
      // A refusal means the case cannot be shown; a failed read keeps what was shown, marked.
      if (REFUSAL[res.error.code]) this.view = null;
      this.problem = REFUSAL[res.error.code] ?? NETWORK;
    }
  }

  private async readSocket(socket: Socket): Promise<Ack<PublicCase>> {
    try {
      const ack = (await socket.timeout(READ_TIMEOUT_MS).emitWithAck("case:public", {})) as Ack<unknown>;
      if (!ack.ok) return ack;
      const parsed = PublicCase.safeParse(ack.data);
      return parsed.success ? { ok: true, data: parsed.data } : { ok: false, error: { code: "INTERNAL", message: "The server's answer could not be read." } };
    } catch {
      return this.readRest();
    }
  }

  private async readRest(): Promise<Ack<PublicCase>> {
    try {
      const res = await fetch(`/api/halls/${encodeURIComponent(this.hallId)}/cases/${encodeURIComponent(this.key)}`);
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        const error = (body as { error?: HallError } | null)?.error;
        return { ok: false, error: error ?? { code: "INTERNAL", message: `HTTP ${res.status}` } };
      }
      const parsed = PublicCase.safeParse(body);
      return parsed.success ? { ok: true, data: parsed.data } : { ok: false, error: { code: "INTERNAL", message: "The server's answer could not be read." } };
    } catch (err) {
      return { ok: false, error: { code: "INTERNAL", message: err instanceof Error ? err.message : "network" } };
    }
  }

  render() {
    const header = html`<header><h1>${this.hallName ? `${tr(this.hallName)} · ` : ""}${tr({ zh: "办件进度", en: "Case progress" })}</h1><hc-lang-switch></hc-lang-switch></header>`;
    const c = this.view;
    if (!c) return html`${header}<div class="explain" data-testid="case-problem">${this.problem ? tr(this.problem) : tr({ zh: "正在读取…", en: "Loading…" })}</div>`;
    return html`${header}
      ${this.problem ? html`<div class="offline" role="status">${tr(this.problem)}</div>` : ""}
      <section class="head">
        <span class="number" data-testid="case-number">${tr({ zh: "工单号", en: "Case no." })} ${c.number}</span>
        <span class="category">${tr(c.categoryName)}</span>
        <span class="summary" data-testid="case-summary">${c.summary}</span>
        <span class="state ${c.state}" data-testid="case-state">${tr(CASE_STATE[c.state])}</span>
      </section>
      <ol class="bar" data-testid="case-bar" aria-label=${tr({ zh: "办理进度", en: "Progress" })}>
        ${stages(c).map((s, i) => html`<li class=${s.mark} data-testid="case-stage-${s.id}" data-mark=${s.mark} aria-current=${s.mark === "current" ? "step" : "false"}><span class="dot">${s.mark === "done" ? "✓" : i + 1}</span>${tr(s.name)}</li>`)}
      </ol>
      ${c.documentsNeeded.length && c.state !== "closed"
        ? html`<section class="card docs" data-testid="case-documents">
            <h2>${tr({ zh: "请补正以下材料（一次告知）", en: "Please bring these documents (all of them, told at once)" })}</h2>
            <ul>${c.documentsNeeded.map((d) => html`<li>${d}</li>`)}</ul>
          </section>`
        : ""}
      ${c.resolution ? html`<section class="card resolution" data-testid="case-resolution"><h2>${tr({ zh: "办理结果", en: "Resolution" })}</h2><span class="big">${c.resolution}</span></section>` : ""}
      <section class="card">
        <h2>${tr({ zh: "办理时限", en: "Deadline" })}</h2>
        <span class="big" data-testid="case-due">${tr(dateWords(c.dueDate))}${c.overdue && c.state !== "closed" ? html` <span class="overdue" data-testid="case-overdue">${tr({ zh: "已超期", en: "Overdue" })}</span>` : ""}</span>
        <h2>${tr({ zh: "承办部门", en: "Handled by" })}</h2>
        <span class="big" data-testid="case-department">${c.department ?? tr({ zh: "办不成事窗口", en: "The escalation window" })}</span>
      </section>
      <section class="card">
        <h2>${tr({ zh: "办理记录", en: "What has been done" })}</h2>
        <ol class="steps" data-testid="case-steps">
          ${c.steps.map((s) => html`<li><span class="at">${momentWords(s.at, this.timezone)}</span><span class="kind">${tr(STEP_KIND[s.kind])}</span>${s.text ? html`<span class="text">${s.text}</span>` : ""}</li>`)}
        </ol>
      </section>
      <section class="card" data-testid="case-appeal"><h2>${tr({ zh: "如有异议", en: "To appeal" })}</h2><span>${tr(c.appeal)}</span></section>
      <small data-testid="case-live">${this.live ? tr({ zh: "进度有变化时本页自动更新。", en: "This page updates itself when the case moves on." }) : tr({ zh: "本页会定时刷新进度。", en: "This page reads the progress again now and then." })}</small>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-case-page": CasePage;
  }
}
