/**
 * The hall's reports over REST: the summary (JSON) and the downloads for managers, and a counter's
 * own figures across days. Mounted inside the REST router, so the same rate limits, no-store
 * header, staff checks and JSON errors apply.
 */
import type { Request, Response, Router } from "express";
import { HallCallError, ReportQuery, type ReportRow } from "../../protocol/index.js";
import type { HallConfig } from "../domain/config.js";
import { businessDate } from "../domain/clock.js";
import { summaryXlsx, ticketsCsv, ticketsXlsx } from "../records/exports.js";
import type { RecordsStore } from "../records/records-store.js";
import { summarize } from "../records/reports.js";
import type { StaffSession } from "./auth.js";

export interface ReportRoutes {
  records: RecordsStore;
  hallOf(req: Request): HallConfig;
  /** The request's signed-in staff member of this hall (throws UNAUTHORIZED / SESSION_ENDED). */
  staffOf(req: Request, hall: HallConfig): Promise<StaffSession>;
  /** Now, for what the exports count as of today (overdue cases). */
  now(): number;
}

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export function mountReports(r: Router, deps: ReportRoutes): void {
  const manager = async (req: Request) => {
    const hall = deps.hallOf(req);
    const session = await deps.staffOf(req, hall);
    if (!session.roles.includes("manager")) throw new HallCallError("FORBIDDEN", "The hall's reports are for its managers; a counter sees its own figures (reports/me).");
    return hall;
  };
  const range = (req: Request) => ReportQuery.parse(req.query);
  const download = (res: Response, hall: HallConfig, q: { from: string; to: string }, what: string, type: string) => {
    res.type(type).attachment(`hallcall-${hall.id}-${what}-${q.from}-${q.to}.${type === XLSX ? "xlsx" : "csv"}`);
  };

  r.get("/api/halls/:hallId/reports/summary", async (req, res) => {
    const hall = await manager(req);
    res.json(await summarize(deps.records, hall, range(req)));
  });

  r.get("/api/halls/:hallId/reports/tickets.csv", async (req, res) => {
    const hall = await manager(req);
    const q = range(req);
    download(res, hall, q, "tickets", "text/csv; charset=utf-8");
    await ticketsCsv(deps.records, hall, q, res);
    res.end();
  });

  r.get("/api/halls/:hallId/reports/tickets.xlsx", async (req, res) => {
    const hall = await manager(req);
    const q = range(req);
    download(res, hall, q, "tickets", XLSX);
    await ticketsXlsx(deps.records, hall, q, res);
  });

  r.get("/api/halls/:hallId/reports/summary.xlsx", async (req, res) => {
    const hall = await manager(req);
    const q = range(req);
    download(res, hall, q, "summary", XLSX);
    await summaryXlsx(deps.records, hall, q, res, businessDate(deps.now(), hall.timezone));
  });

  /** A counter's own figures: its tickets by day and in all, whoever else worked the same days. */
  r.get("/api/halls/:hallId/reports/me", async (req, res) => {
    const hall = deps.hallOf(req);
    const session = await deps.staffOf(req, hall);
    const summary = await summarize(deps.records, hall, { ...range(req), by: "day" }, { staffId: session.staffId });
    const mine: { staffId: string; rows: ReportRow[]; total: ReportRow } = { staffId: session.staffId, rows: summary.rows, total: summary.total };
    res.json(mine);
  });
}
