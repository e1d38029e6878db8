/**
 * The counter's buttons and the server's refusals come from one table: for every window state and
 * ticket at the window, the counter offers an action exactly when the domain would not refuse it
 * for the window's state.
 */
import { describe, expect, it } from "vitest";
import { HallCallError, type Ticket, type Window } from "../protocol/index.js";
import { ACTIONS, allowed } from "../counter-client/actions.js";
import { decide, type HallView } from "../server/domain/transitions.js";
import type { StoreCommand } from "../server/domain/hall-commands.js";
import { windowWith, ticketWith } from "./helpers/entities.js";
import { contractHall, T0 } from "./store.contract.js";

const STATE_REFUSALS = ["WINDOW_NOT_OPEN", "WINDOW_BUSY", "WINDOW_IDLE", "ILLEGAL_TRANSITION"];

const config = contractHall();
const windowIn = (state: Window["state"], ticketId: string | null): Window => windowWith("w1", { qualified: ["social", "medical"], serving: ["social"], state, ticketId, staffId: "alice" });
const ticketIn = (state: Ticket["state"]): Ticket => ticketWith("t1", { number: "A001", serviceId: "social", state, businessDate: "2026-03-02", issuedAt: T0, arrivedAt: T0, queuedAt: T0, calledAt: T0, windowId: "w1", staffId: "alice" });

const COMMANDS: Record<string, StoreCommand> = {
  callNext: { name: "window:callNext", payload: { commandId: "c", windowId: "w1" } },
  recall: { name: "window:recall", payload: { commandId: "c", windowId: "w1" } },
  start: { name: "ticket:start", payload: { commandId: "c", windowId: "w1" } },
  finish: { name: "ticket:finish", payload: { commandId: "c", windowId: "w1" } },
  noShow: { name: "ticket:noShow", payload: { commandId: "c", windowId: "w1" } },
  transfer: { name: "ticket:transfer", payload: { commandId: "c", windowId: "w1", toServiceId: "medical" } },
  park: { name: "ticket:park", payload: { commandId: "c", windowId: "w1", reason: "缺材料", missingDocs: [] } },
  pause: { name: "window:pause", payload: { commandId: "c", windowId: "w1", reason: "break" } },
  resume: { name: "window:resume", payload: { commandId: "c", windowId: "w1" } },
  open: { name: "window:open", payload: { commandId: "c", windowId: "w1" } },
  close: { name: "window:close", payload: { commandId: "c", windowId: "w1" } },
};

function refusal(cmd: StoreCommand, w: Window, t: Ticket | undefined): string | null {
  const view: HallView = { config, businessDate: "2026-03-02", window: (id) => (id === w.id ? w : undefined), ticket: (id) => (t && id === t.id ? t : undefined), waiting: () => [], live: () => [], issuedToday: () => 0, walkInsToday: () => 0, suggestion: () => undefined, suggestions: () => [] };
  try {
    decide(view, cmd, { now: T0, by: "staff", staffId: "alice" });
    return null;
  } catch (err) {
    if (!(err instanceof HallCallError)) throw err;
    return err.code;
  }
}

describe("the counter's buttons follow the server's window rules", () => {
  const cases: [Window["state"], Ticket["state"] | null][] = [];
  for (const ws of ["closed", "open", "paused"] as const) for (const ts of [null, "called", "serving"] as const) if (ws === "open" || ts === null) cases.push([ws, ts]);
  it.each(cases)("window %s, ticket at it %s", (ws, ts) => {
    const t = ts ? ticketIn(ts) : undefined;
    const w = windowIn(ws, t ? t.id : null);
    for (const a of ACTIONS) {
      const code = refusal(COMMANDS[a.id]!, w, t);
      const refusedForState = code !== null && STATE_REFUSALS.includes(code);
      expect(allowed(a.id, w, t), `${a.id}: server says ${code}`).toBe(!refusedForState);
    }
  });
});
