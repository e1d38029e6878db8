import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { HallSnapshot } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { loadSession } from "../web/shared/session.js";

/**
 * Lists the hall's windows (from the hall's snapshot) so a signed-in staff member picks the one
 * they sit at. A window someone else is signed in to is marked.
 * @fires window-picked - detail: { windowId: string }
 */
@customElement("hc-window-picker")
export class WindowPicker extends LitElement {
  static styles = css`
    :host { display: block; padding: 1.5rem 2rem; }
    h2 { margin: 0 0 1rem; font-size: 1.6rem; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 0.8rem; }
    button { font: inherit; text-align: left; padding: 0.9rem 1.1rem; min-height: 96px; border-radius: var(--hc-radius); border: 2px solid transparent; background: var(--hc-panel); color: var(--hc-fg); cursor: pointer; display: grid; gap: 0.3rem; align-content: start; }
    button:hover, button:focus { border-color: var(--hc-accent); outline: none; }
    strong { font-size: 1.35rem; }
    span { color: var(--hc-muted); font-size: 0.95rem; line-height: 1.4; }
    .busy { color: #fcd34d; }
    .error { color: #fecaca; }
  `;
  @property() hallId = "";
  @property() staffId = "";
  @state() private snapshot: HallSnapshot | null = null;
  @state() private error = "";
  private i18n = new LangController(this);

  connectedCallback(): void {
    super.connectedCallback();
    // The snapshot names every ticket: the server gives it to signed-in staff only.
    const token = loadSession(this.hallId, "counter")?.token ?? "";
    fetch(`/api/halls/${encodeURIComponent(this.hallId)}/snapshot`, { headers: { authorization: `Bearer ${token}` } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .then((s: HallSnapshot) => (this.snapshot = s))
      .catch(() => (this.error = tr({ zh: "无法读取窗口列表，请刷新重试", en: "Could not load the windows; reload to retry" })));
  }

  render() {
    const s = this.snapshot;
    if (this.error) return html`<p class="error" role="alert">${this.error}</p>`;
    if (!s) return html`<p>${tr({ zh: "正在读取窗口…", en: "Loading windows…" })}</p>`;
    const name = (id: string) => tr(s.services.find((x) => x.id === id)?.name ?? { zh: id, en: id });
    return html`<h2>${tr({ zh: "请选择您所在的窗口", en: "Pick the window you sit at" })}</h2>
      <div class="grid">
        ${s.windows.map(
          (w) => html`<button data-testid="pick-window-${w.id}" @click=${() => this.dispatchEvent(new CustomEvent("window-picked", { detail: { windowId: w.id }, bubbles: true, composed: true }))}>
            <strong>${tr(w.label)}</strong>
            <span>${w.qualified.map(name).join("、")}</span>
            ${w.staffId && w.staffId !== this.staffId ? html`<span class="busy">${tr({ zh: `已有人登录：${w.staffId}`, en: `Signed in: ${w.staffId}` })}</span>` : ""}
          </button>`,
        )}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-window-picker": WindowPicker;
  }
}
