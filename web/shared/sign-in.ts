import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { Bilingual } from "../../protocol/index.js";
import { LangController, tr } from "./i18n.js";
import type { StaffSession } from "./session.js";

/**
 * Staff sign-in form (工号 + 密码) used by the counter app and the manager console. Posts to
 * `/api/halls/:hallId/login`; a wrong password or a missing role is shown in plain words.
 * @fires signed-in - detail: StaffSession, after a successful sign-in with the required role
 */
@customElement("hc-sign-in")
export class SignIn extends LitElement {
  static styles = css`
    :host { display: block; }
    form { display: grid; gap: 1rem; width: min(420px, 90vw); margin: 0 auto; padding: 2rem; background: var(--hc-panel); border-radius: var(--hc-radius); }
    h2 { margin: 0 0 0.5rem; font-size: 1.6rem; }
    label { display: grid; gap: 0.35rem; font-size: 1.1rem; color: var(--hc-muted); }
    input { font: inherit; font-size: 1.25rem; padding: 0.6rem 0.8rem; border-radius: 8px; border: 2px solid #3b5b8a; background: #0b1f3a; color: var(--hc-fg); }
    input:focus { outline: none; border-color: var(--hc-accent); }
    button { font: inherit; font-size: 1.3rem; min-height: 52px; border: 0; border-radius: 8px; background: var(--hc-accent); color: #111; font-weight: 700; cursor: pointer; }
    button:disabled { opacity: 0.6; cursor: wait; }
    .error { color: #fecaca; background: #7f1d1d; padding: 0.6rem 0.8rem; border-radius: 8px; font-size: 1.1rem; }
  `;
  /** Hall to sign in to. */
  @property() hallId = "";
  /** Role the account must have ("counter" or "manager"). */
  @property() role: "counter" | "manager" = "counter";
  /** Form title. */
  @property({ attribute: false }) heading: Bilingual = { zh: "工作人员登录", en: "Staff sign-in" };
  @state() private error = "";
  @state() private busy = false;
  private i18n = new LangController(this);

  private async submit(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const staffId = String(data.get("staffId") ?? "").trim();
    const password = String(data.get("password") ?? "");
    if (!staffId || !password) {
      this.error = tr({ zh: "请输入工号和密码", en: "Enter your staff id and password" });
      return;
    }
    this.busy = true;
    this.error = "";
    try {
      const res = await fetch(`/api/halls/${encodeURIComponent(this.hallId)}/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ staffId, password }),
      });
      const body = (await res.json().catch(() => ({}))) as Partial<StaffSession> & { error?: { code: string } };
      if (!res.ok || !body.token || !body.staff) {
        const code = body.error?.code;
        this.error =
          code === "UNAUTHORIZED" || code === "VALIDATION"
            ? tr({ zh: "工号或密码不正确，请重新输入", en: "Wrong staff id or password; please try again" })
            : code === "UNKNOWN_HALL"
              ? tr({ zh: "找不到这个大厅，请检查链接", en: "This hall does not exist; check the link" })
              : tr({ zh: "登录失败，请稍后重试", en: "Sign-in failed; please retry" });
        return;
      }
      if (!body.staff.roles.includes(this.role)) {
        this.error =
          this.role === "manager"
            ? tr({ zh: "此账号没有大厅管理权限", en: "This account may not use the manager console" })
            : tr({ zh: "此账号不能在窗口叫号", en: "This account may not work at a counter" });
        return;
      }
      this.dispatchEvent(new CustomEvent<StaffSession>("signed-in", { detail: { token: body.token, staff: body.staff }, bubbles: true, composed: true }));
    } catch {
      this.error = tr({ zh: "网络不通，请检查网络后重试", en: "No network; check the connection and retry" });
    } finally {
      this.busy = false;
    }
  }

  render() {
    return html`<form @submit=${this.submit} data-testid="sign-in">
      <h2>${tr(this.heading)}</h2>
      <label>${tr({ zh: "工号", en: "Staff id" })}<input name="staffId" data-testid="staff-id" autocomplete="username" autofocus /></label>
      <label>${tr({ zh: "密码", en: "Password" })}<input name="password" type="password" data-testid="password" autocomplete="current-password" /></label>
      ${this.error ? html`<div class="error" role="alert" data-testid="sign-in-error">${this.error}</div>` : ""}
      <button type="submit" data-testid="sign-in-submit" ?disabled=${this.busy}>${tr({ zh: "登录", en: "Sign in" })}</button>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-sign-in": SignIn;
  }
}
