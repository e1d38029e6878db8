import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { HallConnection } from "../../web/shared/hall-connection.js";
import { LangController, currentLang, tr } from "../../web/shared/i18n.js";
import { closedNotice, serviceFigures, windowOf } from "../../web/shared/hall-figures.js";
import { param } from "../../web/shared/params.js";
import "../../web/shared/connection-badge.js";
import { Announcer, callKey } from "./announcer.js";
import "./board-header.js";
import "./now-calling.js";
import "./recent-calls.js";
import "./service-queues.js";
import type { ServiceQueueView } from "./service-queues.js";
import type { CallView } from "./types.js";
import type { HallSnapshot } from "../../protocol/index.js";

/** How many checked-in bookings the board remembers after their tickets left the snapshot. */

/**
 * The hall board (大厅主屏), `?hall=ID&token=DEVICE_TOKEN[&lang=en]`: the numbers being called
 * now, the last calls (a checked-in booking's tagged 预约, never named), and per service the
 * waiting count and expected wait, or the server's notice while it is closed. Each new call
 * flashes and is announced once (chime + voice); the latest text is also in a hidden live region
 * (`data-testid="announcement"`).
 */
@customElement("hc-board-page")
export class BoardPage extends LitElement {
  static styles = css`
    :host { display: grid; grid-template-rows: 9vh 1fr 21vh; height: 100vh; width: 100vw; overflow: hidden; color: var(--hc-fg); }
    main { display: grid; grid-template-columns: 60fr 40fr; gap: 2vw; padding: 2vh 2.5vw 1.5vh; min-height: 0; }
    footer { padding: 0 2.5vw 2vh; min-height: 0; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .setup { padding: 10vh 5vw; font-size: 4vh; }
    /* Offline: what is shown may be out of date, so it is greyed out under the 离线 banner. */
    .stale { opacity: 0.35; filter: grayscale(1); transition: opacity 0.3s; }
    .sound { position: fixed; right: 1vw; bottom: 1vh; font: inherit; font-size: 2vh; padding: 0.6em 1em; border-radius: 0.5em; border: 0; background: var(--hc-warn); color: #000; cursor: pointer; }
  `;
  private hallId = param("hall");
  private token = param("token");
  @state() private announcement = "";
  @state() private flashKey = "";
  @state() private audioBlocked = false;
  private i18n = new LangController(this);
  private announcer = new Announcer(this.hallId, currentLang, (text, key) => {
    this.announcement = text;
    this.flashKey = key;
    setTimeout(() => (this.audioBlocked = this.announcer.audioBlocked), 1_000);
  });
  private conn = new HallConnection(this, {
    auth: () => (this.hallId && this.token ? { role: "display", hallId: this.hallId, deviceToken: this.token } : null),
    onEvent: (e) => {
      if (e.type === "ticket:called") this.announcer.call({ ticketId: e.ticket.id, number: e.ticket.number, window: e.window, at: e.at });
    },
    onSnapshot: (s) => {
      this.announcer.sync(s);
    },
  });
  /** Tickets still called, newest call first (recentCalls order: two calls can share a millisecond). */
  private nowCalling(s: HallSnapshot): CallView[] {
    const rank = new Map(s.recentCalls.map((c, i) => [c.ticketId, i]));
    const at = new Map(s.recentCalls.map((c) => [c.ticketId, c.at]));
    return s.tickets
      .filter((t) => t.state === "called")
      .sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity) || (b.calledAt ?? 0) - (a.calledAt ?? 0))
      .map((t) => {
        const when = at.get(t.id) ?? t.calledAt ?? 0;
        return { key: callKey(t.id, when), number: t.number, windowLabel: this.windowLabel(s, t.windowId), at: when, booked: t.channel === "appointment" };
      });
  }

  private windowLabel(s: HallSnapshot, windowId: string | null): string {
    const w = windowOf(s, windowId);
    return w ? tr(w.label) : (windowId ?? "");
  }

  render() {
    if (!this.hallId || !this.token) {
      return html`<div class="setup">${tr({ zh: "请在地址中加上 ?hall=大厅编号&token=设备令牌", en: "Add ?hall=HALL_ID&token=DEVICE_TOKEN to the address" })}</div>`;
    }
    const s = this.conn.snapshot;
    const stale = this.conn.status === "offline";
    const now = s ? this.nowCalling(s) : [];
    const nowKeys = new Set(now.map((c) => c.key));
    const recent: CallView[] = s
      ? s.recentCalls.map((c) => ({ key: callKey(c.ticketId, c.at), number: c.number, windowLabel: this.windowLabel(s, c.windowId), at: c.at, booked: c.booked })).filter((c) => !nowKeys.has(c.key))
      : [];
    const services: ServiceQueueView[] = s ? s.services.map((svc) => ({ id: svc.id, name: svc.name, ...serviceFigures(s.hallId, this.conn.queue, svc.id), notice: closedNotice(s.hallId, this.conn.queue, svc.id) })) : [];
    return html`
      <hc-connection-badge style="--hc-badge-size: clamp(16px, 3.2vh, 80px)" .status=${this.conn.status} .reason=${this.conn.offline} .message=${this.conn.denied?.message ?? ""}></hc-connection-badge>
      <hc-board-header .name=${s?.name ?? null} .timezone=${s?.timezone ?? "Asia/Shanghai"}></hc-board-header>
      <main class=${stale ? "stale" : ""} data-testid="board-main">
        <hc-now-calling .calls=${now} .flashKey=${this.flashKey}></hc-now-calling>
        <hc-recent-calls .calls=${recent}></hc-recent-calls>
      </main>
      <footer class=${stale ? "stale" : ""}><hc-service-queues .services=${services}></hc-service-queues></footer>
      <div class="sr" aria-live="assertive" data-testid="announcement">${this.announcement}</div>
      ${this.audioBlocked
        ? html`<button class="sound" @click=${async () => {
            await this.announcer.unlockAudio();
            this.audioBlocked = this.announcer.audioBlocked;
          }}>${tr({ zh: "点击开启语音播报", en: "Tap to turn on announcements" })}</button>`
        : ""}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-board-page": BoardPage;
  }
}
