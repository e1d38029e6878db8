/**
 * The hall's downloads: every ticket of a date range as CSV (UTF-8 with a BOM, so that Excel opens
 * Chinese names correctly) or XLSX, and the summary as XLSX with one sheet per grouping. Tickets
 * are read a page at a time (ticketPages) and written as they come, so a quarter never sits in
 * memory whole; a ticket's row names the 办不成事 cases opened from it (number and state), read
 * for each page's tickets with the page.
 */
import type { Writable } from "node:stream";
import { caseReport } from "./cases.js";
import ExcelJS from "exceljs";
import type { CaseState, ReportGrouping, ReportRow } from "../../protocol/index.js";
import type { HallConfig } from "../domain/config.js";
import type { RecordsStore } from "./records-store.js";
import { LocalTime, PAGE_ROWS, summarizeAll, ticketPages } from "./reports.js";
import type { TicketsTable } from "./schema.js";

const COLUMNS = ["number", "service_id", "priority", "channel", "issued_at", "called_at", "ended_at", "wait_sec", "service_sec", "window_id", "staff_id", "rating", "outcome", "transferred"] as const;
type TicketColumns = Pick<TicketsTable, (typeof COLUMNS)[number] | "issued_at" | "ticket_id" | "business_date">;

/** Column headings, Chinese first: the hall's staff read them; the English half names them for scripts. */
const HEADINGS = ["号码 number", "事项 service", "优先 priority", "渠道 channel", "取号 issued", "叫号 called", "结束 ended", "等候(秒) wait s", "办理(秒) service s", "窗口 window", "人员 staff", "评价 rating", "结果 outcome", "转办 transferred", "工单 case", "工单状态 case state"];

const OUTCOME: Record<string, string> = { finished: "办结 finished", noShow: "过号 no-show", cancelled: "取消 cancelled" };
const CASE_STATE: Record<CaseState, string> = { open: "办理中 open", waitingForCitizen: "待补正材料 waitingForCitizen", resolved: "已解决 resolved", closed: "已办结 closed" };
/** Between the cases of a ticket that had more than one opened from it, oldest first. */
const CASES_APART = "、";

type TicketRow = TicketColumns & { cases: readonly { number: string; state: string }[] };

/**
 * The page's tickets with the cases opened from them. A case is opened from a ticket at the
 * window on the ticket's business day or later (a ticket carries over past midnight), so the
 * lookup keeps to cases of those days (by the index of case numbers). A ticket's row is its id on
 * its business day: of rows sharing an id, a case belongs to the latest on or before its day.
 */
async function withCases(records: RecordsStore, hallId: string, page: readonly TicketColumns[]): Promise<TicketRow[]> {
  const byTicket = new Map<string, { number: string; state: string }[]>();
  const at = (day: string, ticketId: string) => `${day}\n${ticketId}`;
  // A page is one business day's (ticketPages); a day at a time whatever it holds.
  for (const day of new Set(page.map((t) => t.business_date))) {
    const found = await records.db
      .selectFrom("records_cases as c")
      .select(["c.ticket_id", "c.number", "c.state"])
      .where("c.hall_id", "=", hallId)
      .where("c.business_date", ">=", day)
      .where("c.ticket_id", "in", page.filter((t) => t.business_date === day).map((t) => t.ticket_id))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("records_tickets as later")
              .select("later.ticket_id")
              .whereRef("later.hall_id", "=", "c.hall_id")
              .whereRef("later.ticket_id", "=", "c.ticket_id")
              .where("later.business_date", ">", day)
              .whereRef("later.business_date", "<=", "c.business_date"),
          ),
        ),
      )
      .orderBy("c.business_date")
      .orderBy("c.day_seq")
      .execute();
    for (const c of found) byTicket.set(at(day, c.ticket_id), [...(byTicket.get(at(day, c.ticket_id)) ?? []), { number: c.number, state: c.state }]);
  }
  return page.map((t) => ({ ...t, cases: byTicket.get(at(t.business_date, t.ticket_id)) ?? [] }));
}

/** The hall's tickets of the range, each page with its cases. */
async function* ticketRows(records: RecordsStore, hall: HallConfig, range: { from: string; to: string }, pageRows: number): AsyncGenerator<TicketRow[]> {
  for await (const page of ticketPages(records, hall.id, range.from, range.to, [...COLUMNS, "business_date"], pageRows)) yield withCases(records, hall.id, page);
}

