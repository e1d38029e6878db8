import { describe, expect, it } from "vitest";
import { TOKENS } from "./helpers/hall.js";
import { HeldStore } from "./helpers/held-store.js";
import { call, cid, nextEvent, startTestServer } from "./helpers/server.js";

describe("the store deadline", async () => {
  const store = new HeldStore();
  const t = await startTestServer({ store, storeDeadlineMs: 150 });

  it("a command the store does not decide in time is answered STORE_UNAVAILABLE", async () => {
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    store.stall("ticket:issue");
    const started = performance.now();
    const res = await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
    expect(res).toMatchObject({ ok: false, error: { code: "STORE_UNAVAILABLE" } });
    expect(performance.now() - started).toBeLessThan(2_000);
    store.release();
  });

  it("a command that commits after its deadline is still broadcast to the hall's screens", async () => {
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const board = await t.client({ role: "display", deviceToken: TOKENS.board });
    store.stall("ticket:issue");
    const commandId = cid();
    expect(await call(kiosk, "ticket:issue", { commandId, serviceId: "medical" })).toMatchObject({ ok: false, error: { code: "STORE_UNAVAILABLE" } });
    const told = nextEvent(board, (e) => e.type === "ticket:issued" && e.ticket.serviceId === "medical");
    store.release();
    const event = await told;
    const retried = await call(kiosk, "ticket:issue", { commandId, serviceId: "medical" });
    expect(retried.ok && retried.data.seq).toBe(event.seq);
  });
});
