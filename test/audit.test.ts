/**
 * The audit trail's words (server/domain/audit.ts): the kind a manager filters an event by and
 * its summary in both languages, on real events decided by a memory store.
 */
import { describe, expect, it } from "vitest";
import { AuditEntry, AuditKind, AuditQuery, type CommandInput, type CommandName, type HallEvent, type HoursUpdate } from "../protocol/index.js";
import { actorFilter, auditEntry, auditKindOf, EVENT_KIND, eventTypesOf, hoursEntry } from "../server/domain/audit.js";
import { ManualClock } from "../server/domain/clock.js";
import type { CommandContext } from "../server/domain/hall-commands.js";
import { MemoryStore } from "../server/store/memory/memory-store.js";
import { contractHall, MIN, T0, wire } from "./store.contract.js";

const hall = contractHall();
const DAY = "2026-03-02";

/** A hall on a memory store, acted on by whoever `as` names. */
async function hallOnStore() {
  const store = new MemoryStore();
  const clock = new ManualClock(T0);
  await store.loadHall(hall, T0);
  const run = async <N extends CommandName>(name: N, payload: Omit<CommandInput<N>, "commandId">, as: Omit<CommandContext, "now"> = { by: "staff", staffId: "alice" }): Promise<HallEvent> =>
    (await store.execute(hall.id, wire(name, payload), { now: clock.now(), ...as })).event;
  return { store, clock, run };
}

const entryOf = (e: HallEvent) => AuditEntry.parse(auditEntry(e, DAY, hall));

describe("audit entries", () => {
  it("a counter opening its window is a window entry by that staff member", async () => {
    const { run } = await hallOnStore();
    const entry = entryOf(await run("window:open", { windowId: "w1" }));
    expect(entry).toMatchObject({ at: T0, businessDate: DAY, kind: "window", actor: { kind: "staff", id: "alice" }, windowId: "w1", summary: { zh: "开启了1号窗口", en: "Opened Window 1" }, details: { type: "window:changed", change: "opened" } });
  });

  it("a manager changing what a window serves names the services", async () => {
    const { run } = await hallOnStore();
    await run("window:open", { windowId: "w1" });
    const entry = entryOf(await run("window:setServing", { windowId: "w1", serving: ["medical", "social"] }, { by: "manager", staffId: "boss" }));
    expect(entry).toMatchObject({ kind: "window", actor: { kind: "manager", id: "boss" }, summary: { zh: "1号窗口改为办理medical、social", en: "Window 1 now serves medical, social" }, details: { change: "servingChanged", serving: ["medical", "social"] } });
  });

  it("a pause says its reason", async () => {
    const { run } = await hallOnStore();
    await run("window:open", { windowId: "w1" });
    expect(entryOf(await run("window:pause", { windowId: "w1", reason: "午休" })).summary).toEqual({ zh: "暂停了1号窗口：午休", en: "Paused Window 1: 午休" });
  });

  it("指定叫号 is a callTicket entry with the reason and the ticket's number, never its id", async () => {
    const { run } = await hallOnStore();
    await run("window:open", { windowId: "w1" });
    await run("ticket:issue", { serviceId: "social" } as Omit<CommandInput<"ticket:issue">, "commandId">, { by: "kiosk", staffId: null, device: "kiosk-1" });
    const later = await run("ticket:issue", { serviceId: "social" } as Omit<CommandInput<"ticket:issue">, "commandId">, { by: "kiosk", staffId: null, device: "kiosk-1" });
    const ticket = (later as Extract<HallEvent, { type: "ticket:issued" }>).ticket;
    const called = await run("window:callTicket", { windowId: "w1", ticketId: ticket.id, reason: "预约已到" }, { by: "manager", staffId: "boss" });
    const entry = entryOf(called);
    expect(entry).toMatchObject({ kind: "callTicket", actor: { kind: "manager", id: "boss" }, ticketNumber: "A002", windowId: "w1", summary: { zh: "指定叫号 A002 到1号窗口（原因：预约已到）", en: "Called A002 out of turn to Window 1 (reason: 预约已到)" }, details: { reason: "预约已到", chosenBy: "boss" } });
    expect(JSON.stringify(entry)).not.toContain(ticket.id);
  });

  it("a call in turn is a ticket entry; a ticket issued at a kiosk names the kiosk", async () => {
    const { run } = await hallOnStore();
    await run("window:open", { windowId: "w1" });
    const issued = entryOf(await run("ticket:issue", { serviceId: "social" } as Omit<CommandInput<"ticket:issue">, "commandId">, { by: "kiosk", staffId: null, device: "kiosk-1" }));
    expect(issued).toMatchObject({ kind: "ticket", actor: { kind: "kiosk", id: "kiosk-1" }, ticketNumber: "A001", summary: { zh: "取号 A001（social）", en: "Issued A001 (social)" } });
    expect(entryOf(await run("window:callNext", { windowId: "w1" }))).toMatchObject({ kind: "ticket", summary: { zh: "叫号 A001 到1号窗口" } });
  });

  it("a park reason, which may name the citizen, is not in the entry", async () => {
    const { run } = await hallOnStore();
    await run("window:open", { windowId: "w1" });
    await run("ticket:issue", { serviceId: "social" } as Omit<CommandInput<"ticket:issue">, "commandId">, { by: "kiosk", staffId: null });
    await run("window:callNext", { windowId: "w1" });
    const parked = entryOf(await run("ticket:park", { windowId: "w1", reason: "张三回家取身份证", missingDocs: ["张三的户口本"] }));
    expect(parked).toMatchObject({ kind: "ticket", summary: { zh: "挂起 A001（1号窗口）" } });
    expect(JSON.stringify(parked)).not.toContain("张三");
  });

  it("a rating says its level; a finish its service", async () => {
    const { clock, run } = await hallOnStore();
    await run("window:open", { windowId: "w1" });
    const issued = (await run("ticket:issue", { serviceId: "social" } as Omit<CommandInput<"ticket:issue">, "commandId">, { by: "kiosk", staffId: null })) as Extract<HallEvent, { type: "ticket:issued" }>;
    await run("window:callNext", { windowId: "w1" });
    await run("ticket:start", { windowId: "w1" });
    clock.advance(5 * MIN);
    expect(entryOf(await run("ticket:finish", { windowId: "w1" })).summary.zh).toBe("办结 A001（social，1号窗口）");
    const rated = entryOf(await run("ticket:rate", { windowId: "w1", ticketId: issued.ticket.id, rating: 2 }, { by: "pad", staffId: null, device: "pad@w1" }));
    expect(rated).toMatchObject({ kind: "ticket", actor: { kind: "pad", id: "pad@w1" }, summary: { zh: "A001 评价：不满意", en: "A001 rated: Dissatisfied" }, details: { rating: 2 } });
  });

  it("the balancer's mode is a balancer entry", async () => {
    const { run } = await hallOnStore();
    expect(entryOf(await run("balancer:setMode", { mode: "auto" }, { by: "manager", staffId: "boss" }))).toMatchObject({ kind: "balancer", summary: { zh: "均衡模式改为自动", en: "Set the balancer to auto" }, details: { mode: "auto" } });
  });

  it("a new day is the server's day entry", async () => {
    const { store, clock } = await hallOnStore();
    clock.advance(24 * 60 * MIN);
    const { event } = await store.execute(hall.id, { name: "hall:startDay", payload: {} }, { now: clock.now(), by: "system", staffId: null });
    expect(entryOf(event)).toMatchObject({ kind: "day", actor: { kind: "system", id: null }, summary: { zh: "新的营业日开始（2026-03-03）" } });
  });

  it("an event logged before events named their actor has none", async () => {
    const { run } = await hallOnStore();
    const { actor: _, ...old } = await run("window:open", { windowId: "w1" });
    expect(entryOf(old as HallEvent).actor).toBeNull();
  });

  it("a change of the hours is an hours entry by the manager who saved it", () => {
    const hours: HoursUpdate = { calendar: { holidays: ["2026-05-01", "2026-05-02"], workdays: ["2026-04-26"], makeUpDayAs: "mon" }, services: { social: { schedule: {}, roundTheClock: false } } };
    const entry = AuditEntry.parse(hoursEntry({ version: 3, hours, by: "boss", at: T0 }, DAY, hall));
    expect(entry).toMatchObject({ kind: "hours", actor: { kind: "manager", id: "boss" }, summary: { zh: "保存了第 3 版办理时间（social的办理时间；日历 2 个节假日、1 个调休上班日）", en: "Saved version 3 of the hours (hours of social; calendar 2 holidays, 1 make-up workday)" }, details: { version: 3, services: ["social"] } });
  });
});

