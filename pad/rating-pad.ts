import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { servedAt, type HallEvent, type HallSnapshot, type ServedHere, type Ticket } from "../protocol/index.js";
import { HallConnection } from "../web/shared/hall-connection.js";
import { errorText } from "../web/shared/plain-errors.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { param } from "../web/shared/params.js";
import "../web/shared/connection-badge.js";
import "../web/shared/lang-switch.js";
import "./rating-buttons.js";

/** How long the thanks stay before the pad goes idle again. */
const THANKS_MS = 5_000;
/** A citizen who walks away without rating: back to idle after this. */
const ASK_TIMEOUT_MS = 60_000;

/** A bundle's step: which one of how many, and its service. */
interface Step {
  step: number;
  of: number;
  serviceId: string;
}

type Screen = { kind: "idle" } | { kind: "ask"; ticketId: string; number: string; step: Step | null } | { kind: "thanks" };

/**
 * 评价器: the touch pad at one window. Idle until that window finishes a ticket, then asks for
 * the five 好差评 levels, sends the rating once, thanks, and goes idle again. A 一件事 bundle is
 * asked for at the end of every step served here, naming the step's service (第 1/2 项 · 社保):
 * each step is rated on its own; the whole matter is the tracker's. A finish the pad missed (its
 * event lost; the pad resynced or restarted) is asked for all the same, from the window's
 * `lastFinishedId` in the snapshot, if that citizen could still be at the window: what the window
 * served of it is unrated and ended less than ASK_TIMEOUT_MS ago, and the pad has not asked for it.
 * URL: /pad/?hall=ID&token=DEVICE_TOKEN&window=WINDOW_ID
 */
@customElement("hc-rating-pad")
export class RatingPad extends LitElement {
  static styles = css`
    :host { display: flex; flex-direction: column; height: 100vh; padding: 18px 24px; gap: 14px; color: var(--hc-fg); }
    header { display: flex; align-items: center; justify-content: space-between; font-size: 24px; color: var(--hc-muted); }
    .idle, .thanks { flex: 1; display: grid; place-content: center; text-align: center; gap: 18px; }
    .idle h1 { margin: 0; font-size: 60px; }
    .idle p.label { font-size: 40px; color: var(--hc-accent); font-weight: 700; }
    .idle p, .thanks p { margin: 0; font-size: 30px; color: var(--hc-muted); }
    .thanks h1 { margin: 0; font-size: 64px; color: #86efac; }
    .ask h1 { margin: 0; font-size: 38px; text-align: center; }
    .ask h1 b { color: var(--hc-accent); }
    .ask p.step { margin: -12px 0 0; text-align: center; font-size: 30px; color: var(--hc-muted); }
    .ask p.step b { color: var(--hc-fg); }
    .ask { flex: 1; display: flex; flex-direction: column; justify-content: center; gap: 26px; }
    .error { text-align: center; font-size: 24px; color: #fecaca; min-height: 32px; }
    .error.pending { color: #fde68a; }
    hc-lang-switch { --hc-lang-size: 20px; }
  `;
  private hallId = param("hall", "demo");
  private windowId = param("window");
  @state() private screen: Screen = { kind: "idle" };
  @state() private sending = false;
  @state() private error = "";
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The ticket (and step) the pad last asked a rating for: asked once, whichever way the pad learnt of it. */
  private asked: string | null = null;
  private i18n = new LangController(this);

  readonly conn = new HallConnection(this, {
    auth: () => ({ role: "pad", hallId: this.hallId, deviceToken: param("token") }),
    onEvent: (e) => this.onHallEvent(e),
    onSnapshot: (s) => void this.askMissed(s),
    windowFeed: this.windowId,
  });

  disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) clearTimeout(this.timer);
  }

  private show(screen: Screen, ms: number | null) {
    this.screen = screen;
    this.error = "";
    if (this.timer) clearTimeout(this.timer);
    this.timer = ms === null ? null : setTimeout(() => this.show({ kind: "idle" }, null), ms);
  }

  private onHallEvent(e: HallEvent) {
    if (e.type !== "ticket:finished" || e.window.id !== this.windowId) return;
    // A ticket finished here, or a bundle's step that ended here (the ticket already waits for its next one).
    const served = servedAt(e.ticket, this.windowId);
    if (served) this.ask(e.ticket, served, ASK_TIMEOUT_MS);
  }

  private ask(t: Ticket, served: ServedHere, ms: number) {
    this.asked = askedKey(t.id, served.step);
    const step = served.step === null ? null : { step: served.step, of: t.bundle.length, serviceId: served.serviceId };
    this.show({ kind: "ask", ticketId: t.id, number: t.number, step }, ms);
  }

  /** After a (re)sync: the window's last finished ticket, if its finish went by unseen and its citizen may still be here. */
  private async askMissed(s: HallSnapshot) {
    const id = s.windows.find((w) => w.id === this.windowId)?.lastFinishedId;
    if (!id || this.screen.kind !== "idle") return;
    const res = await this.conn.send<Ticket>("ticket:get", { ticketId: id });
    if (!res.ok || this.screen.kind !== "idle") return;
    const t = res.data;
    const served = servedAt(t, this.windowId);
    if (!served || served.rating !== null || askedKey(t.id, served.step) === this.asked) return;
    const left = ASK_TIMEOUT_MS - Math.max(0, Date.now() - served.endedAt);
    if (left > 0) this.ask(t, served, left);
  }

  private async rate(rating: number) {
    const s = this.screen;
    if (s.kind !== "ask" || this.sending) return;
    this.sending = true;
    try {
      const res = await this.conn.send("ticket:rate", { windowId: this.windowId, ticketId: s.ticketId, rating, ...(s.step ? { step: s.step.step } : {}) });
      if (res.ok || res.error.code === "ALREADY_RATED") this.show({ kind: "thanks" }, THANKS_MS);
      else this.error = errorText(res.error);
    } finally {
      this.sending = false;
    }
  }

  private serviceName(id: string): string {
    const svc = this.conn.snapshot?.services.find((x) => x.id === id);
    return svc ? tr(svc.name) : id;
  }

  render() {
    const w = this.conn.snapshot?.windows.find((x) => x.id === this.windowId);
    const label = w ? tr(w.label) : this.windowId ? tr({ zh: `${this.windowId}号窗口`, en: `Window ${this.windowId}` }) : "";
    const s = this.screen;
    return html`
      <hc-connection-badge .status=${this.conn.status} .reason=${this.conn.offline} .message=${this.conn.denied ? errorText(this.conn.denied) : ""}></hc-connection-badge>
      <header><span data-testid="pad-window">${label}</span><hc-lang-switch></hc-lang-switch></header>
      ${s.kind === "idle"
        ? html`<div class="idle" data-testid="pad-idle"><h1>${tr({ zh: "欢迎评价", en: "Please rate our service" })}</h1><p class="label">${label}</p><p>${tr({ zh: "办结后请为本窗口的服务打分", en: "After your business is done, tell us how we served you" })}</p></div>`
        : s.kind === "thanks"
          ? html`<div class="thanks" data-testid="pad-thanks"><h1>${tr({ zh: "感谢您的评价！", en: "Thank you!" })}</h1><p>${tr({ zh: "祝您生活愉快", en: "Have a good day" })}</p></div>`
          : html`<div class="ask" data-testid="pad-ask">
              <h1>${tr({ zh: "请为本次服务评价", en: "How did we serve you?" })} · <b data-testid="pad-number">${s.number}</b></h1>
              ${s.step ? html`<p class="step" data-testid="pad-step">${tr({ zh: `一件事 第 ${s.step.step + 1}/${s.step.of} 项`, en: `Step ${s.step.step + 1} of ${s.step.of}` })} · <b data-testid="pad-service">${this.serviceName(s.step.serviceId)}</b></p>` : ""}
              <hc-rating-buttons ?disabled=${this.sending} @rate=${(e: CustomEvent<{ rating: number }>) => void this.rate(e.detail.rating)}></hc-rating-buttons>
              ${this.sending && this.conn.retrying > 0
                ? html`<div class="error pending" role="status" data-testid="pad-pending">${tr({ zh: "正在连接，请稍候…", en: "Connecting, please wait…" })}</div>`
                : html`<div class="error" role="alert">${this.error}</div>`}
            </div>`}
    `;
  }
}

/** What the pad asked for: a ticket, and for a bundle which of its steps. */
const askedKey = (ticketId: string, step: number | null) => (step === null ? ticketId : `${ticketId}:${step}`);

declare global {
  interface HTMLElementTagNameMap {
    "hc-rating-pad": RatingPad;
  }
}