/** Turns a ticket into the cells of a row, in the hall's names and local time (names looked up once per export). */
function rowCells(hall: HallConfig): (t: TicketRow) => (string | number | null)[] {
  const local = new LocalTime(hall.timezone);
  const services = new Map(hall.services.map((s) => [s.id, s.name.zh]));
  const windows = new Map(hall.windows.map((w) => [w.id, w.label.zh]));
  const at = (ms: number | null) => (ms === null ? null : local.text(ms));
  return (t) => [
    t.number,
    services.get(t.service_id) ?? t.service_id,
    t.priority,
    t.channel,
    at(t.issued_at),
    at(t.called_at),
    at(t.ended_at),
    t.wait_sec === null ? null : Math.round(t.wait_sec),
    t.service_sec === null ? null : Math.round(t.service_sec),
    (t.window_id !== null ? windows.get(t.window_id) : undefined) ?? t.window_id,
    t.staff_id,
    t.rating,
    t.outcome ? (OUTCOME[t.outcome] ?? t.outcome) : null,
    t.transferred ? 1 : 0,
    t.cases.length ? t.cases.map((c) => c.number).join(CASES_APART) : null,
    t.cases.length ? t.cases.map((c) => CASE_STATE[c.state as CaseState] ?? c.state).join(CASES_APART) : null,
  ];
}

const csvCell = (v: string | number | null): string => {
  if (v === null) return "";
  const s = String(v);
  // A cell starting with = + - @ is a formula to Excel: quote it flat (CSV injection).
  const flat = typeof v === "string" && /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(flat) || flat !== s ? `"${flat.replaceAll('"', '""')}"` : flat;
};

/** Resolves once `chunk` is taken; waits for drain when the receiver is slow. */
function write(out: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(chunk)) return resolve();
    out.once("drain", resolve);
    out.once("error", reject);
  });
}

/** `pageRows`: tickets read (and their cases looked up) per query. */
export async function ticketsCsv(records: RecordsStore, hall: HallConfig, range: { from: string; to: string }, out: Writable, pageRows = PAGE_ROWS): Promise<number> {
  const cells = rowCells(hall);
  await write(out, `\uFEFF${HEADINGS.map(csvCell).join(",")}\r\n`);
  let rows = 0;
  for await (const page of ticketRows(records, hall, range, pageRows)) {
    await write(out, page.map((t) => cells(t).map(csvCell).join(",") + "\r\n").join(""));
    rows += page.length;
  }
  return rows;
}

export async function ticketsXlsx(records: RecordsStore, hall: HallConfig, range: { from: string; to: string }, out: Writable, pageRows = PAGE_ROWS): Promise<number> {
  const cells = rowCells(hall);
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = book.addWorksheet("tickets 取号明细");
  sheet.addRow(HEADINGS).commit();
  let rows = 0;
  for await (const page of ticketRows(records, hall, range, pageRows)) {
    for (const t of page) sheet.addRow(cells(t)).commit();
    rows += page.length;
  }
  sheet.commit();
  await book.commit();
  return rows;
}

const SHEETS: { by: ReportGrouping; name: string }[] = [
  { by: "day", name: "按日 by day" },
  { by: "service", name: "按事项 by service" },
  { by: "window", name: "按窗口 by window" },
  { by: "staff", name: "按人员 by staff" },
  { by: "hour", name: "按时段 by hour" },
];

const SUMMARY_HEADINGS = ["分组 group", "名称 name", "取号 issued", "办结 served", "过号 no-shows", "取消 cancelled", "转办 transferred", "平均等候(秒) mean wait s", "等候中位(秒) p50 wait s", "等候P90(秒) p90 wait s", "目标内占比 within target", "平均办理(秒) mean service s", "非常不满意", "不满意", "基本满意", "满意", "非常满意", "满意率 satisfaction", "差评 bad"];

const summaryCells = (r: ReportRow) => [
  r.key,
  r.label?.zh ?? "",
  r.issued,
  r.served,
  r.noShows,
  r.cancelled,
  r.transferred,
  r.waitMeanSec,
  r.waitP50Sec,
  r.waitP90Sec,
  r.withinTargetShare,
  r.serviceMeanSec,
  ...r.ratings,
  r.satisfaction,
  r.bad,
];

const CASE_HEADINGS = ["category", "类别 category", "受理 opened", "解决 resolved", "办结 closed", "超期 overdue", "平均办理工作日 mean working days to resolve"];

/**
 * The summary of the range as XLSX: a sheet per grouping, and the 办不成事 cases opened in the
 * range by category (从解决一个问题到解决一类问题), counted as of `today`.
 */
export async function summaryXlsx(records: RecordsStore, hall: HallConfig, range: { from: string; to: string }, out: Writable, today: string): Promise<void> {
  const all = await summarizeAll(records, hall, range, SHEETS.map((s) => s.by));
  const cases = await caseReport(records.cases, hall, range.from, range.to, today);
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  for (const { by, name } of SHEETS) {
    const sheet = book.addWorksheet(name);
    sheet.addRow(SUMMARY_HEADINGS).commit();
    for (const row of all[by].rows) sheet.addRow(summaryCells(row)).commit();
    sheet.addRow(summaryCells(all[by].total)).commit();
    sheet.commit();
  }
  const sheet = book.addWorksheet("cases 工单");
  sheet.addRow(CASE_HEADINGS).commit();
  for (const c of cases) sheet.addRow([c.category, c.name.zh, c.opened, c.resolved, c.closed, c.overdue, c.meanWorkingDaysToResolve]).commit();
  sheet.commit();
  await book.commit();
}
