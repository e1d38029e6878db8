/**
 * Cases (工单) over REST. Public: a case's progress page reads `GET /api/halls/:hallId/cases/:key`,
 * the case's unguessable key being the credential (like a ticket's id for its tracker). The hall's
 * managers read the board (`?state=open|all`) and the monthly report by category. Changes go over
 * the socket (`case:*`), where they are pushed live. Mounted inside the REST router (the same
 * limits, no-store and JSON errors); the rules are the domain's (domain/case.ts).
 */
import type { Request, Router } from "express";
import { CaseReportQuery, CasesQuery, HallCallError } from "../../protocol/index.js";
import type { HallConfig } from "../domain/config.js";
import type { StaffSession } from "./auth.js";
import type { CaseDesk } from "./case-desk.js";

export interface CaseRoutes {
  desk: CaseDesk;
  /** Where phones reach this server (a case's public link); else the request's own origin. */
  publicUrl?: string;
  hallOf(req: Request): HallConfig;
  staffOf(req: Request, hall: HallConfig): Promise<StaffSession>;
}

export function mountCases(r: Router, deps: CaseRoutes): void {
  const { desk } = deps;
  const base = "/api/halls/:hallId/cases";
  const originOf = (req: Request): string => (deps.publicUrl ?? `${req.protocol}://${req.get("host") ?? "localhost"}`).replace(/\/+$/, "");
  const manager = async (req: Request): Promise<HallConfig> => {
    const hall = deps.hallOf(req);
    const session = await deps.staffOf(req, hall);
    if (!session.roles.includes("manager")) throw new HallCallError("FORBIDDEN", "The case board and report are for the hall's managers.");
    return hall;
  };

  r.get(base, async (req, res) => {
    const hall = await manager(req);
    const { state } = CasesQuery.parse(req.query);
    res.json(await desk.board(hall, state, originOf(req)));
  });

  // Before the key's route: "report" is not a key.
  r.get(`${base}/report`, async (req, res) => {
    const hall = await manager(req);
    const { month } = CaseReportQuery.parse(req.query);
    res.json(await desk.report(hall, month));
  });

  /** Public by design: the key is the credential. */
  r.get(`${base}/:key`, async (req, res) => {
    const hall = deps.hallOf(req);
    const found = await desk.cases.getByKey(hall.id, String(req.params.key).slice(0, 64));
    if (!found) throw new HallCallError("UNKNOWN_CASE", "No such case in this hall.");
    res.json(desk.publicView(hall, found));
  });
}
