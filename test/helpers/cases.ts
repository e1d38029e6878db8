/**
 * The test hall with an escalation window (办不成事, window "9", alice's) and Wednesday 9 December
 * 2026 a holiday; and a step that puts a fresh ticket at window 9.
 */
import type { CaseView, Ticket } from "../../protocol/index.js";
import type { HallConfig } from "../../server/domain/config.js";
import { instantOf } from "../../server/domain/clock.js";
import { testHall } from "./hall.js";
import { call, cid, type Client } from "./server.js";

/** Monday 7 December 2026. */
export const MON = "2026-12-07";
export const at = (date: string, time: string) => instantOf(date, time, "Asia/Shanghai");

export function caseHall(): HallConfig {
  const base = testHall();
  return testHall({
    windows: [...base.windows, { id: "9", label: { zh: "办不成事窗口", en: "Escalation" }, qualified: ["social"], serving: ["social"], escalation: true }],
    calendar: { holidays: ["2026-12-09"], workdays: [], makeUpDayAs: "mon" },
  });
}

/** Issues a 社保 ticket and calls it at window 9 (after sending on whatever was there). */
export async function ticketAt9(kiosk: Client, counter: Client): Promise<Ticket> {
  await call(counter, "ticket:noShow", { commandId: cid(), windowId: "9" });
  const issued = await call<{ ticket: Ticket }>(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
  if (!issued.ok) throw new Error(`issue failed: ${issued.error.code}`);
  const called = await call<{ ticket: Ticket }>(counter, "window:callNext", { commandId: cid(), windowId: "9" });
  if (!called.ok) throw new Error(`call failed: ${called.error.code}`);
  return called.data.ticket;
}

/** A case:open payload for window 9. */
export const opening = (o: Record<string, unknown> = {}) => ({ commandId: cid(), windowId: "9", category: "policy", summary: "退休金核定有异议", departments: ["社保局"], phone: "13812341234", ...o });

export async function openCase(counter: Client, o: Record<string, unknown> = {}): Promise<CaseView> {
  const res = await call<CaseView>(counter, "case:open", opening(o));
  if (!res.ok) throw new Error(`case:open failed: ${res.error.code} ${res.error.message}`);
  return res.data;
}
