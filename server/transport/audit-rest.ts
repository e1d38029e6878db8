/**
 * The audit trail over REST (GET /api/halls/:hallId/audit, managers): who did what in the hall,
 * newest first, from the records (records/audit.ts). Mounted inside the REST router, so its
 * limits, no-store header, staff checks and JSON errors apply; a query that is not one is 400.
 */
import type { Request, Router } from "express";
import { AuditQuery, HallCallError } from "../../protocol/index.js";
import type { HallConfig } from "../domain/config.js";
import { auditTrail } from "../records/audit.js";
import type { RecordsStore } from "../records/records-store.js";
import type { StaffSession } from "./auth.js";

export interface AuditRoutes {
  records: RecordsStore;
  hallOf(req: Request): HallConfig;
  /** The request's signed-in staff member of this hall (throws UNAUTHORIZED / SESSION_ENDED). */
  staffOf(req: Request, hall: HallConfig): Promise<StaffSession>;
}

export function mountAudit(r: Router, deps: AuditRoutes): void {
  r.get("/api/halls/:hallId/audit", async (req, res) => {
    const hall = deps.hallOf(req);
    const session = await deps.staffOf(req, hall);
    if (!session.roles.includes("manager")) throw new HallCallError("FORBIDDEN", "The hall's audit trail is for its managers.");
    res.json(await auditTrail(deps.records, hall, AuditQuery.parse(req.query)));
  });
}
