import { afterAll, describe, expect, it } from "vitest";
import { CaseChanged, CaseUpdated, CaseView, PublicCase } from "../protocol/index.js";
import { ManualClock } from "../server/domain/clock.js";
import { openRecords } from "../server/records/open.js";
import { TOKENS } from "./helpers/hall.js";
import { at, caseHall, MON, openCase, opening, ticketAt9 } from "./helpers/cases.js";
import { call, cid, startTestServer, type Client } from "./helpers/server.js";

/** Resolves with the next `case:updated` the socket gets. */
const nextUpdate = (socket: Client, timeoutMs = 3000) =>
  new Promise<CaseUpdated>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no case:updated")), timeoutMs);
    socket.once("case:updated", (u) => {
      clearTimeout(timer);
      resolve(CaseUpdated.parse(u));
    });
  });

/** Resolves with the next `case:changed` the socket gets (of a case with this many steps, when given). */
const nextChange = (socket: Client, steps?: number, timeoutMs = 3000) =>
  new Promise<CaseChanged>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no case:changed")), timeoutMs);
    const take = (u: unknown) => {
      const change = CaseChanged.parse(u);
      if (steps !== undefined && change.case.steps.length !== steps) return;
      clearTimeout(timer);
      socket.off("case:changed", take);
      resolve(change);
    };
    socket.on("case:changed", take);
  });

/** Every `case:changed` the socket gets from now on. */
const changesTo = (socket: Client) => {
  const got: CaseChanged[] = [];
  socket.on("case:changed", (u) => got.push(CaseChanged.parse(u)));
  return got;
};

/** The test hall with a second escalation window, "8" (carol's). */
function twoEscalationWindows() {
  const hall = caseHall();
  const nine = hall.windows.find((w) => w.id === "9")!;
  return {
    ...hall,
    windows: [...hall.windows, { ...nine, id: "8", label: { zh: "8号办不成事窗口", en: "Escalation 8" } }],
    staff: [...hall.staff, { ...hall.staff[0]!, id: "carol", name: "Carol" }],
  };
}

