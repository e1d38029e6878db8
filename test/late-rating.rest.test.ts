import { describe, expect, it } from "vitest";
import { CommandSchemas, FollowUpList, LateRatingResult, ReportSummary, type CommandName } from "../protocol/index.js";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import type { Actor } from "../server/domain/hall-commands.js";
import { openRecords } from "../server/records/open.js";
import { testHall } from "./helpers/hall.js";
import { cid, startTestServer } from "./helpers/server.js";

/** Monday 7 December 2026, 10:00 in the hall's zone. */
const MON = "2026-12-07";
const T0 = instantOf(MON, "10:00", "Asia/Shanghai");
const DAY = 86_400_000;

async function bench() {
  const records = await openRecords({ sqlite: ":memory:" });
  const clock = new ManualClock(T0);
  const t = await startTestServer({ records, clock, halls: [testHall()] });
  const hallId = t.hall.id;
  const run = (name: CommandName, payload: Record<string, unknown>, by: Actor = "staff", staffId: string | null = "alice") =>
    t.server.ctx.run(hallId, { name, payload: CommandSchemas[name].parse({ commandId: cid(), ...payload }) } as never, by, staffId);
  await run("window:open", { windowId: "1" });
  await run("window:open", { windowId: "2" }, "staff", "bob");
  /** A ticket issued, called, served and finished at window 1. */
  const served = async () => {
    const issued = await run("ticket:issue", { serviceId: "social" }, "kiosk", null);
    const id = (issued as { ticket: { id: string } }).ticket.id;
    await run("window:callNext", { windowId: "1" });
    await run("ticket:start", { windowId: "1" });
    await run("ticket:finish", { windowId: "1" });
    return id;
  };
  /** A 一件事 bundle: social served at window 1 (alice), then medical at window 2 (bob), each step rated at its pad as given. */
  const bundle = async (padRatings: [number | null, number | null] = [null, null]) => {
    const issued = await run("ticket:issue", { serviceId: "social", then: ["medical"] }, "kiosk", null);
    const id = (issued as { ticket: { id: string } }).ticket.id;
    for (const [i, windowId] of (["1", "2"] as const).entries()) {
      const staffId = windowId === "1" ? "alice" : "bob";
      await run("window:callNext", { windowId }, "staff", staffId);
      await run("ticket:finish", { windowId }, "staff", staffId);
      if (padRatings[i] != null) await run("ticket:rate", { windowId, ticketId: id, rating: padRatings[i] }, "pad", null);
    }
    return id;
  };
  const archive = async () => records.append(hallId, await t.server.ctx.store.eventsSince(hallId, 0, 10_000));
  /** The next business day started: the hall lets yesterday's ended tickets go. */
  const nextDay = async (days = 1) => {
    clock.advance(days * DAY);
    await t.server.ctx.run(hallId, { name: "hall:startDay", payload: {} }, "system", null);
  };
  const rate = async (ticketId: string, body: unknown) => {
    const res = await fetch(`${t.url}/api/halls/${hallId}/tickets/${ticketId}/rating`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
  };
  const followUps = async () => {
    const res = await fetch(`${t.url}/api/halls/${hallId}/follow-ups?state=all`, { headers: { authorization: `Bearer ${await t.login("boss")}` } });
    return FollowUpList.parse(await res.json()).followUps;
  };
  return { t, records, clock, run, served, bundle, archive, nextDay, rate, followUps, hallId };
}

describe("a late rating from the tracker link, the same day", async () => {
  const b = await bench();

  it("rates a finished ticket the pad did not, through the hall, and a second is refused", async () => {
    const id = await b.served();
    const first = await b.rate(id, { rating: 4 });
    expect(first.status).toBe(201);
    expect(LateRatingResult.parse(first.body)).toEqual({ ticketId: id, rating: 4, scope: "service", followUpId: null });
    expect((await b.t.server.ctx.store.ticket(b.hallId, id))!.rating).toBe(4);
    expect(await b.rate(id, { rating: 5 })).toMatchObject({ status: 409, body: { error: { code: "ALREADY_RATED" } } });
  });

  it("the pad cannot rate again a ticket rated from the tracker, nor the tracker one rated at the pad", async () => {
    const fromTracker = await b.served();
    await b.rate(fromTracker, { rating: 3 });
    await expect(b.run("ticket:rate", { windowId: "1", ticketId: fromTracker, rating: 5 }, "pad", null)).rejects.toMatchObject({ code: "ALREADY_RATED" });
    const atPad = await b.served();
    await b.run("ticket:rate", { windowId: "1", ticketId: atPad, rating: 5 }, "pad", null);
    expect(await b.rate(atPad, { rating: 1 })).toMatchObject({ status: 409, body: { error: { code: "ALREADY_RATED" } } });
  });

  it("a 差评 from the tracker opens a follow-up once archived, marked as from the tracker", async () => {
    const id = await b.served();
    await b.rate(id, { rating: 2 });
    await b.archive();
    expect((await b.followUps()).filter((f) => f.ticketId === id)).toMatchObject([{ rating: 2, source: "tracker", state: "open" }]);
  });

  it("a ticket still waiting cannot be rated", async () => {
    const issued = await b.run("ticket:issue", { serviceId: "medical" }, "kiosk", null);
    expect(await b.rate((issued as { ticket: { id: string } }).ticket.id, { rating: 5 })).toMatchObject({ status: 409, body: { error: { code: "NOT_RATEABLE" } } });
  });

  it("an unknown ticket is 404 and a rating out of 1–5 is 400", async () => {
    expect(await b.rate("no-such-ticket", { rating: 5 })).toMatchObject({ status: 404, body: { error: { code: "UNKNOWN_TICKET" } } });
    const id = await b.served();
    expect(await b.rate(id, { rating: 6 })).toMatchObject({ status: 400, body: { error: { code: "VALIDATION" } } });
  });
});

describe("a 一件事 bundle's whole matter from the tracker link", async () => {
  const b = await bench();

  it("the same day: rated as a whole through the hall, apart from its steps rated at the pads, and only once", async () => {
    const id = await b.bundle([5, 2]);
    const first = await b.rate(id, { rating: 4 });
    expect(first.status).toBe(201);
    expect(LateRatingResult.parse(first.body)).toEqual({ ticketId: id, rating: 4, scope: "whole", followUpId: null });
    const held = (await b.t.server.ctx.store.ticket(b.hallId, id))!;
    expect([held.rating, held.served.map((s) => s.rating)]).toEqual([4, [5, 2]]);
    expect(await b.rate(id, { rating: 1 })).toMatchObject({ status: 409, body: { error: { code: "ALREADY_RATED" } } });
  });

  it("not before every step is done", async () => {
    const issued = await b.run("ticket:issue", { serviceId: "social", then: ["medical"] }, "kiosk", null);
    const id = (issued as { ticket: { id: string } }).ticket.id;
    await b.run("window:callNext", { windowId: "1" });
    await b.run("ticket:finish", { windowId: "1" });
    expect(await b.rate(id, { rating: 5 })).toMatchObject({ status: 409, body: { error: { code: "NOT_RATEABLE" } } });
  });

});

describe("a 一件事 bundle's whole matter from the tracker link days after the visit", async () => {
  const b = await bench();

  it("is kept in the records as the whole matter's, and a 差评 opens a follow-up of no window", async () => {
    const id = await b.bundle([4, null]);
    await b.archive();
    await b.nextDay(2);
    const res = await b.rate(id, { rating: 2 });
    expect(res.status).toBe(201);
    const { scope, followUpId } = LateRatingResult.parse(res.body);
    expect(scope).toBe("whole");
    expect((await b.followUps()).find((f) => f.id === followUpId)).toMatchObject({ ticketId: id, scope: "whole", step: null, windowId: null, staffId: null, rating: 2, source: "tracker" });
    expect(await b.rate(id, { rating: 5 })).toMatchObject({ status: 409, body: { error: { code: "ALREADY_RATED" } } });
  });
});

describe("a late rating days after the visit", async () => {
  const b = await bench();
  const unrated = await b.served();
  const good = await b.served();
  const tooLate = await b.served();
  await b.archive();
  await b.nextDay(3);

  it("is kept in the records, counts in the report, and a 1 opens a follow-up at once", async () => {
    expect(await b.t.server.ctx.store.ticket(b.hallId, unrated)).toBeNull();
    const res = await b.rate(unrated, { rating: 1 });
    expect(res.status).toBe(201);
    const { followUpId } = LateRatingResult.parse(res.body);
    expect(followUpId).not.toBeNull();
    expect((await b.followUps()).find((f) => f.id === followUpId)).toMatchObject({ ticketId: unrated, rating: 1, source: "tracker", businessDate: MON, dueDate: "2026-12-14" });
    const summary = await fetch(`${b.t.url}/api/halls/${b.hallId}/reports/summary?from=${MON}&to=${MON}`, { headers: { authorization: `Bearer ${await b.t.login("boss")}` } });
    const report = ReportSummary.parse(await summary.json());
    expect(report.total.ratings[0]).toBe(1);
    expect(report.followUps.opened).toBe(1);
  });

  it("is taken once", async () => {
    expect((await b.rate(good, { rating: 5 })).status).toBe(201);
    expect(await b.rate(good, { rating: 5 })).toMatchObject({ status: 409, body: { error: { code: "ALREADY_RATED" } } });
  });

  it("is refused more than rating.lateDays after the ticket's day", async () => {
    await b.nextDay(5);
    expect(await b.rate(tooLate, { rating: 1 })).toMatchObject({ status: 409, body: { error: { code: "RATING_EXPIRED" } } });
  });
});
