import { describe, expect, it } from "vitest";
import { CommandSchemas, FollowUp, FollowUpList, type CommandName } from "../protocol/index.js";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import type { Actor } from "../server/domain/hall-commands.js";
import { openRecords } from "../server/records/open.js";
import { testHall } from "./helpers/hall.js";
import { cid, startTestServer } from "./helpers/server.js";

/** Monday 7 December 2026, 10:00 in the hall's zone. */
const MON = "2026-12-07";
const T0 = instantOf(MON, "10:00", "Asia/Shanghai");
const DAY = 86_400_000;

describe("差评 follow-ups in the console", async () => {
  const records = await openRecords({ sqlite: ":memory:" });
  const clock = new ManualClock(T0);
  const t = await startTestServer({ records, clock, halls: [testHall()] });
  const hallId = t.hall.id;
  const run = (name: CommandName, payload: Record<string, unknown>, by: Actor = "staff", staffId: string | null = "alice") =>
    t.server.ctx.run(hallId, { name, payload: CommandSchemas[name].parse({ commandId: cid(), ...payload }) } as never, by, staffId);
  await run("window:open", { windowId: "1" });
  /** A ticket served at window 1 and rated at its pad, then archived as the archiver does. */
  const ratedAtPad = async (rating: number) => {
    const issued = await run("ticket:issue", { serviceId: "social" }, "kiosk", null);
    const id = (issued as { ticket: { id: string; number: string } }).ticket;
    await run("window:callNext", { windowId: "1" });
    await run("ticket:start", { windowId: "1" });
    await run("ticket:finish", { windowId: "1" });
    await run("ticket:rate", { windowId: "1", ticketId: id.id, rating }, "pad", null);
    await records.append(hallId, await t.server.ctx.store.eventsSince(hallId, 0, 10_000));
    return id;
  };
  let boss = await t.login("boss");
  const api = async (method: string, path: string, body?: unknown, token: string | null = boss) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${t.url}/api/halls/${hallId}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const list = async (state = "open") => FollowUpList.parse((await api("GET", `/follow-ups?state=${state}`)).body);

  const first = await ratedAtPad(1);
  await ratedAtPad(4);

  it("lists the open follow-ups with the ticket, service, window, staff, rating, due date and steps", async () => {
    const { today, followUps } = await list();
    expect(today).toBe(MON);
    expect(followUps).toHaveLength(1);
    expect(followUps[0]).toMatchObject({
      number: first.number,
      serviceId: "social",
      service: { zh: "社保", en: "Social" },
      windowId: "1",
      window: { zh: "1号窗口", en: "Window 1" },
      staffId: "alice",
      rating: 1,
      source: "pad",
      state: "open",
      dueDate: "2026-12-14",
      overdue: false,
      steps: [{ n: 0, kind: "opened", by: "system" }],
    });
  });

  it("is for managers only", async () => {
    expect(await api("GET", "/follow-ups", undefined, await t.login("alice"))).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    expect(await api("GET", "/follow-ups", undefined, null)).toMatchObject({ status: 401, body: { error: { code: "UNAUTHORIZED" } } });
  });

  it("records the callback, the rectification and the close under the manager's name", async () => {
    const [f] = (await list()).followUps;
    const called = await api("POST", `/follow-ups/${f!.id}/steps`, { kind: "callback", reached: true, note: "群众反映等候太久\n已致歉" });
    expect(called.status).toBe(200);
    expect(FollowUp.parse(called.body)).toMatchObject({ state: "calledBack", reached: true });
    await api("POST", `/follow-ups/${f!.id}/steps`, { kind: "rectification", note: "高峰时段增开窗口" });
    const closed = FollowUp.parse((await api("POST", `/follow-ups/${f!.id}/steps`, { kind: "close" })).body);
    expect(closed.steps.map((s) => [s.kind, s.by, s.note])).toEqual([
      ["opened", "system", ""],
      ["callback", "boss", "群众反映等候太久 已致歉"],
      ["rectification", "boss", "高峰时段增开窗口"],
      ["close", "boss", ""],
    ]);
    expect((await list()).followUps).toEqual([]);
    expect((await list("closed")).followUps.map((x) => x.id)).toEqual([f!.id]);
    expect(await api("POST", `/follow-ups/${f!.id}/steps`, { kind: "callback", reached: true, note: "" })).toMatchObject({ status: 409, body: { error: { code: "FOLLOW_UP_CLOSED" } } });
  });

  it("refuses a step its state does not allow, an unknown follow-up and a malformed step", async () => {
    await ratedAtPad(2);
    const [f] = (await list()).followUps;
    expect(await api("POST", `/follow-ups/${f!.id}/steps`, { kind: "close" })).toMatchObject({ status: 409, body: { error: { code: "ILLEGAL_TRANSITION" } } });
    expect(await api("POST", `/follow-ups/nope/steps`, { kind: "close" })).toMatchObject({ status: 404, body: { error: { code: "UNKNOWN_FOLLOW_UP" } } });
    expect(await api("POST", `/follow-ups/${f!.id}/steps`, { kind: "appeal", note: "" })).toMatchObject({ status: 400, body: { error: { code: "VALIDATION" } } });
    expect(await api("POST", `/follow-ups/${f!.id}/steps`, { kind: "callback" })).toMatchObject({ status: 400, body: { error: { code: "VALIDATION" } } });
  });

  it("an open follow-up past its due date is overdue", async () => {
    clock.advance(8 * DAY);
    boss = await t.login("boss");
    const [f] = (await list()).followUps;
    expect(f).toMatchObject({ dueDate: "2026-12-14", overdue: true });
  });
});
