import { LitElement, css, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { Interval, WEEKDAY_NAMES, WEEKDAYS, type Bilingual, type HoursUpdate, type HoursView, type ServiceInfo, type Weekday } from "../protocol/index.js";
import { LangController, tr } from "../web/shared/i18n.js";
import { cardStyles } from "./card-styles.js";
import { consoleErrorText, fetchHours, fetchHoursLog, saveHours, type HoursChange } from "./staff-api.js";

type ServiceEdit = HoursUpdate["services"][string];
type Span = [string, string];
/** A closed day opens nine to five; another interval starts an hour after the day's last one ends and lasts an hour. */
const nextSpan = (spans: Span[]): Span => {
  const last = spans.at(-1)?.[1];
  if (!last) return ["09:00", "17:00"];
  const h = Math.min(22, Number(last.slice(0, 2)) + 1);
  return [`${String(h).padStart(2, "0")}:00`, `${String(h + 1).padStart(2, "0")}:00`];
};
/** The server writes a change's summary "中文 / English": the part in the page's language. */
const inLanguage = (summary: string): string => {
  const [zh, en] = summary.split(" / ");
  return (tr({ zh: zh ?? summary, en: en ?? summary }) || summary).trim();
};
/** The hours schemas' messages (protocol/hours.ts) in the console's words. */
const SCHEMA_MESSAGES: Record<string, Bilingual> = {
  "an interval ends after it starts": { zh: "结束时间须晚于开始时间", en: "an interval ends after it starts" },
  "intervals of a day are in order and do not overlap": { zh: "同一天的时段须按先后排列且不能重叠", en: "intervals of a day are in order and do not overlap" },
  'a time as "HH:MM"': { zh: "时间应写成 HH:MM（如 09:00）", en: 'a time as "HH:MM" (09:00)' },
  "no such date": { zh: "没有这一天", en: "no such date" },
};

/**
 * One line of a VALIDATION refusal ("services.medical.schedule.sat.0: …") said with the form's
 * own names: 医保 周六 第1段：结束时间须晚于开始时间.
 */
function refusalLine(line: string, services: ServiceInfo[]): string {
  const at = line.indexOf(": ");
  if (at < 0) return line;
  const path = line.slice(0, at).split(".");
  const said = SCHEMA_MESSAGES[line.slice(at + 2)];
  const message = said ? tr(said) : line.slice(at + 2);
  const name = (id: string) => tr(services.find((x) => x.id === id)?.name ?? { zh: id, en: id });
  const [root, a, b, c, d] = path;
  let where: string | null = null;
  if (root === "services" && a) {
    const day = (WEEKDAYS as readonly string[]).includes(c ?? "") ? tr(WEEKDAY_NAMES[c as Weekday]) : "";
    const nth = d !== undefined && /^\d+$/.test(d) ? tr({ zh: `第${Number(d) + 1}段`, en: `interval ${Number(d) + 1}` }) : "";
    where = [name(a), b === "schedule" ? day : "", nth].filter(Boolean).join(" ");
  } else if (root === "calendar" && (a === "holidays" || a === "workdays")) {
    where = a === "holidays" ? tr({ zh: "法定节假日", en: "Public holidays" }) : tr({ zh: "调休上班日", en: "Make-up workdays" });
  } else if (root === "calendar" && a === "makeUpDayAs") {
    where = tr({ zh: "调休日按哪天的时间办理", en: "Make-up workdays keep the hours of" });
  }
  return where ? `${where}${tr({ zh: "：", en: ": " })}${message}` : line;
}

const copy = <T>(v: T): T => structuredClone(v);
const when = (ms: number, timezone: string) => new Date(ms).toLocaleString(tr({ zh: "zh-CN", en: "en-GB" }), { timeZone: timezone || undefined, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });

/**
 * 办理时间: the hall's calendar (holidays, make-up workdays and whose hours they take) and each
 * service's weekly hours (intervals per weekday, or round the clock), as GET …/hours has them; the
 * whole set is saved with PUT …/hours and the server's refusals are listed beside the form. Below,
 * who changed the hours when (GET …/hours/log).
 */
@customElement("hc-hours-editor")
export class HoursEditor extends LitElement {
  static styles = [
    cardStyles,
    css`
      .cols { display: grid; grid-template-columns: 270px minmax(0, 1fr); gap: 1rem; align-items: start; }
      section { background: #0b1f3a; border-radius: 10px; padding: 0.6rem 0.8rem; }
      h3 { margin: 0 0 0.4rem; font-size: 1.05rem; display: flex; align-items: center; gap: 0.8rem; }
      h4 { margin: 0.6rem 0 0.3rem; font-size: 0.95rem; color: var(--hc-muted); font-weight: 500; }
      input, select { font: inherit; font-size: 0.95rem; min-height: 34px; padding: 0 0.45rem; border-radius: 7px; border: 1px solid #ffffff30; background: #071527; color: var(--hc-fg); color-scheme: dark; }
      input.time { width: 4.2em; padding: 0 0.25rem; text-align: center; font-variant-numeric: tabular-nums; }
      input.bad { border-color: #f87171; background: #3b0d0d; }
      .dates { display: flex; flex-wrap: wrap; gap: 0.3rem; margin-bottom: 0.3rem; }
      .date { display: inline-flex; align-items: center; gap: 0.2rem; padding: 0 0 0 0.5rem; border-radius: 999px; background: #1e3a66; font-variant-numeric: tabular-nums; font-size: 0.92rem; }
      .date button, .span button.x { min-height: 26px; padding: 0 0.45rem; border: 0; background: transparent; color: var(--hc-muted); }
      .date button:hover, .span button.x:hover { color: #f87171; }
      .add { display: flex; gap: 0.4rem; align-items: center; }
      .services { display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr)); gap: 0.8rem; }
      .week { display: grid; grid-template-columns: 3em 1fr; gap: 0.25rem 0.5rem; align-items: center; }
      .week .day { color: var(--hc-muted); }
      .spans { display: flex; flex-wrap: wrap; gap: 0.3rem; align-items: center; min-height: 36px; }
      .span { display: inline-flex; align-items: center; gap: 0.15rem; }
      .closed { color: var(--hc-muted); font-size: 0.9rem; }
      button.more { min-height: 30px; padding: 0 0.5rem; font-size: 0.85rem; }
      label.rtc { display: inline-flex; align-items: center; gap: 0.35rem; font-size: 0.92rem; font-weight: 400; margin-left: auto; }
      label.rtc input { width: 18px; min-height: 18px; }
      .rtc-note { color: var(--hc-muted); font-size: 0.92rem; }
      /* The save bar and the server's refusals stay in sight at the foot of the window while the form scrolls. */
      .foot { position: sticky; bottom: 0; margin: 0.8rem -1rem 0; padding: 0.6rem 1rem; background: var(--hc-panel); border-top: 1px solid #ffffff20; z-index: 2; }
      .save { display: flex; gap: 0.8rem; align-items: center; flex-wrap: wrap; }
      button.primary { background: var(--hc-accent); color: #111; font-weight: 700; border: 0; min-height: 40px; padding: 0 1.2rem; }
      .errors { margin: 0.6rem 0 0; padding: 0.5rem 0.8rem 0.5rem 1.6rem; background: #3b0d0d; border: 1px solid #f87171; border-radius: 8px; color: #fecaca; }
      .saved { color: #86efac; }
      .dirty { color: #fbbf24; }
      .version { color: var(--hc-muted); font-size: 0.9rem; font-weight: 400; }
      .log { margin-top: 1rem; }
      .log td.sum { white-space: pre-line; }
    `,
  ];
  @property() hallId = "";
  @property() token = "";
  /** The hall's services, for their names and order. */
  @property({ attribute: false }) services: ServiceInfo[] = [];
  /** The hall's time zone: when a change was made is said in the hall's time. */
  @property() timezone = "";
  @state() private view: HoursView | null = null;
  @state() private draft: HoursUpdate | null = null;
  @state() private log: HoursChange[] = [];
  @state() private errors: string[] = [];
  @state() private saved: HoursView | null = null;
  @state() private saving = false;
  @state() private loadError = "";
  @state() private newHoliday = "";
  @state() private newWorkday = "";
  private i18n = new LangController(this);

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    const [hours, log] = await Promise.all([fetchHours(this.hallId, this.token), fetchHoursLog(this.hallId, this.token)]);
    if (hours.ok) this.take(hours.data);
    else this.loadError = consoleErrorText(hours.error);
    if (log.ok) this.log = log.data;
  }

  /** What the server has in force becomes the form's content. */
  private take(v: HoursView) {
    this.view = v;
    this.draft = { calendar: copy(v.calendar), services: copy(v.services) };
    this.loadError = "";
  }

  private get dirty(): boolean {
    return !!this.view && !!this.draft && JSON.stringify({ calendar: this.view.calendar, services: this.view.services }) !== JSON.stringify(this.draft);
  }

  private edit(change: (d: HoursUpdate) => void) {
    if (!this.draft) return;
    const d = copy(this.draft);
    change(d);
    this.draft = d;
    this.saved = null;
  }

  private editService(id: string, change: (s: ServiceEdit) => void) {
    this.edit((d) => change(d.services[id]!));
  }

  private async save() {
    if (!this.draft || this.saving) return;
    this.saving = true;
    this.errors = [];
    try {
      const res = await saveHours(this.hallId, this.token, this.draft);
      if (res.ok) {
        this.take(res.data);
        this.saved = res.data;
        const log = await fetchHoursLog(this.hallId, this.token);
        if (log.ok) this.log = log.data;
      } else {
        // A validation refusal lists each field's problem ("path: message; …"): one line each.
        const detail = res.error.code === "VALIDATION" ? res.error.message.replace(/^Invalid (payload|body)[^:]*:\s*/i, "").split(/;\s+/).filter(Boolean).map((l) => refusalLine(l, this.services)) : [];
        this.errors = [consoleErrorText(res.error), ...detail];
      }
    } finally {
      this.saving = false;
    }
  }

  render() {
    const v = this.view;
    const d = this.draft;
    const head = html`<h2>${tr({ zh: "办理时间", en: "Hours" })}
      ${v ? html`<span class="version" data-testid="hours-version">${v.version === null ? tr({ zh: "当前为配置文件中的时间", en: "The config file's hours are in force" }) : tr({ zh: `第 ${v.version} 版 · ${v.changedBy ?? ""} · ${v.changedAt ? when(v.changedAt, this.timezone) : ""}`, en: `Version ${v.version} · ${v.changedBy ?? ""} · ${v.changedAt ? when(v.changedAt, this.timezone) : ""}` })}</span>` : ""}</h2>`;
    if (!v || !d) return html`${head}<div class="${this.loadError ? "errors" : "muted"}" data-testid="hours-load-error">${this.loadError || tr({ zh: "正在读取…", en: "Loading…" })}</div>`;
    const order = [...this.services.map((s) => s.id).filter((id) => id in d.services), ...Object.keys(d.services).filter((id) => !this.services.some((s) => s.id === id))];
    return html`${head}
      <div class="cols">
        ${this.calendar(d)}
        <div class="services">${order.map((id) => this.service(id, d.services[id]!))}</div>
      </div>
      <div class="foot">
      <div class="save">
        <button class="primary" data-testid="hours-save" ?disabled=${this.saving || !this.dirty} @click=${() => void this.save()}>${tr({ zh: "保存办理时间", en: "Save hours" })}</button>
        ${this.dirty ? html`<button data-testid="hours-revert" @click=${() => ((this.draft = { calendar: copy(v.calendar), services: copy(v.services) }), (this.errors = []))}>${tr({ zh: "放弃修改", en: "Discard changes" })}</button><span class="dirty">${tr({ zh: "有未保存的修改", en: "Unsaved changes" })}</span>` : ""}
        ${this.saved ? html`<span class="saved" role="status" data-testid="hours-saved">${tr({ zh: `已保存 第 ${this.saved.version} 版 · ${this.saved.changedBy ?? ""}`, en: `Saved version ${this.saved.version} by ${this.saved.changedBy ?? ""}` })}</span>` : ""}
      </div>
      ${this.errors.length ? html`<ul class="errors" role="alert" data-testid="hours-errors">${this.errors.map((e) => html`<li>${e}</li>`)}</ul>` : ""}
      </div>
      ${this.changeLog()}`;
  }

  private calendar(d: HoursUpdate) {
    const list = (kind: "holidays" | "workdays", testid: string) => html`<div class="dates" data-testid=${testid}>
      ${d.calendar[kind].length === 0 ? html`<span class="closed">${tr({ zh: "无", en: "None" })}</span>` : ""}
      ${[...d.calendar[kind]].sort().map((date) => html`<span class="date">${date}<button title=${tr({ zh: "删除", en: "Remove" })} data-testid="${testid}-remove-${date}" @click=${() => this.edit((x) => (x.calendar[kind] = x.calendar[kind].filter((y) => y !== date)))}>×</button></span>`)}
    </div>`;
    const add = (kind: "holidays" | "workdays", value: string, set: (v: string) => void, testid: string) => html`<div class="add">
      <input type="date" data-testid="${testid}-new" .value=${value} @input=${(e: Event) => set((e.target as HTMLInputElement).value)} />
      <button data-testid="${testid}-add" ?disabled=${!value || d.calendar[kind].includes(value)} @click=${() => {
        this.edit((x) => (x.calendar[kind] = [...x.calendar[kind], value].sort()));
        set("");
      }}>${tr({ zh: "添加", en: "Add" })}</button>
    </div>`;
    return html`<section data-testid="hours-calendar">
      <h3>${tr({ zh: "大厅日历", en: "Hall calendar" })}</h3>
      <h4>${tr({ zh: "法定节假日（闭厅）", en: "Public holidays (closed)" })}</h4>
      ${list("holidays", "holidays")}
      ${add("holidays", this.newHoliday, (v) => (this.newHoliday = v), "holidays")}
      <h4>${tr({ zh: "调休上班日", en: "Make-up workdays" })}</h4>
      ${list("workdays", "workdays")}
      ${add("workdays", this.newWorkday, (v) => (this.newWorkday = v), "workdays")}
      <h4>${tr({ zh: "调休日按哪天的时间办理", en: "Make-up workdays keep the hours of" })}</h4>
      <select data-testid="make-up-day-as" @change=${(e: Event) => this.edit((x) => (x.calendar.makeUpDayAs = (e.target as HTMLSelectElement).value as Weekday))}>
        ${WEEKDAYS.map((w) => html`<option value=${w} ?selected=${d.calendar.makeUpDayAs === w}>${tr(WEEKDAY_NAMES[w])}</option>`)}
      </select>
    </section>`;
  }

  private service(id: string, s: ServiceEdit) {
    const info = this.services.find((x) => x.id === id);
    return html`<section data-testid="hours-${id}">
      <h3>${info ? tr(info.name) : id}
        <label class="rtc"><input type="checkbox" data-testid="hours-${id}-rtc" .checked=${s.roundTheClock} @change=${(e: Event) => this.editService(id, (x) => (x.roundTheClock = (e.target as HTMLInputElement).checked))} />${tr({ zh: "24小时办理（含节假日）", en: "Round the clock (holidays too)" })}</label>
      </h3>
      ${s.roundTheClock
        ? html`<div class="rtc-note">${tr({ zh: "全天开放，不受每周时间和节假日限制。", en: "Open at all hours, whatever the weekly hours and holidays." })}</div>`
        : html`<div class="week">${WEEKDAYS.map((day) => this.day(id, day, (s.schedule[day] ?? []) as Span[]))}</div>`}
    </section>`;
  }

  private day(id: string, day: Weekday, spans: Span[]) {
    const set = (i: number, end: 0 | 1, value: string) =>
      this.editService(id, (x) => {
        const list = [...((x.schedule[day] ?? []) as Span[])];
        const span: Span = [...list[i]!];
        span[end] = value.trim();
        list[i] = span;
        x.schedule[day] = list;
      });
    const remove = (i: number) =>
      this.editService(id, (x) => {
        const list = ((x.schedule[day] ?? []) as Span[]).filter((_, j) => j !== i);
        if (list.length) x.schedule[day] = list;
        else delete x.schedule[day];
      });
    const add = () => this.editService(id, (x) => (x.schedule[day] = [...((x.schedule[day] ?? []) as Span[]), nextSpan((x.schedule[day] ?? []) as Span[])]));
    return html`<span class="day">${tr(WEEKDAY_NAMES[day])}</span>
      <div class="spans" data-testid="hours-${id}-${day}">
        ${spans.length === 0 ? html`<span class="closed">${tr({ zh: "不办理", en: "Closed" })}</span>` : ""}
        ${spans.map((sp, i) => {
          const bad = !Interval.safeParse(sp).success;
          return html`<span class="span">
            <input class="time ${bad ? "bad" : ""}" data-testid="hours-${id}-${day}-${i}-from" .value=${sp[0]} placeholder="09:00" @input=${(e: Event) => set(i, 0, (e.target as HTMLInputElement).value)} />–<input class="time ${bad ? "bad" : ""}" data-testid="hours-${id}-${day}-${i}-to" .value=${sp[1]} placeholder="17:00" @input=${(e: Event) => set(i, 1, (e.target as HTMLInputElement).value)} />
            <button class="x" title=${tr({ zh: "删除时段", en: "Remove" })} data-testid="hours-${id}-${day}-${i}-remove" @click=${() => remove(i)}>×</button>
          </span>`;
        })}
        <button class="more" data-testid="hours-${id}-${day}-add" ?disabled=${spans.length >= 8} @click=${add}>＋ ${tr({ zh: "时段", en: "Interval" })}</button>
      </div>`;
  }

  private changeLog() {
    return html`<div class="log">
      <h2>${tr({ zh: "修改记录", en: "Change log" })}</h2>
      ${this.log.length === 0
        ? html`<div class="muted" data-testid="hours-log-empty">${tr({ zh: "还没有人在管理台修改过办理时间", en: "Nobody has changed the hours in the console yet" })}</div>`
        : html`<table data-testid="hours-log">
            <tr><th>${tr({ zh: "版本", en: "Version" })}</th><th>${tr({ zh: "修改人", en: "By" })}</th><th>${tr({ zh: "时间", en: "When" })}</th><th>${tr({ zh: "修改内容", en: "What changed" })}</th></tr>
            ${this.log.map((c) => html`<tr data-testid="hours-log-${c.version}"><td class="n">${c.version}</td><td>${c.by}</td><td>${when(c.at, this.timezone)}</td><td class="sum">${inLanguage(c.summary)}</td></tr>`)}
          </table>`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "hc-hours-editor": HoursEditor;
  }
}
