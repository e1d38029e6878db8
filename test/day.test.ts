import { beforeAll, describe, expect, it } from "vitest";
import type { HallEvent, HallSnapshot } from "../protocol/index.js";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import { TOKENS } from "./helpers/hall.js";
import { call, cid, nextEvent, startTestServer, type TestServer } from "./helpers/server.js";
import { bothStores } from "./helpers/stores.js";

describe.each(bothStores("day"))("a new business day on %s", (_name, makeStore) => {
  const clock = new ManualClock(instantOf("2026-11-23", "23:58", "Asia/Shanghai"));
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ store: await makeStore(), clock });
  });

  it("at midnight the boards and strips are told; numbers restart and the citizen still waiting keeps the place", async () => {
    const kiosk = await srv.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const board = await srv.client({ role: "display", deviceToken: TOKENS.board });
    const strip = await srv.client({ role: "display", deviceToken: TOKENS.strip1 });
    const late = await call<{ ticket: { id: string } }>(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
    await srv.server.days.check();

    clock.advance(3 * 60_000);
    const told = nextEvent(board, (e) => e.type === "hall:dayStarted");
    const stripTold = nextEvent(strip, (e) => e.type === "hall:dayStarted");
    await srv.server.days.check();
    const e = (await told) as Extract<HallEvent, { type: "hall:dayStarted" }>;
    expect(e.businessDate).toBe("2026-11-24");
    expect((await stripTold).seq).toBe(e.seq);

    const snap = await call<HallSnapshot>(board, "hall:snapshot", {});
    expect(snap.ok && snap.data.businessDate).toBe("2026-11-24");
    expect(snap.ok && snap.data.tickets.map((t) => [t.id, t.businessDate])).toEqual([[late.ok && late.data.ticket.id, "2026-11-23"]]);
    expect(snap.ok && snap.data.stats.issued).toEqual({});
    const first = await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
    expect(first.ok && (first.data as { ticket: { number: string } }).ticket.number).toBe("A001");
  });
});

describe.each(bothStores("day-everyone"))("every screen of the hall hears of a new day on %s", (_name, makeStore) => {
  it("trackers, pads and counters get hall:dayStarted as well as boards and strips", async () => {
    const clock = new ManualClock(instantOf("2026-11-23", "23:58", "Asia/Shanghai"));
    const srv = await startTestServer({ store: await makeStore(), clock });
    const kiosk = await srv.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const issued = await call<{ ticket: { id: string } }>(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
    const tracker = await srv.client({ role: "tracker", ticketId: issued.ok ? issued.data.ticket.id : "" });
    const pad = await srv.client({ role: "pad", deviceToken: TOKENS.pad2 });
    const counter = await srv.counter("bob", "3");
    const screens = [tracker, pad, counter].map((s) => nextEvent(s, (e) => e.type === "hall:dayStarted"));
    clock.advance(3 * 60_000);
    await srv.server.days.check();
    const told = await Promise.all(screens);
    expect(told.map((e) => e.type === "hall:dayStarted" && e.businessDate)).toEqual(["2026-11-24", "2026-11-24", "2026-11-24"]);
  });
});
