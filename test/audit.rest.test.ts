/**
 * GET /api/halls/:hallId/audit on a real server: what staff, managers, the kiosk and the balancer
 * did at the hall's peak hour, each with the right actor and kind, as the archive keeps it.
 */
import { afterAll, describe, expect, it } from "vitest";
import { AuditPage, type AuditEntry, type HoursUpdate } from "../protocol/index.js";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import { openRecords } from "../server/records/open.js";
import { TOKENS, testHall } from "./helpers/hall.js";
import { call, cid, startTestServer } from "./helpers/server.js";

const ZONE = "Asia/Shanghai";
const DAY = "2026-12-09";
/** Wednesday 9 December 2026, 10:00 in the hall: the peak hour. */
const NOW = instantOf(DAY, "10:00", ZONE);
const hours: HoursUpdate = { calendar: { holidays: ["2026-12-25"], workdays: [], makeUpDayAs: "mon" }, services: {} };

describe("the audit route", async () => {
  const records = await openRecords({ sqlite: ":memory:" });
  afterAll(() => records.close());
  const clock = new ManualClock(NOW);
  // Window 4 serves only medical, so the balancer has a window to move to the social rush.
  const base = testHall();
  const t = await startTestServer({ records, clock, halls: [testHall({ windows: base.windows.map((w) => (w.id === "4" ? { ...w, serving: ["medical"] } : w)) })], balancerIntervalMs: 3_600_000 });
  const boss = await t.login("boss");
  const alice = await t.login("alice");

  const counter = await t.counter("alice", "1");
  // Signing in opens the window; alice closes it and opens it again before the rush.
  expect((await call(counter, "window:close", { commandId: cid(), windowId: "1" })).ok).toBe(true);
  expect((await call(counter, "window:open", { commandId: cid(), windowId: "1" })).ok).toBe(true);
  const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
  const issued: string[] = [];
  for (let i = 0; i < 12; i++) {
    const res = await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
    if (res.ok && res.data.type === "ticket:issued") issued.push(res.data.ticket.id);
  }
  clock.advance(60_000);
  const manager = await t.manager();
  expect((await call(manager, "window:setServing", { commandId: cid(), windowId: "1", serving: ["social", "medical"] })).ok).toBe(true);
  expect((await call(manager, "window:callTicket", { commandId: cid(), windowId: "1", ticketId: issued[5], reason: "预约已到" })).ok).toBe(true);
  clock.advance(60_000);
  await t.counter("bob", "4");
  expect((await call(manager, "balancer:setMode", { commandId: cid(), mode: "auto" })).ok).toBe(true);
  await t.server.runners.get(t.hall.id)!.tick();
  clock.advance(60_000);
  const saved = await fetch(`${t.url}/api/halls/${t.hall.id}/hours`, { method: "PUT", headers: { authorization: `Bearer ${boss}`, "content-type": "application/json" }, body: JSON.stringify(hours) });
  expect(saved.status).toBe(200);
  await records.append(t.hall.id, await t.server.ctx.store.eventsSince(t.hall.id, 0, 10_000));

  const get = (query: string, token: string | null = boss) => fetch(`${t.url}/api/halls/${t.hall.id}/audit?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const audit = async (query = "") => {
    const res = await get(`from=${DAY}&to=${DAY}${query}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return AuditPage.parse(await res.json());
  };
  const brief = (e: AuditEntry) => [e.kind, e.actor?.kind ?? null, e.actor?.id ?? null, e.summary.zh];

  it("lists what each one did, newest first, with the right actor and kind", async () => {
    const { entries, next } = await audit();
    expect(next).toBeNull();
    expect(entries.map(brief)).toEqual(
      expect.arrayContaining([
        ["hours", "manager", "boss", "保存了第 1 版办理时间（日历 1 个节假日、0 个调休上班日）"],
        ["window", "balancer", null, expect.stringMatching(/^4号窗口改为办理.*社保.*原因/)],
        ["balancer", "manager", "boss", "均衡模式改为自动"],
        ["window", "staff", "bob", "在4号窗口签到"],
        ["callTicket", "manager", "boss", "指定叫号 A006 到1号窗口（原因：预约已到）"],
        ["window", "manager", "boss", "1号窗口改为办理社保、医保"],
        ["ticket", "kiosk", "kiosk", "取号 A001（社保）"],
        ["window", "staff", "alice", "开启了1号窗口"],
        ["window", "staff", "alice", "关闭了1号窗口"],
        ["window", "staff", "alice", "在1号窗口签到"],
      ]),
    );
    expect(entries[0]!.kind).toBe("hours");
    expect(entries.at(-1)!.actor).toEqual({ kind: "staff", id: "alice" });
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort((a, b) => b - a));
  });

  it("filters by actor and by kind", async () => {
    expect((await audit("&actor=boss")).entries.map((e) => e.kind)).toEqual(["hours", "balancer", "callTicket", "window"]);
    expect((await audit("&kind=callTicket")).entries.map((e) => [e.ticketNumber, e.windowId, e.details.reason])).toEqual([["A006", "1", "预约已到"]]);
    const moved = (await audit("&actor=balancer&kind=window")).entries;
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({ windowId: "4", details: { change: "servingChanged" } });
    expect((await audit("&kind=ticket&actor=kiosk")).entries).toHaveLength(12);
    expect((await audit("&kind=hours")).entries.map((e) => e.actor?.id)).toEqual(["boss"]);
  });

  it("pages newest first with limit and before", async () => {
    const all = (await audit()).entries;
    const first = await audit("&limit=5");
    expect(first.entries).toEqual(all.slice(0, 5));
    const second = await audit(`&limit=5&before=${first.next}`);
    expect(second.entries).toEqual(all.slice(5, 10));
  });

  it("no ticket id (the tracker's credential) is in the trail", async () => {
    const text = JSON.stringify((await audit()).entries);
    for (const id of issued) expect(text).not.toContain(id);
  });

  it("is for managers: none is 401, a counter 403", async () => {
    expect((await get(`from=${DAY}&to=${DAY}`, null)).status).toBe(401);
    const res = await get(`from=${DAY}&to=${DAY}`, alice);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("a query that is not one is 400 VALIDATION", async () => {
    for (const q of ["", `from=${DAY}`, `from=${DAY}&to=2026-12-01`, "from=2026-11-01&to=2026-12-09", "from=2026-02-30&to=2026-03-01", `from=${DAY}&to=${DAY}&kind=everything`, `from=${DAY}&to=${DAY}&limit=5000`, `from=${DAY}&to=${DAY}&before=xyz`, `from=${DAY}&to=${DAY}&extra=1`, `from=${DAY}&to=${DAY}&kind=window&kind=ticket`]) {
      const res = await get(q);
      expect(res.status, q).toBe(400);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
    }
  });
});
