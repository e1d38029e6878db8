import { LitElement, css, html, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { Bilingual, DeliveriesResponse, ResendResponse, WebhookDelivery, WebhookEventType } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { PeriodicRead } from "./periodic-read.js";
import { cardStyles } from "./card-styles.js";
import { consoleErrorText, staffCall } from "./staff-api.js";

/** The outbox changes without a hall event (the sender's attempts): read again this often. */
const REFRESH_MS = 30_000;

export const WEBHOOK_EVENT_NAMES: Record<WebhookEventType, Bilingual> = {
  "ticket.called": { zh: "叫号", en: "Ticket called" },
  "ticket.finished": { zh: "办结", en: "Ticket finished" },
  "rating.created": { zh: "评价", en: "Rating" },
  "case.updated": { zh: "工单", en: "Case" },
  "followUp.updated": { zh: "差评回访", en: "Follow-up" },
};

type Listed = "failed" | "pending";

const stamp = (ms: number | null, timezone: string) =>
  ms === null ? "—" : new Date(ms).toLocaleString(tr({ zh: "zh-CN", en: "en-GB" }), { timeZone: timezone || undefined, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** The event and, for a ticket's, its number: what the hall calls the delivery. */
const what = (d: WebhookDelivery) => `${tr(WEBHOOK_EVENT_NAMES[d.type])}${typeof d.body.data.number === "string" ? ` · ${d.body.data.number}` : ""}`;

const api = <T>(url: string, token: string, method = "GET") => staffCall<T>(url, token, { method });

/**
 * 推送失败: the hall's webhook deliveries that failed after 24 hours of retries (or, switched,
 * those still pending), oldest first, each with its receiver, event, attempts, last error and when
 * the retries stopped (or the next one is due), and a resend button (重新推送) that puts a failed
 * one back in its receiver's queue and says so. Reads GET …/webhooks/deliveries?state=, every
 * 30 s and after each resend.
 *
 *   <hc-webhooks-panel .hallId=${hallId} .token=${token} .timezone=${snapshot.timezone}></hc-webhooks-panel>
 */
@customElement("hc-webhooks-panel")
export class WebhooksPanel extends LitElement {
  static styles = [
    cardStyles,
    css`
      .bar { display: flex; align-items: center; gap: 0.6rem; margin-bottom: 0.6rem; flex-wrap: wrap; }
      button[aria-pressed="true"] { border-color: var(--hc-accent); background: #24497f; }
      td.url { max-width: 22rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      td.err { color: #fca5a5; max-width: 20rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .error { color: #fca5a5; }
      .done { color: #4ade80; }
      .empty { color: var(--hc-muted); padding: 0.4rem 0; }
    `,
  ];
  @property() hallId = "";
  @property() token = "";
  /** The hall's time zone (its snapshot): times are the hall's. */
  @property() timezone = "";
  @state() private listed: Listed = "failed";
  @state() private deliveries: WebhookDelivery[] | null = null;
  @state() private error = "";
  /** What the last resend did, until the next one or a switch of list. */
  @state() private notice = "";
  @state() private resending = new Set<string>();
  private i18n = new LangController(this);
  private reads = new PeriodicRead(this, () => this.load(), REFRESH_MS);

  protected updated(changed: PropertyValues): void {
    if (changed.has("listed")) this.notice = "";
    if (changed.has("hallId") || changed.has("token") || changed.has("listed")) void this.load();
  }

  private base() {
    return `/api/halls/${encodeURIComponent(this.hallId)}/webhooks/deliveries`;
  }

  private async load() {
    if (!this.hallId || !this.token) return;
    const current = this.reads.begin();
    const res = await api<DeliveriesResponse>(`${this.base()}?${new URLSearchParams({ state: this.listed })}`, this.token);
    if (!current()) return;
    if (res.ok) {
      this.deliveries = res.data.deliveries;
      this.error = "";
    } else {
      this.error = consoleErrorText(res.error);
    }
  }

  private async resend(d: WebhookDelivery) {
    this.resending = new Set([...this.resending, d.id]);
    const res = await api<ResendResponse>(`${this.base()}/${encodeURIComponent(d.id)}/resend`, this.token, "POST");
    const left = new Set(this.resending);
    left.delete(d.id);
    this.resending = left;
    this.error = res.ok ? "" : consoleErrorText(res.error);
    this.notice = res.ok
      ? tr({ zh: `${what(res.data.delivery)} 已重新推送，按顺序发送（见“等待推送”）`, en: `${what(res.data.delivery)} resent; it goes out in order (see Pending)` })
      : "";
    await this.load();
  }

  render() {
    const show = (listed: Listed, text: Bilingual) =>
      html`<button data-testid="webhooks-${listed}" aria-pressed=${this.listed === listed} @click=${() => (this.listed = listed)}>${tr(text)}</button>`;
    return html`<h2>${tr({ zh: "数据推送", en: "Webhooks" })}</h2>
      <div class="bar">
        ${show("failed", { zh: "推送失败", en: "Failed" })} ${show("pending", { zh: "等待推送", en: "Pending" })}
        <button data-testid="webhooks-refresh" @click=${() => void this.load()}>${tr({ zh: "刷新", en: "Refresh" })}</button>
        ${this.error ? html`<span class="error" role="alert" data-testid="webhooks-error">${this.error}</span>` : ""}
        ${this.notice ? html`<span class="done" role="status" data-testid="webhooks-notice">${this.notice}</span>` : ""}
      </div>
      ${this.deliveries === null
        ? html`<div class="empty">${this.error ? "" : tr({ zh: "正在读取…", en: "Loading…" })}</div>`
        : this.deliveries.length === 0
          ? html`<div class="empty" data-testid="webhooks-none">${this.listed === "failed" ? tr({ zh: "没有推送失败的消息", en: "No failed deliveries" }) : tr({ zh: "没有等待推送的消息", en: "Nothing waiting to be sent" })}</div>`
          : html`<table data-testid="webhooks-list">
              <tr>
                <th>${tr({ zh: "事件", en: "Event" })}</th><th>${tr({ zh: "接收地址", en: "Receiver" })}</th><th>${tr({ zh: "发生时间", en: "Happened" })}</th>
                <th class="n">${tr({ zh: "尝试次数", en: "Attempts" })}</th><th>${tr({ zh: "最后错误", en: "Last error" })}</th>
                <th>${this.listed === "failed" ? tr({ zh: "停止重试", en: "Retries stopped" }) : tr({ zh: "下次尝试", en: "Next attempt" })}</th><th></th>
              </tr>
              ${this.deliveries.map(
                (d) => html`<tr data-testid="delivery-${d.id}">
                  <td>${what(d)}</td>
                  <td class="url" title=${d.url}>${d.url}</td>
                  <td>${stamp(d.createdAt, this.timezone)}</td>
                  <td class="n">${d.attempts}</td>
                  <td class="err" title=${d.lastError ?? ""}>${d.lastStatus ? `HTTP ${d.lastStatus}` : (d.lastError ?? "—")}</td>
                  <td>${stamp(d.state === "failed" ? d.expiresAt : d.nextAt, this.timezone)}</td>
                  <td>${d.state === "failed"
                    ? html`<button class="ok" data-testid="resend-${d.id}" ?disabled=${this.resending.has(d.id)} @click=${() => void this.resend(d)}>${tr({ zh: "重新推送", en: "Resend" })}</button>`
                    : ""}</td>
                </tr>`,
              )}
            </table>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-webhooks-panel": WebhooksPanel;
  }
}
