import { afterAll, describe, expect, it } from "vitest";
import { HoursChange, HoursView, type HoursUpdate, type QueueSummary } from "../protocol/index.js";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import { openRecords } from "../server/records/open.js";
import { TOKENS, testHall } from "./helpers/hall.js";
import { call, cid, startTestServer, type Client, type TestServer } from "./helpers/server.js";

const ZONE = "Asia/Shanghai";
/** Wednesday 9 December 2026, 10:00 in the hall. */
const NOW = instantOf("2026-12-09", "10:00", ZONE);

const weekdaysBut = (...closed: string[]) => Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].filter((d) => !closed.includes(d)).map((d) => [d, [["09:00", "17:00"]]]));
const noCalendar: HoursUpdate["calendar"] = { holidays: [], workdays: [], makeUpDayAs: "mon" };
/** 社保 closed on Wednesdays; the other services keep the file's hours. */
const socialNotOnWednesday: HoursUpdate = { calendar: noCalendar, services: { social: { schedule: weekdaysBut("wed"), roundTheClock: false } } };

async function hoursApi(t: TestServer) {
  const boss = await t.login("boss");
  const alice = await t.login("alice");
  const send = async (method: string, path: string, body?: unknown, token = boss) => {
    const res = await fetch(`${t.url}/api/halls/t1${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.json().catch(() => null) };
  };
  return { boss, alice, send, view: async () => HoursView.parse((await send("GET", "/hours")).body) };
}

/** Resolves with the next queue summary on `socket` that satisfies `pred`. */
const summaryWhere = (socket: Client, pred: (q: QueueSummary) => boolean) =>
  new Promise<QueueSummary>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no such summary")), 5_000);
    const on = (q: QueueSummary) => {
      if (!pred(q)) return;
      clearTimeout(timer);
      socket.off("hall:queue", on);
      resolve(q);
    };
    socket.on("hall:queue", on);
  });

describe("the hall's hours, changed live", async () => {
  const records = await openRecords({ sqlite: ":memory:" });
  afterAll(() => records.close());
  const clock = new ManualClock(NOW);
  const t = await startTestServer({ records, clock, halls: [testHall()] });
  const { alice, send, view } = await hoursApi(t);
  const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });

  it("answers the file's hours until a manager changes them", async () => {
    const v = await view();
    expect(v).toMatchObject({ version: null, changedBy: null, changedAt: null, calendar: { holidays: [] } });
    expect(v.services.social).toEqual({ schedule: Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]])), roundTheClock: false });
  });

  it("a manager closes a service on Wednesdays: the kiosk is refused SERVICE_CLOSED with the notice, and the queue summary shows it", async () => {
    expect((await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" })).ok).toBe(true);
    const closed = summaryWhere(kiosk, (q) => q.services.social?.availability === "closed");
    const res = await send("PUT", "/hours", socialNotOnWednesday);
    expect(res.status).toBe(200);
    expect(HoursView.parse(res.body)).toMatchObject({ version: 1, changedBy: "boss", changedAt: NOW, services: { social: { schedule: weekdaysBut("wed") } } });

    const refused = await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
    expect(refused).toMatchObject({ ok: false, error: { code: "SERVICE_CLOSED", details: { opensAt: instantOf("2026-12-10", "09:00", ZONE), notice: { zh: "暂停取号，明天 09:00 开始办理" } } } });
    expect((await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "medical" })).ok).toBe(true);
    const summary = await closed;
    expect(summary.services.social).toMatchObject({ availability: "closed", notice: { zh: "暂停取号，明天 09:00 开始办理" } });
    expect(summary.services.medical?.availability).toBe("open");
  });

  it("a phone's ticket is refused with the same notice in the error's details", async () => {
    const res = await fetch(`${t.url}/api/halls/t1/tickets`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ commandId: cid(), serviceId: "social", deviceId: "phone-0123456789abcdef" }) });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: "SERVICE_CLOSED", details: { notice: { en: "No tickets now; opens tomorrow 09:00" } } } });
  });

  it("a counter may neither read nor change the hours: 403", async () => {
    for (const [method, path, body] of [["GET", "/hours"], ["PUT", "/hours", socialNotOnWednesday], ["GET", "/hours/log"]] as const) {
      const res = await send(method, path, body, alice);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    }
    expect((await view()).version).toBe(1);
  });

  it("a change naming a service the hall does not have is refused UNKNOWN_SERVICE, and changes nothing", async () => {
    const res = await send("PUT", "/hours", { calendar: noCalendar, services: { passports: { schedule: {}, roundTheClock: false } } });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ ok: false, error: { code: "UNKNOWN_SERVICE" } });
    expect((await view()).version).toBe(1);
  });

  it("hours that are not hours are 400, and change nothing", async () => {
    for (const body of [
      { calendar: noCalendar, services: { social: { schedule: { wed: [["10:00", "09:00"]] }, roundTheClock: false } } },
      { calendar: noCalendar, services: { social: { schedule: { wed: [["09:00", "12:00"], ["11:00", "13:00"]] }, roundTheClock: false } } },
      { calendar: { ...noCalendar, holidays: ["2026-02-30"] }, services: {} },
      { calendar: noCalendar, services: {}, note: "extra" },
      { services: {} },
    ]) {
      const res = await send("PUT", "/hours", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
    }
    expect((await send("GET", "/hours/log?limit=0")).status).toBe(400);
    expect((await view()).version).toBe(1);
  });

  it("the log lists who changed what, newest first", async () => {
    clock.set(NOW + 60_000);
    await send("PUT", "/hours", { ...socialNotOnWednesday, calendar: { holidays: ["2026-12-25", "2026-12-31"], workdays: ["2026-12-26"], makeUpDayAs: "fri" } });
    const log = (await send("GET", "/hours/log")).body as unknown[];
    const changes = log.map((c) => HoursChange.parse(c));
    expect(changes.map((c) => [c.version, c.by, c.at])).toEqual([
      [2, "boss", NOW + 60_000],
      [1, "boss", NOW],
    ]);
    expect(changes[0]!.summary).toBe("改了日历（2 个节假日、1 个调休上班日） / Changed the calendar (2 holidays, 1 make-up workday)");
    expect(changes[1]!.summary).toContain("改了社保的办理时间");
    expect(changes[1]!.summary).toContain("hours of Social");
    expect(changes[1]!.summary).not.toContain("医保");
  });
});

describe("hours on every node", async () => {
  const records = await openRecords({ sqlite: ":memory:" });
  afterAll(() => records.close());
  const clock = new ManualClock(NOW);
  const first = await startTestServer({ records, clock, halls: [testHall()] });
  const { send } = await hoursApi(first);
  await send("PUT", "/hours", socialNotOnWednesday);
  const second = await startTestServer({ records, clock, halls: [testHall()], hoursPollMs: 50 });
  const kiosk = await second.client({ role: "kiosk", deviceToken: TOKENS.kiosk });

  it("a server that starts on the records applies the stored hours before its first answer", async () => {
    expect(await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" })).toMatchObject({ ok: false, error: { code: "SERVICE_CLOSED" } });
  });

  it("a change made on another server is followed by the poll", async () => {
    await send("PUT", "/hours", { calendar: noCalendar, services: { social: { schedule: weekdaysBut(), roundTheClock: false } } });
    const { view } = await hoursApi(second);
    await expect.poll(async () => (await view()).version, { timeout: 5_000 }).toBe(2);
    expect(await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" })).toMatchObject({ ok: true });
  });
});