describe("cases (工单) over Socket.IO", async () => {
  const records = await openRecords({ sqlite: ":memory:" });
  afterAll(() => records.close());
  const clock = new ManualClock(at(MON, "10:00"));
  const t = await startTestServer({ records, clock, halls: [twoEscalationWindows()] });
  const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
  const alice = await t.counter("alice", "9");
  const bob = await t.counter("bob", "1");
  const manager = await t.manager();
  const carol = await t.counter("carol", "8");

  it("the counter at the escalation window opens a case from the ticket at it", async () => {
    const ticket = await ticketAt9(kiosk, alice);
    const res = await call<CaseView>(alice, "case:open", opening());
    expect(res.ok).toBe(true);
    const c = CaseView.parse(res.ok && res.data);
    expect(c).toMatchObject({ state: "open", category: "policy", categoryName: { zh: "政策咨询" }, ticketNumber: ticket.number, phone: "138****1234", openedBy: "alice", department: "社保局" });
    expect(c.number).toMatch(/^BB-20261207-\d{3}$/);
    // 3 working days from Monday, Wednesday a holiday: Friday.
    expect(c.dueDate).toBe("2026-12-11");
    expect(c.url).toBe(`${t.url}/case/?hall=t1&id=${c.key}`);
    expect(c.key).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("a counter at a window that is not an escalation window is refused NOT_ESCALATION, and for another's window FORBIDDEN", async () => {
    const before = (await records.cases.list("t1", "all")).length;
    expect(await call(bob, "case:open", opening({ windowId: "1" }))).toMatchObject({ ok: false, error: { code: "NOT_ESCALATION" } });
    expect(await call(bob, "case:open", opening())).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect((await records.cases.list("t1", "all")).length).toBe(before);
  });

  it("an escalation window that holds no ticket opens no case", async () => {
    await ticketAt9(kiosk, alice);
    await call(alice, "ticket:noShow", { commandId: cid(), windowId: "9" });
    expect(await call(alice, "case:open", opening())).toMatchObject({ ok: false, error: { code: "NOT_ESCALATION" } });
  });

  it("a manager may open a case naming the escalation window", async () => {
    await ticketAt9(kiosk, alice);
    const res = await call<CaseView>(manager, "case:open", opening({ category: "system" }));
    expect(res.ok && res.data).toMatchObject({ category: "system", openedBy: "boss", dueDate: "2026-12-10" });
  });

  it("steps and the close are recorded with who and when; the case's page is told each change and sees no staff ids", async () => {
    await ticketAt9(kiosk, alice);
    const c = await openCase(alice, { workingDays: 1 });
    expect(c.dueDate).toBe("2026-12-08");
    const page = await t.client({ role: "case", key: c.key });

    let told = nextUpdate(page);
    const asked = await call<CaseView>(alice, "case:update", { commandId: cid(), caseId: c.id, step: { kind: "requestDocument", document: "户口本" } });
    expect(asked.ok && asked.data).toMatchObject({ state: "waitingForCitizen", documentsNeeded: ["户口本"] });
    expect(await told).toMatchObject({ hallId: "t1", key: c.key, number: c.number, state: "waitingForCitizen" });

    const seen = await call<PublicCase>(page, "case:public", {});
    expect(seen.ok).toBe(true);
    const shown = PublicCase.parse(seen.ok && seen.data);
    expect(shown).toMatchObject({ number: c.number, state: "waitingForCitizen", documentsNeeded: ["户口本"], department: "社保局", appeal: { zh: expect.stringContaining("12345") } });
    expect(JSON.stringify(shown)).not.toMatch(/alice|boss|1381234|138\*/);

    await call(alice, "case:update", { commandId: cid(), caseId: c.id, step: { kind: "documentReceived", document: "户口本" } });
    await call(manager, "case:update", { commandId: cid(), caseId: c.id, step: { kind: "assign", department: "不动产登记中心" } });
    told = nextUpdate(page);
    const resolved = await call<CaseView>(alice, "case:update", { commandId: cid(), caseId: c.id, step: { kind: "resolve", resolution: "已协调补录" } });
    expect(resolved.ok && resolved.data).toMatchObject({ state: "resolved", resolution: "已协调补录", department: "不动产登记中心" });
    expect((await told).state).toBe("resolved");

    const closed = await call<CaseView>(alice, "case:close", { commandId: cid(), caseId: c.id, confirmed: true, rating: 5 });
    expect(closed.ok && closed.data).toMatchObject({ state: "closed", rating: 5 });
    const steps = closed.ok ? closed.data.steps : [];
    expect(steps.map((s) => [s.kind, s.by])).toEqual([
      ["opened", "alice"],
      ["requestDocument", "alice"],
      ["documentReceived", "alice"],
      ["assign", "boss"],
      ["resolve", "alice"],
      ["close", "alice"],
    ]);
    expect(await call(alice, "case:update", { commandId: cid(), caseId: c.id, step: { kind: "note", note: "再联系" } })).toMatchObject({ ok: false, error: { code: "CASE_CLOSED" } });
  });

  it("the managers' consoles are sent every change as staff see the case", async () => {
    await ticketAt9(kiosk, alice);
    const told = nextChange(manager);
    const c = await openCase(alice);
    expect((await told).case).toEqual(c);
  });

  it("the counters at every escalation window of the hall are sent each step, and other counters nothing", async () => {
    await ticketAt9(kiosk, alice);
    const atOther = changesTo(bob);
    let told = nextChange(carol);
    const c = await openCase(alice);
    expect(await told).toMatchObject({ hallId: "t1", case: { id: c.id, number: c.number, state: "open" } });

    told = nextChange(carol, 2);
    const atOpening = nextChange(alice, 2);
    const noted = await call<CaseView>(manager, "case:update", { commandId: cid(), caseId: c.id, step: { kind: "note", note: "已约群众周五来取件" } });
    const sent = await told;
    expect(sent.case).toEqual(noted.ok && noted.data);
    expect(sent.case.steps.map((s) => [s.kind, s.by, s.text])).toEqual([
      ["opened", "alice", expect.any(String)],
      ["note", "boss", "已约群众周五来取件"],
    ]);
    expect((await atOpening).case.steps).toHaveLength(2);
    // An ack comes after whatever the server sent the same socket before it.
    await call(bob, "case:get", { caseId: c.id });
    expect(atOther).toEqual([]);
  });

  it("the case's page is not sent the staff view (staff ids, the ticket)", async () => {
    await ticketAt9(kiosk, alice);
    const c = await openCase(alice);
    const page = await t.client({ role: "case", key: c.key });
    const atPage = changesTo(page);
    const told = nextUpdate(page);
    await call(alice, "case:update", { commandId: cid(), caseId: c.id, step: { kind: "assign", department: "医保局" } });
    expect(await told).toMatchObject({ key: c.key });
    await call(page, "case:public", {});
    expect(atPage).toEqual([]);
  });

  it("a repeated commandId sends no change again", async () => {
    await ticketAt9(kiosk, alice);
    const c = await openCase(alice);
    const note = { commandId: cid(), caseId: c.id, step: { kind: "note", note: "已电话联系" } };
    const told = nextChange(carol, 2);
    await call(alice, "case:update", note);
    await told;
    const again = changesTo(carol);
    await call(alice, "case:update", note);
    await call(carol, "case:get", { caseId: c.id });
    expect(again).toEqual([]);
  });

  it("a repeated commandId answers the same case and opens or records nothing more", async () => {
    await ticketAt9(kiosk, alice);
    const payload = opening();
    const first = await call<CaseView>(alice, "case:open", payload);
    const again = await call<CaseView>(alice, "case:open", payload);
    expect(again).toEqual(first);
    const id = first.ok ? first.data.id : "";
    const note = { commandId: cid(), caseId: id, step: { kind: "note", note: "已电话联系" } };
    await call(alice, "case:update", note);
    const twice = await call<CaseView>(alice, "case:update", note);
    expect(twice.ok && twice.data.steps.map((s) => s.kind)).toEqual(["opened", "note"]);
  });

  it("bad payloads are refused VALIDATION and change nothing", async () => {
    await ticketAt9(kiosk, alice);
    const before = (await records.cases.list("t1", "all")).length;
    for (const bad of [opening({ phone: "12345" }), opening({ summary: "" }), opening({ category: "nope" }), opening({ extra: 1 }), { windowId: "9" }]) {
      expect(await call(alice, "case:open", bad)).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
    }
    expect(await call(alice, "case:update", { commandId: cid(), caseId: "x", step: { kind: "fly" } })).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
    expect((await records.cases.list("t1", "all")).length).toBe(before);
  });

  it("the case list is for managers and the escalation window's counter; case:get for staff", async () => {
    await ticketAt9(kiosk, alice);
    const c = await openCase(alice);
    const listed = await call<CaseView[]>(manager, "case:list", { state: "open" });
    expect(listed.ok && listed.data.some((x) => x.id === c.id)).toBe(true);
    expect((await call<CaseView[]>(alice, "case:list", {})).ok).toBe(true);
    expect(await call(bob, "case:list", {})).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await call<CaseView>(bob, "case:get", { caseId: c.id })).toMatchObject({ ok: true, data: { id: c.id } });
    expect(await call(bob, "case:get", { caseId: "nope" })).toMatchObject({ ok: false, error: { code: "UNKNOWN_CASE" } });
  });

  it("a case page follows its one case: it may send nothing but case:public, and a made-up key does not connect", async () => {
    await ticketAt9(kiosk, alice);
    const c = await openCase(alice);
    const page = await t.client({ role: "case", key: c.key });
    for (const [name, payload] of [
      ["case:get", { caseId: c.id }],
      ["case:list", {}],
      ["hall:snapshot", {}],
      ["ticket:get", { ticketId: "x" }],
      ["ticket:issue", { commandId: cid(), serviceId: "social" }],
    ] as const) {
      expect(await call(page, name, payload)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    }
    await expect(t.client({ role: "case", key: "made-up-key-0000000000" })).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });
});
