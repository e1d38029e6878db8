import { LitElement, css, html, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import QRCode from "qrcode";
import type { CaseClose, CaseState, CaseUpdate, CaseView } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { panelStyles } from "./panel-styles.js";
import { CASE_STATE, STEP_KIND, dateWords, momentWords } from "../case/progress.js";

export type CaseStepInput = CaseUpdate["step"];
export interface CaseStepDetail {
  caseId: string;
  step: CaseStepInput;
}
export type CaseCloseDetail = Omit<CaseClose, "commandId">;

type StepKind = CaseStepInput["kind"];
/** Which steps a case in this state offers: the server decides, these spare a click that would be refused. */
const OFFERS: Record<CaseState, readonly StepKind[]> = {
  open: ["assign", "note", "requestDocument", "resolve"],
  waitingForCitizen: ["documentReceived", "requestDocument", "note", "assign", "resolve"],
  resolved: ["note"],
  closed: [],
};
const FIELD: Record<StepKind, { zh: string; en: string }> = {
  assign: { zh: "承办部门", en: "Department" },
  note: { zh: "进展说明", en: "Note" },
  requestDocument: { zh: "需补正的材料", en: "Document to bring" },
  documentReceived: { zh: "已收到的材料", en: "Document received" },
  resolve: { zh: "办理结果", en: "Resolution" },
};
const RATINGS = [5, 4, 3, 2, 1] as const;
const RATING_WORDS: Record<number, { zh: string; en: string }> = {
  5: { zh: "非常满意", en: "Very satisfied" },
  4: { zh: "满意", en: "Satisfied" },
  3: { zh: "基本满意", en: "Fair" },
  2: { zh: "不满意", en: "Dissatisfied" },
  1: { zh: "非常不满意", en: "Very dissatisfied" },
};

/** The newer of two copies of one case: each change adds a step. */
const newer = (a: CaseView, b: CaseView | undefined): CaseView => (b && b.steps.length > a.steps.length ? b : a);

/**
 * The open cases after one changed (a command's answer, or `case:changed` from the server): a
 * closed one leaves the list, a newly opened one comes first, another takes its place; a copy
 * older than the one shown (overtaken on its way) changes nothing.
 */
export function withCase(cases: readonly CaseView[], c: CaseView): CaseView[] {
  const shown = cases.find((x) => x.id === c.id);
  if (shown && newer(shown, c) === shown) return [...cases];
  if (c.state === "closed") return cases.filter((x) => x.id !== c.id);
  return shown ? cases.map((x) => (x.id === c.id ? c : x)) : [c, ...cases];
}

/** A `case:list` answer over the cases shown: a case changed since the read was asked keeps its newer copy. */
export function listedCases(read: readonly CaseView[], shown: readonly CaseView[]): CaseView[] {
  return read.map((c) => newer(c, shown.find((x) => x.id === c.id)));
}

/**
 * 工单: the escalation window's open cases (as `case:list` answered on each snapshot and every
 * 30 s, each change as the server sends it in `case:changed`).
 * One opens to its QR code and public link for the citizen, its steps, and the forms of the next
 * step (assign, note, ask for a document, document received, resolve) and of the close after the
 * citizen confirmed or rated the resolution.
 * @fires case-step - detail: CaseStepDetail
 * @fires case-close - detail: CaseCloseDetail
 * @fires cases-refresh
 */
@customElement("hc-counter-cases")
export class CounterCasesPanel extends LitElement {
  static styles = [
    panelStyles,
    css`
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.4rem; }
      li > button.row { width: 100%; display: grid; grid-template-columns: 1fr auto; gap: 0 0.5rem; text-align: left; font: inherit; padding: 0.4rem 0.6rem; border-radius: 8px; border: 1px solid #ffffff30; background: #0b1f3a; color: var(--hc-fg); cursor: pointer; }
      li > button.row[aria-expanded="true"] { border-color: var(--hc-accent); }
      .num { font-weight: 700; font-variant-numeric: tabular-nums; }
      .st { color: var(--hc-muted); font-size: 0.95rem; }
      .sub { grid-column: 1 / -1; color: var(--hc-muted); font-size: 0.9rem; }
      .overdue { color: #f87171; font-weight: 700; }
      .detail { display: grid; gap: 0.5rem; padding: 0.5rem 0.2rem; }
      .qr { display: grid; grid-template-columns: 120px 1fr; gap: 0.6rem; align-items: center; }
      .qr img { width: 120px; height: 120px; background: #fff; border-radius: 6px; }
      .qr a { color: #93c5fd; font-size: 0.8rem; word-break: break-all; }
      ol { margin: 0; padding-left: 1.2rem; font-size: 0.95rem; }
      .docs { color: #fcd34d; }
      form { display: grid; gap: 0.4rem; }
      .line { display: flex; gap: 0.4rem; flex-wrap: wrap; }
      select, input { font: inherit; font-size: 1rem; min-height: 40px; padding: 0 0.5rem; border-radius: 8px; border: 1px solid #ffffff40; background: #0b1f3a; color: var(--hc-fg); }
      input { flex: 1; min-width: 8rem; }
      button.act { font: inherit; min-height: 40px; padding: 0 0.9rem; border-radius: 8px; border: 0; background: var(--hc-accent); color: #111; font-weight: 700; cursor: pointer; }
      button.act:disabled { opacity: 0.5; cursor: not-allowed; }
      button.small { font: inherit; font-size: 0.9rem; min-height: 32px; padding: 0 0.6rem; border-radius: 8px; border: 1px solid #ffffff30; background: transparent; color: var(--hc-fg); cursor: pointer; }
      h3 { display: flex; justify-content: space-between; align-items: center; }
    `,
  ];
  @property({ attribute: false }) cases: CaseView[] = [];
  @property() timezone = "Asia/Shanghai";
  @property({ type: Boolean }) busy = false;
  /** A case to open (the one just opened at this window). */
  @property() opened: string | null = null;
  @state() private openId: string | null = null;
  @state() private kind: StepKind = "assign";
  @state() private text = "";
  @state() private confirmed = "yes";
  @state() private rating = "";
  @state() private qr: { url: string; data: string } | null = null;
  private i18n = new LangController(this);

  protected willUpdate(changed: PropertyValues): void {
    if (changed.has("opened") && this.opened) this.openId = this.opened;
    const c = this.current;
    // The form offers what the case's state allows; a step taken moves it to the state's first.
    if (c && !OFFERS[c.state].includes(this.kind)) this.kind = OFFERS[c.state][0] ?? "note";
    if (c && c.url !== this.qr?.url) void this.makeQr(c.url);
  }

  private get current(): CaseView | undefined {
    return this.cases.find((c) => c.id === this.openId);
  }

  private async makeQr(url: string) {
    const data = await QRCode.toDataURL(url, { margin: 1, width: 240, errorCorrectionLevel: "M" }).catch(() => "");
    if (this.current?.url === url) this.qr = { url, data };
  }

  private toggle(id: string) {
    this.openId = this.openId === id ? null : id;
    this.text = "";
  }

  private step(e: Event, c: CaseView) {
    e.preventDefault();
    const text = this.kind === "documentReceived" && !this.text ? (c.documentsNeeded[0] ?? "") : this.text.trim();
    if (!text) return;
    const step: CaseStepInput =
      this.kind === "assign" ? { kind: "assign", department: text }
      : this.kind === "note" ? { kind: "note", note: text }
      : this.kind === "requestDocument" ? { kind: "requestDocument", document: text }
      : this.kind === "documentReceived" ? { kind: "documentReceived", document: text }
      : { kind: "resolve", resolution: text };
    this.text = "";
    this.dispatchEvent(new CustomEvent<CaseStepDetail>("case-step", { detail: { caseId: c.id, step }, bubbles: true, composed: true }));
  }

  private close(e: Event, c: CaseView) {
    e.preventDefault();
    const detail: CaseCloseDetail = { caseId: c.id, confirmed: this.confirmed === "yes" };
    if (this.rating) detail.rating = Number(this.rating);
    if (this.text.trim()) detail.note = this.text.trim();
    this.text = "";
    this.dispatchEvent(new CustomEvent<CaseCloseDetail>("case-close", { detail, bubbles: true, composed: true }));
  }

  render() {
    return html`<h3>${tr({ zh: "工单", en: "Cases" })}<button class="small" data-testid="cases-refresh" @click=${() => this.dispatchEvent(new CustomEvent("cases-refresh", { bubbles: true, composed: true }))}>${tr({ zh: "刷新", en: "Refresh" })}</button></h3>
      ${this.cases.length === 0
        ? html`<p class="empty" data-testid="cases-none">${tr({ zh: "没有未办结的工单", en: "No open cases" })}</p>`
        : html`<ul>
            ${this.cases.map(
              (c) => html`<li data-testid="case-${c.number}">
                <button class="row" aria-expanded=${c.id === this.openId ? "true" : "false"} @click=${() => this.toggle(c.id)}>
                  <span class="num">${c.number}</span><span class="st" data-testid="case-${c.number}-state">${tr(CASE_STATE[c.state])}</span>
                  <span class="sub">${tr(c.categoryName)} · ${c.ticketNumber} · ${tr({ zh: "时限", en: "due" })} ${tr(dateWords(c.dueDate))}${c.overdue ? html` <span class="overdue">${tr({ zh: "已超期", en: "overdue" })}</span>` : ""}</span>
                </button>
                ${c.id === this.openId ? this.detail(c) : ""}
              </li>`,
            )}
          </ul>`}`;
  }

  private detail(c: CaseView) {
    const offers = OFFERS[c.state];
    const input = (e: Event) => (this.text = (e.target as HTMLInputElement).value);
    return html`<div class="detail" data-testid="case-detail" data-number=${c.number}>
      <div class="qr">
        ${this.qr?.url === c.url && this.qr.data ? html`<img data-testid="case-qr" alt=${tr({ zh: "进度查询二维码", en: "QR code of the progress page" })} src=${this.qr.data} />` : html`<span></span>`}
        <div>${tr({ zh: "请群众扫码查看办理进度", en: "The citizen scans this to follow the case" })}<br /><a data-testid="case-link" href=${c.url} target="_blank" rel="noopener">${c.url}</a></div>
      </div>
      <div>${c.summary}</div>
      <div class="st">${tr({ zh: "电话", en: "Phone" })} ${c.phone}${c.department ? html` · ${tr({ zh: "承办", en: "handled by" })} ${c.department}` : ""}</div>
      ${c.documentsNeeded.length ? html`<div class="docs" data-testid="case-docs">${tr({ zh: "待补正：", en: "Still needed: " })}${c.documentsNeeded.join("、")}</div>` : ""}
      <ol data-testid="case-steps">${c.steps.map((s) => html`<li>${momentWords(s.at, this.timezone)} ${tr(STEP_KIND[s.kind])}${s.text ? `：${s.text}` : ""} <span class="st">${s.by}</span></li>`)}</ol>
      ${offers.length
        ? html`<form @submit=${(e: Event) => this.step(e, c)}>
            <div class="line">
              <select data-testid="case-step-kind" .value=${this.kind} @change=${(e: Event) => ((this.kind = (e.target as HTMLSelectElement).value as StepKind), (this.text = ""))}>
                ${offers.map((k) => html`<option value=${k} ?selected=${k === this.kind}>${tr(STEP_KIND[k])}</option>`)}
              </select>
              ${this.kind === "documentReceived" && c.documentsNeeded.length
                ? html`<select data-testid="case-step-document" @change=${input}>${c.documentsNeeded.map((d) => html`<option value=${d}>${d}</option>`)}</select>`
                : html`<input data-testid="case-step-text" maxlength=${this.kind === "requestDocument" || this.kind === "documentReceived" ? 100 : 500} placeholder=${tr(FIELD[this.kind])} .value=${this.text} @input=${input} />`}
              <button class="act" type="submit" data-testid="case-step-submit" ?disabled=${this.busy}>${tr({ zh: "记录", en: "Record" })}</button>
            </div>
          </form>`
        : ""}
      ${c.state === "resolved"
        ? html`<form @submit=${(e: Event) => this.close(e, c)}>
            <div class="line">
              <select data-testid="case-confirmed" @change=${(e: Event) => (this.confirmed = (e.target as HTMLSelectElement).value)}>
                <option value="yes" ?selected=${this.confirmed === "yes"}>${tr({ zh: "群众已确认", en: "Confirmed by the citizen" })}</option>
                <option value="no" ?selected=${this.confirmed === "no"}>${tr({ zh: "群众未确认", en: "Not confirmed" })}</option>
              </select>
              <select data-testid="case-rating" @change=${(e: Event) => (this.rating = (e.target as HTMLSelectElement).value)}>
                <option value="">${tr({ zh: "未评价", en: "No rating" })}</option>
                ${RATINGS.map((r) => html`<option value=${r} ?selected=${this.rating === String(r)}>${tr(RATING_WORDS[r]!)}</option>`)}
              </select>
            </div>
            <div class="line">
              <input data-testid="case-close-note" maxlength="500" placeholder=${tr({ zh: "备注（可选）", en: "Note (optional)" })} .value=${this.text} @input=${input} />
              <button class="act" type="submit" data-testid="case-close-submit" ?disabled=${this.busy}>${tr({ zh: "办结归档", en: "Close case" })}</button>
            </div>
          </form>`
        : ""}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-counter-cases": CounterCasesPanel;
  }
}