describe("audit kinds and filters", () => {
  it("every event type has a kind of the protocol's vocabulary", () => {
    for (const kind of Object.values(EVENT_KIND)) expect(AuditKind.options).toContain(kind);
  });

  it("the event types of a kind are exactly those whose entries have that kind", () => {
    expect(eventTypesOf("callTicket")).toEqual({ types: ["ticket:called"], chosen: "only" });
    expect(eventTypesOf("ticket")).toMatchObject({ chosen: "never" });
    expect(eventTypesOf("ticket").types).toContain("ticket:issued");
    expect(eventTypesOf("window")).toEqual({ types: ["window:changed"], chosen: null });
    expect(eventTypesOf("balancer").types).toEqual(["balancer:modeChanged", "balancer:suggested", "balancer:suggestionClosed"]);
    expect(eventTypesOf("day").types).toEqual(["hall:dayStarted"]);
    expect(eventTypesOf("hours").types).toEqual([]);
  });

  it("a call is a callTicket only when chosen", () => {
    const call = { type: "ticket:called", chosen: null } as unknown as HallEvent;
    expect(auditKindOf(call)).toBe("ticket");
    expect(auditKindOf({ ...call, chosen: { reason: "r", staffId: "boss" } } as HallEvent)).toBe("callTicket");
  });

  it("actor= names a kind of actor or one actor by id", () => {
    expect(actorFilter("balancer")).toEqual({ kind: "balancer" });
    expect(actorFilter("boss")).toEqual({ id: "boss" });
    expect(actorFilter("kiosk-1")).toEqual({ id: "kiosk-1" });
  });

  it("a query is a range of at most 31 days with a limit of at most 1000", () => {
    expect(AuditQuery.parse({ from: DAY, to: DAY })).toMatchObject({ limit: 200 });
    expect(AuditQuery.safeParse({ from: "2026-03-01", to: "2026-03-31" }).success).toBe(true);
    for (const bad of [{ from: "2026-03-01", to: "2026-04-01" }, { from: DAY, to: "2026-03-01" }, { from: "2026-02-30", to: DAY }, { from: DAY, to: DAY, limit: "1001" }, { from: DAY, to: DAY, limit: "0" }, { from: DAY, to: DAY, kind: "tickets" }, { from: DAY, to: DAY, before: "not-a-cursor" }, { from: DAY, to: DAY, extra: "1" }]) {
      expect(AuditQuery.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
