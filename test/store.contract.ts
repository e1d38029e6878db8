/**
 * The HallStore contract: what every store (memory, Redis, Redis Cluster) must do, written as what
 * people in the hall would notice. Run it with `describeStoreContract(name, makeStore)`.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  applyEvent,
  CommandSchemas,
  HallCallError,
  HallEvent,
  HallSnapshot,
  type CommandInput,
  type CommandName,
  type ErrorCode,
  type Ticket,
} from "../protocol/index.js";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import type { Actor, CommandContext, ServerCommand, StoreCommand } from "../server/domain/hall-commands.js";
import { parseHall, type HallConfig, type HallConfigInput } from "../server/domain/config.js";
import type { HallStore } from "../server/store/types.js";

export const HALL = "contract";
export const TZ = "Asia/Shanghai";
/** 10:00 hall time on a Monday. */
export const T0 = instantOf("2026-03-02", "10:00", TZ);
export const MIN = 60_000;

/** A small hall: open all day except `night`; estate has a quota of 2. */
export function contractHall(overrides: Partial<HallConfigInput> = {}): HallConfig {
  const svc = (id: string, prefix: string, more: object = {}) => ({ id, prefix, name: { zh: id, en: id }, opens: "00:00", closes: "24:00", ...more });
  return parseHall({
    id: HALL,
    name: { zh: "契约大厅", en: "Contract hall" },
    timezone: TZ,
    services: [
      svc("social", "A", { targetWaitMin: 20 }),
      svc("medical", "B", { targetWaitMin: 10 }),
      svc("estate", "D", { targetWaitMin: 30, dailyQuota: 2 }),
      svc("night", "N", { opens: "09:00", closes: "17:00" }),
    ],
    windows: [
      { id: "w1", label: { zh: "1号窗口", en: "Window 1" }, qualified: ["social", "medical"], serving: ["social"] },
      { id: "w2", label: { zh: "2号窗口", en: "Window 2" }, qualified: ["medical", "social"], serving: ["medical"] },
      { id: "w3", label: { zh: "3号窗口", en: "Window 3" }, qualified: ["estate", "night"], serving: ["estate", "night"] },
      { id: "w4", label: { zh: "4号窗口", en: "Window 4" }, qualified: ["social", "medical", "estate"], serving: ["social", "medical"] },
    ],
    dispatch: { primaryPreference: 0.2 },
    ...overrides,
  });
}

let commandCounter = 0;
export const newCommandId = (): string => `cmd-${Date.now().toString(36)}-${++commandCounter}`;

/** A wire command with its schema defaults filled in, and a fresh commandId unless given. */
export function wire<N extends CommandName>(name: N, payload: Omit<CommandInput<N>, "commandId"> & { commandId?: string }): StoreCommand {
  const parsed = CommandSchemas[name].parse({ commandId: newCommandId(), ...payload });
  return { name, payload: parsed } as StoreCommand;
}

/** Deep copy without float noise in the stats sums (memory sums seconds, Redis sums milliseconds). */
export function comparable(s: HallSnapshot): HallSnapshot {
  const c = structuredClone(s);
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  c.stats.waitSecSum = round(c.stats.waitSecSum);
  for (const v of Object.values(c.stats.byStaff)) v.serviceSecSum = round(v.serviceSecSum);
  return c;
}

export function describeStoreContract(name: string, makeStore: () => Promise<HallStore>): void {
  describe(`${name} store`, () => {
    let store: HallStore;
    let clock: ManualClock;
    let start: HallSnapshot;

    const ctx = (by: Actor = "staff", staffId: string | null = null, newTicketId?: string): CommandContext => ({ now: clock.now(), by, staffId, newTicketId });
    const exec = async (cmd: StoreCommand, by: Actor = "staff"): Promise<HallEvent> => {
      const { event } = await store.execute(HALL, cmd, ctx(by));
      return HallEvent.parse(event);
    };
    const run = <N extends CommandName>(n: N, payload: Omit<CommandInput<N>, "commandId"> & { commandId?: string }, by: Actor = "staff") => exec(wire(n, payload), by);
    const server = (cmd: ServerCommand, by: Actor = "system") => exec(cmd, by);
    const snap = () => store.snapshot(HALL);

    const issue = async (serviceId: string, more: { priority?: string; then?: string[] } = {}): Promise<Ticket> => {
      const ev = await run("ticket:issue", { serviceId, ...more }, "kiosk");
      expect(ev.type).toBe("ticket:issued");
      return (ev as Extract<HallEvent, { type: "ticket:issued" }>).ticket;
    };
    const open = (windowId: string, staffId = `staff-${windowId}`) => server({ name: "window:signIn", payload: { windowId, staffId } }, "staff");
    const callNext = async (windowId: string): Promise<Ticket> => {
      const ev = await run("window:callNext", { windowId });
      expect(ev.type).toBe("ticket:called");
      return (ev as Extract<HallEvent, { type: "ticket:called" }>).ticket;
    };
    const waitingIds = async (serviceId?: string) =>
      (await snap()).tickets
        .filter((t) => t.state === "waiting" && (!serviceId || t.serviceId === serviceId))
        .map((t) => t.id)
        .sort();

    /** The command is refused with `code`, and neither state nor event log changed. */
    const refused = async (code: ErrorCode, attempt: () => Promise<unknown>) => {
      const before = await snap();
      const log = await store.eventsSince(HALL, 0);
      const err = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, `expected ${code}`).toBeInstanceOf(HallCallError);
      expect((err as HallCallError).code).toBe(code);
      expect(await snap()).toEqual(before);
      expect(await store.eventsSince(HALL, 0)).toEqual(log);
    };

    beforeEach(async () => {
      store = await makeStore();
      clock = new ManualClock(T0);
      await store.loadHall(contractHall(), clock.now());
      start = await snap();
    });
    afterEach(async () => {
      await store.close();
    });

    describe("issuing tickets", () => {
      it("a new hall starts with its windows closed and nothing waiting", async () => {
        expect(start.seq).toBe(0);
        expect(start.businessDate).toBe("2026-03-02");
        expect(start.windows.map((w) => [w.id, w.state, w.serving])).toEqual([
          ["w1", "closed", ["social"]],
          ["w2", "closed", ["medical"]],
          ["w3", "closed", ["estate", "night"]],
          ["w4", "closed", ["social", "medical"]],
        ]);
        expect(start.tickets).toEqual([]);
        expect(start.balancer).toEqual({ mode: "off", suggestions: [] });
        expect(HallSnapshot.parse(start)).toEqual(start);
      });

      it("each service numbers its tickets A001, A002, … and the ticket waits in its queue", async () => {
        const a1 = await issue("social");
        const a2 = await issue("social");
        const b1 = await issue("medical", { priority: "elderly" });
        expect([a1.number, a2.number, b1.number]).toEqual(["A001", "A002", "B001"]);
        expect(a1).toMatchObject({ state: "waiting", serviceId: "social", priority: "normal", channel: "kiosk", businessDate: "2026-03-02", issuedAt: T0, arrivedAt: T0, queuedAt: T0, bundle: [], missingDocs: [] });
        const s = await snap();
        expect(s.tickets.map((t) => t.id).sort()).toEqual([a1.id, a2.id, b1.id].sort());
        expect(s.stats.issued).toEqual({ social: 2, medical: 1 });
        expect(s.stats.issuedByHour[10]).toBe(3);
        expect(await store.ticket(HALL, a1.id)).toEqual(a1);
        expect(await store.ticket(HALL, "no-such-ticket")).toBeNull();
      });

      it("a repeated issue (same commandId) gives the same ticket, not a second one", async () => {
        const cmd = wire("ticket:issue", { serviceId: "social" });
        const first = await store.execute(HALL, cmd, ctx("kiosk"));
        expect(first).toMatchObject({ replayed: false, committed: [first.event] });
        clock.advance(1000);
        const again = await store.execute(HALL, cmd, ctx("kiosk"));
        expect(again).toEqual({ event: first.event, replayed: true, committed: [] });
        expect((await snap()).tickets).toHaveLength(1);
        expect((await snap()).seq).toBe(1);
      });

      it("the same command sent twice at once runs once", async () => {
        const cmd = wire("ticket:issue", { serviceId: "social" });
        const [a, b] = await Promise.all([store.execute(HALL, cmd, ctx("kiosk")), store.execute(HALL, cmd, ctx("kiosk"))]);
        expect(b!.event).toEqual(a!.event);
        expect([a!.replayed, b!.replayed].sort()).toEqual([false, true]);
        expect((await snap()).tickets).toHaveLength(1);
      });

      it("commands sent together are each decided on what the ones before them did", async () => {
        await open("w1");
        await open("w2");
        const results = await Promise.all([
          run("ticket:issue", { serviceId: "social" }, "kiosk"),
          run("ticket:issue", { serviceId: "social" }, "kiosk"),
          run("window:callNext", { windowId: "w1" }),
          run("window:callNext", { windowId: "w2" }).catch((e: HallCallError) => e.code),
        ]);
        expect(results.slice(0, 2).map((e) => (e as Extract<HallEvent, { type: "ticket:issued" }>).ticket.number)).toEqual(["A001", "A002"]);
        // The call sees the tickets issued just before it (both arrived at the same instant).
        expect(["A001", "A002"]).toContain((results[2] as Extract<HallEvent, { type: "ticket:called" }>).ticket.number);
        // w2 serves medical only: nobody waits for it.
        expect(results[3]).toBe("QUEUE_EMPTY");
        const log = await store.eventsSince(HALL, 0);
        expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
      });

      it("a repeated command that would now be refused still answers with its first result", async () => {
        await issue("social");
        await open("w1");
        await callNext("w1");
        const finish = wire("ticket:finish", { windowId: "w1" });
        const first = await store.execute(HALL, finish, ctx());
        const again = await store.execute(HALL, finish, ctx());
        expect(again).toEqual({ event: first.event, replayed: true, committed: [] });
      });

      it("a counter issuing on a citizen's behalf is the staff channel, whatever its client says", async () => {
        expect(await run("ticket:issue", { serviceId: "social", channel: "mobile" }, "staff")).toMatchObject({ ticket: { channel: "staff" } });
        expect(await run("ticket:issue", { serviceId: "social", channel: "mobile" }, "citizen")).toMatchObject({ ticket: { channel: "mobile" } });
      });

      it("a ticket keeps the expected wait it was issued with", async () => {
        const { event: ev } = await store.execute(HALL, wire("ticket:issue", { serviceId: "social" }), { ...ctx("kiosk"), issueEtaSec: 754.4 });
        expect(ev.type === "ticket:issued" && ev.ticket.etaSec).toBe(754);
        const plain = await issue("social");
        expect(plain.etaSec).toBeNull();
      });

      it("the daily quota is enforced", async () => {
        await issue("estate");
        await issue("estate");
        await refused("QUOTA_EXHAUSTED", () => run("ticket:issue", { serviceId: "estate" }));
      });

      it("closed services refuse tickets", async () => {
        clock.set(instantOf("2026-03-02", "08:59", TZ));
        await refused("SERVICE_CLOSED", () => run("ticket:issue", { serviceId: "night" }));
        clock.set(instantOf("2026-03-02", "17:00", TZ));
        await refused("SERVICE_CLOSED", () => run("ticket:issue", { serviceId: "night" }));
        clock.set(instantOf("2026-03-02", "09:00", TZ));
        expect((await issue("night")).number).toBe("N001");
      });

      it("unknown services, priority classes and halls are refused", async () => {
        await refused("UNKNOWN_SERVICE", () => run("ticket:issue", { serviceId: "nope" }));
        await refused("UNKNOWN_SERVICE", () => run("ticket:issue", { serviceId: "social", then: ["nope"] }));
        await refused("UNKNOWN_PRIORITY", () => run("ticket:issue", { serviceId: "social", priority: "vip" }));
        await expect(store.execute("no-such-hall", wire("ticket:issue", { serviceId: "social" }), ctx())).rejects.toMatchObject({ code: "UNKNOWN_HALL" });
        await expect(store.snapshot("no-such-hall")).rejects.toMatchObject({ code: "UNKNOWN_HALL" });
      });

      it("reading the hall after midnight does not start the new day", async () => {
        await issue("social");
        const before = await snap();
        clock.set(instantOf("2026-03-03", "00:30", TZ));
        expect(await snap()).toEqual(before);
        expect(await store.eventsSince(HALL, 0)).toHaveLength(1);
      });

      it("a new business day restarts numbers and figures and keeps every live ticket", async () => {
        const atWindow = await issue("social");
        clock.advance(1000);
        const waiting = await issue("social");
        await open("w1");
        expect((await callNext("w1")).id).toBe(atWindow.id);
        const seqBefore = (await snap()).seq;
        clock.set(instantOf("2026-03-03", "00:00", TZ));
        const started = await server({ name: "hall:startDay", payload: {} });
        expect(started).toMatchObject({ type: "hall:dayStarted", businessDate: "2026-03-03", seq: seqBefore + 1 });
        const s = await snap();
        expect(s).toMatchObject({ businessDate: "2026-03-03", seq: seqBefore + 1 });
        expect(s.tickets.map((t) => [t.number, t.state]).sort()).toEqual([["A001", "called"], ["A002", "waiting"]]);
        expect(s.recentCalls.map((c) => c.ticketId)).toEqual([atWindow.id]);
        expect(s.stats.issued).toEqual({});
        expect(s.windows.find((w) => w.id === "w1")).toMatchObject({ state: "open", ticketId: atWindow.id, servedToday: 0, staffId: "staff-w1" });
        expect(await store.ticket(HALL, waiting.id)).toMatchObject({ state: "waiting", businessDate: "2026-03-02" });
        const fresh = await issue("social");
        expect(fresh).toMatchObject({ number: "A001", businessDate: "2026-03-03" });
      });

      it("a day starts once", async () => {
        clock.set(instantOf("2026-03-03", "00:00", TZ));
        await server({ name: "hall:startDay", payload: {} });
        await refused("ILLEGAL_TRANSITION", () => server({ name: "hall:startDay", payload: {} }));
        clock.set(instantOf("2026-03-02", "23:00", TZ));
        await refused("ILLEGAL_TRANSITION", () => server({ name: "hall:startDay", payload: {} }));
      });

      it("the first command of a new day starts the day before it acts", async () => {
        await issue("estate");
        await issue("estate");
        clock.set(instantOf("2026-03-03", "10:00", TZ));
        const res = await store.execute(HALL, wire("ticket:issue", { serviceId: "estate" }), ctx("kiosk"));
        expect(res.committed.map((e) => e.type)).toEqual(["hall:dayStarted", "ticket:issued"]);
        expect(res.event).toBe(res.committed[1]);
        expect(res.event).toMatchObject({ ticket: { number: "D001" } });
        const log = await store.eventsSince(HALL, 2);
        expect(log).toEqual(res.committed);
      });

      it("ended tickets are found by id until the next day starts", async () => {
        const t = await issue("social");
        await open("w1");
        await callNext("w1");
        await run("ticket:finish", { windowId: "w1" });
        clock.set(instantOf("2026-03-02", "23:59", TZ));
        expect(await store.ticket(HALL, t.id)).toMatchObject({ state: "finished" });
        clock.set(instantOf("2026-03-03", "00:00", TZ));
        await server({ name: "hall:startDay", payload: {} });
        expect(await store.ticket(HALL, t.id)).toBeNull();
      });
    });

    describe("a commandId belongs to one command", () => {
      const called = async () => {
        await issue("social");
        await open("w1");
        const call = wire("window:callNext", { windowId: "w1" });
        const first = await store.execute(HALL, call, ctx("staff", "alice"));
        return { call, first, commandId: (call.payload as { commandId: string }).commandId };
      };

      it("a cancel carrying a call-next's commandId is refused and cancels nothing", async () => {
        const { first, commandId } = await called();
        const ticketId = (first.event as Extract<HallEvent, { type: "ticket:called" }>).ticket.id;
        await refused("IDEMPOTENCY_CONFLICT", () => store.execute(HALL, wire("ticket:cancel", { ticketId, commandId }), ctx("staff", "alice")));
        expect(await store.ticket(HALL, ticketId)).toMatchObject({ state: "called" });
      });

      it("the same command with another payload under a used commandId is refused", async () => {
        const first = wire("ticket:issue", { serviceId: "social" });
        const commandId = (first.payload as { commandId: string }).commandId;
        await store.execute(HALL, first, ctx("kiosk"));
        await refused("IDEMPOTENCY_CONFLICT", () => store.execute(HALL, wire("ticket:issue", { serviceId: "medical", commandId }), ctx("kiosk")));
        await refused("IDEMPOTENCY_CONFLICT", () => store.execute(HALL, wire("ticket:issue", { serviceId: "social", priority: "elderly", commandId }), ctx("kiosk")));
        expect((await snap()).tickets.map((t) => t.number)).toEqual(["A001"]);
      });

      it("another caller reusing a commandId is refused, whether another role or another staff member", async () => {
        const { call } = await called();
        await refused("IDEMPOTENCY_CONFLICT", () => store.execute(HALL, call, ctx("manager", "alice")));
        await refused("IDEMPOTENCY_CONFLICT", () => store.execute(HALL, call, ctx("staff", "bob")));
        await refused("IDEMPOTENCY_CONFLICT", () => store.execute(HALL, call, ctx("staff", null)));
      });

      it("an exact repeat answers the first result and commits nothing, later and with its fields in another order", async () => {
        const { call, first } = await called();
        const seq = (await snap()).seq;
        clock.advance(MIN);
        const { commandId, windowId } = call.payload as { commandId: string; windowId: string };
        const reordered = { name: call.name, payload: { windowId, commandId } } as StoreCommand;
        // A repeat's own time, ticket id and printed wait are the store's, not the caller's.
        expect(await store.execute(HALL, reordered, { ...ctx("staff", "alice"), newTicketId: "other-id", issueEtaSec: 99 })).toEqual({ event: first.event, replayed: true, committed: [] });
        expect((await snap()).seq).toBe(seq);
        expect(await store.eventsSince(HALL, seq)).toEqual([]);
      });

      it("a refused reuse leaves the first result in place for the command's own repeats", async () => {
        const { call, first, commandId } = await called();
        await refused("IDEMPOTENCY_CONFLICT", () => store.execute(HALL, wire("window:pause", { windowId: "w2", reason: "x", commandId }), ctx("staff", "alice")));
        expect(await store.execute(HALL, call, ctx("staff", "alice"))).toEqual({ event: first.event, replayed: true, committed: [] });
      });

      it("a commandId sent at once with two payloads runs one of them and refuses the other", async () => {
        const social = wire("ticket:issue", { serviceId: "social" });
        const commandId = (social.payload as { commandId: string }).commandId;
        const outcomes = await Promise.all(
          [social, wire("ticket:issue", { serviceId: "medical", commandId })].map((cmd) =>
            store.execute(HALL, cmd, ctx("kiosk")).then(
              (r) => (r.replayed ? "replayed" : "ran"),
              (e: HallCallError) => e.code,
            ),
          ),
        );
        expect(outcomes.sort()).toEqual(["IDEMPOTENCY_CONFLICT", "ran"]);
        expect((await snap()).tickets).toHaveLength(1);
        expect((await snap()).seq).toBe(1);
      });

      it("a commandId whose command was refused is free for another command", async () => {
        await open("w1");
        const call = wire("window:callNext", { windowId: "w1" });
        const commandId = (call.payload as { commandId: string }).commandId;
        await refused("QUEUE_EMPTY", () => store.execute(HALL, call, ctx()));
        expect(await exec(wire("ticket:issue", { serviceId: "social", commandId }), "kiosk")).toMatchObject({ type: "ticket:issued" });
      });
    });

    describe("a hall open through midnight", () => {
      it("tickets waiting, called, in service and parked at midnight are called, served and rated after it", async () => {
        for (const w of ["w1", "w2", "w4"]) await open(w);
        const issued: Ticket[] = [];
        for (const serviceId of ["social", "social", "medical", "social"]) {
          issued.push(await issue(serviceId));
          clock.advance(1000);
        }
        const [parked, serving, called, waiting] = issued as [Ticket, Ticket, Ticket, Ticket];
        clock.set(instantOf("2026-03-02", "23:50", TZ));
        await callNext("w1");
        await run("ticket:park", { windowId: "w1", reason: "缺材料", missingDocs: ["身份证"] });
        expect((await callNext("w1")).id).toBe(serving.id);
        await run("ticket:start", { windowId: "w1" });
        expect((await callNext("w2")).id).toBe(called.id);

        clock.set(instantOf("2026-03-03", "00:05", TZ));
        await server({ name: "hall:startDay", payload: {} });
        const finished = await run("ticket:finish", { windowId: "w1" });
        expect(finished).toMatchObject({ type: "ticket:finished", ticket: { id: serving.id, state: "finished" }, window: { servedToday: 1, lastFinishedId: serving.id } });
        expect(await run("ticket:rate", { windowId: "w1", ticketId: serving.id, rating: 5 }, "pad")).toMatchObject({ ticket: { rating: 5 } });
        expect(await run("ticket:noShow", { windowId: "w2" })).toMatchObject({ ticket: { id: called.id, state: "noShow" } });
        expect((await callNext("w4")).id).toBe(waiting.id);
        await run("ticket:resume", { ticketId: parked.id });
        expect((await callNext("w1")).id).toBe(parked.id);
        const fresh = await issue("social");
        expect(fresh.number).toBe("A001");

        const s = await snap();
        expect(s.stats).toMatchObject({ issued: { social: 1 }, finished: { social: 1 }, noShows: { medical: 1 }, ratings: [0, 0, 0, 0, 1] });
        expect(s.tickets.map((t) => t.id).sort()).toEqual([parked.id, waiting.id, fresh.id].sort());
      });
    });

    describe("calling", () => {
      it("a double-pressed call-next does not skip a citizen", async () => {
        const a1 = await issue("social");
        clock.advance(1000);
        const a2 = await issue("social");
        await open("w1");
        const press = wire("window:callNext", { windowId: "w1" });
        const first = await exec(press);
        const second = await exec(press);
        expect(second).toEqual(first);
        expect((first as Extract<HallEvent, { type: "ticket:called" }>).ticket.id).toBe(a1.id);
        expect(await waitingIds()).toEqual([a2.id]);
        expect((await snap()).stats.called).toEqual({ social: 1 });
      });

      it("within one service, first come first served", async () => {
        const a1 = await issue("social");
        clock.advance(1000);
        const a2 = await issue("social");
        await open("w1");
        expect((await callNext("w1")).id).toBe(a1.id);
        await run("ticket:finish", { windowId: "w1" });
        expect((await callNext("w1")).id).toBe(a2.id);
      });

      it("priority before waiting time", async () => {
        const normal = await issue("social");
        clock.advance(30 * MIN);
        const elderly = await issue("social", { priority: "elderly" });
        const urgent = await issue("medical", { priority: "urgent" });
        await open("w4");
        expect((await callNext("w4")).id).toBe(urgent.id);
        await run("ticket:finish", { windowId: "w4" });
        expect((await callNext("w4")).id).toBe(elderly.id);
        await run("ticket:finish", { windowId: "w4" });
        expect((await callNext("w4")).id).toBe(normal.id);
      });

      it("waiting time counts relative to the service's target wait", async () => {
        // w4 serves social (target 20 min, primary) and medical (target 10 min).
        const social = await issue("social");
        clock.advance(2 * MIN);
        const medical = await issue("medical");
        clock.advance(10 * MIN);
        // social: 12/20 × 1.2 = 0.72; medical: 10/10 = 1.0 → the later medical ticket is more overdue.
        await open("w4");
        expect((await callNext("w4")).id).toBe(medical.id);
        await run("ticket:finish", { windowId: "w4" });
        expect((await callNext("w4")).id).toBe(social.id);
      });

      it("a window's primary service wins when waits against target are equal", async () => {
        const social = await issue("social");
        clock.advance(10 * MIN);
        const medical = await issue("medical");
        clock.advance(10 * MIN);
        // Both at 100% of target: social is w4's primary service (×1.2).
        await open("w4");
        expect((await callNext("w4")).id).toBe(social.id);
        await run("ticket:transfer", { windowId: "w4", toServiceId: "social" });
        await run("window:setServing", { windowId: "w4", serving: ["medical", "social"] }, "manager");
        // Now medical is primary: 1.0 × 1.2 beats the transferred social ticket's 1.0.
        expect((await callNext("w4")).id).toBe(medical.id);
      });

      it("a window only calls the services it serves", async () => {
        await issue("estate");
        await open("w1");
        await refused("QUEUE_EMPTY", () => run("window:callNext", { windowId: "w1" }));
      });

      it("a call fills the window, the board's recent calls and the wait figures", async () => {
        const t = await issue("social");
        await open("w1", "alice");
        clock.advance(7 * MIN);
        const ev = await run("window:callNext", { windowId: "w1" });
        expect(ev).toMatchObject({ type: "ticket:called", recall: false, waitSec: 420, window: { id: "w1", ticketId: t.id } });
        expect(ev).toMatchObject({ ticket: { state: "called", calledAt: clock.now(), windowId: "w1", staffId: "alice" } });
        const s = await snap();
        expect(s.recentCalls).toEqual([{ ticketId: t.id, number: "A001", windowId: "w1", at: clock.now(), booked: false }]);
        expect(s.stats.waitHistogram).toEqual([0, 1, 0, 0, 0, 0]);
        expect(s.stats.waitSecSum).toBe(420);
        expect(s.stats.waitCount).toBe(1);
      });

      it("a recall announces the ticket again without counting a second call", async () => {
        const a1 = await issue("social");
        clock.advance(1000);
        const a2 = await issue("social");
        await open("w1");
        await open("w4");
        await callNext("w1");
        await callNext("w4");
        clock.advance(MIN);
        const ev = await run("window:recall", { windowId: "w1" });
        expect(ev).toMatchObject({ type: "ticket:called", recall: true, ticket: { id: a1.id, recalls: 1, calledAt: clock.now() } });
        const s = await snap();
        expect(s.recentCalls.map((c) => c.ticketId)).toEqual([a1.id, a2.id]);
        expect(s.stats.called).toEqual({ social: 2 });
        expect(s.stats.waitCount).toBe(2);
      });

      it("the board keeps the 12 most recent calls, newest first", async () => {
        await open("w1");
        const ids: string[] = [];
        for (let i = 0; i < 14; i++) {
          ids.push((await issue("social")).id);
          clock.advance(1000);
          await callNext("w1");
          await run("ticket:finish", { windowId: "w1" });
        }
        const s = await snap();
        expect(s.recentCalls.map((c) => c.ticketId)).toEqual(ids.reverse().slice(0, 12));
      });

      it("windows calling at the same moment never get the same ticket", async () => {
        await issue("social");
        await issue("social");
        for (const w of ["w1", "w2", "w4"]) await open(w);
        await run("window:setServing", { windowId: "w2", serving: ["social"] }, "manager");
        const results = await Promise.allSettled(["w1", "w2", "w4"].map((w) => exec(wire("window:callNext", { windowId: w }))));
        const called = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<HallEvent>).value);
        const empty = results.filter((r) => r.status === "rejected").map((r) => ((r as PromiseRejectedResult).reason as HallCallError).code);
        expect(called).toHaveLength(2);
        expect(new Set(called.map((e) => (e as Extract<HallEvent, { type: "ticket:called" }>).ticket.id)).size).toBe(2);
        expect(empty).toEqual(["QUEUE_EMPTY"]);
      });
    });

    describe("serving", () => {
      it("start and finish record who served and for how long", async () => {
        const t = await issue("social");
        await open("w1", "alice");
        await callNext("w1");
        clock.advance(MIN);
        expect(await run("ticket:start", { windowId: "w1" })).toMatchObject({ type: "ticket:started", ticket: { state: "serving", servingAt: clock.now() } });
        clock.advance(4 * MIN);
        const ev = await run("ticket:finish", { windowId: "w1" });
        expect(ev).toMatchObject({ type: "ticket:finished", serviceId: "social", serviceSec: 240, ticket: { id: t.id, state: "finished", endedAt: clock.now() }, window: { ticketId: null, servedToday: 1, lastFinishedId: t.id } });
        const s = await snap();
        expect(s.tickets).toEqual([]);
        expect(s.stats.finished).toEqual({ social: 1 });
        expect(s.stats.byStaff.alice).toEqual({ served: 1, serviceSecSum: 240, ratings: [0, 0, 0, 0, 0] });
        expect(await store.ticket(HALL, t.id)).toMatchObject({ state: "finished" });
      });

      it("a no-show frees the window and is counted", async () => {
        const t = await issue("social");
        await open("w1");
        await callNext("w1");
        const ev = await run("ticket:noShow", { windowId: "w1" });
        expect(ev).toMatchObject({ type: "ticket:noShow", ticket: { id: t.id, state: "noShow" }, window: { ticketId: null } });
        const s = await snap();
        expect(s.stats.noShows).toEqual({ social: 1 });
        expect(s.tickets).toEqual([]);
      });

      it("a parked ticket keeps its place when resumed", async () => {
        const a1 = await issue("social");
        clock.advance(1000);
        const a2 = await issue("social");
        clock.advance(1000);
        const a3 = await issue("social");
        await open("w1");
        await callNext("w1");
        const parked = await run("ticket:park", { windowId: "w1", reason: "缺身份证复印件", missingDocs: ["身份证复印件"] });
        expect(parked).toMatchObject({ type: "ticket:parked", ticket: { id: a1.id, state: "parked", parkReason: "缺身份证复印件", missingDocs: ["身份证复印件"], windowId: "w1", calledAt: null }, window: { ticketId: null } });
        expect((await callNext("w1")).id).toBe(a2.id);
        await run("ticket:finish", { windowId: "w1" });
        clock.advance(5 * MIN);
        const resumed = await run("ticket:resume", { ticketId: a1.id });
        expect(resumed).toMatchObject({ type: "ticket:resumed", ticket: { state: "waiting", arrivedAt: a1.arrivedAt, queuedAt: clock.now(), windowId: null } });
        expect((await callNext("w1")).id).toBe(a1.id);
        await run("ticket:finish", { windowId: "w1" });
        expect((await callNext("w1")).id).toBe(a3.id);
      });

      it("a bundle ticket waits for its next service with its original arrival time", async () => {
        const bundle = await issue("social", { then: ["medical"] });
        expect(bundle.bundle).toEqual(["social", "medical"]);
        clock.advance(MIN);
        const later = await issue("medical");
        await open("w1");
        await open("w2");
        await callNext("w1");
        clock.advance(3 * MIN);
        const ev = await run("ticket:finish", { windowId: "w1" });
        expect(ev).toMatchObject({ type: "ticket:finished", serviceId: "social", ticket: { id: bundle.id, state: "waiting", serviceId: "medical", bundleStep: 1, arrivedAt: bundle.arrivedAt, queuedAt: clock.now(), windowId: null, calledAt: null } });
        expect((await snap()).stats.finished).toEqual({ social: 1 });
        expect((await callNext("w2")).id).toBe(bundle.id);
        await run("ticket:finish", { windowId: "w2" });
        expect(await store.ticket(HALL, bundle.id)).toMatchObject({ state: "finished", bundleStep: 1 });
        expect((await callNext("w2")).id).toBe(later.id);
      });

      it("transfer to another service keeps the original arrival time", async () => {
        const t = await issue("social");
        clock.advance(MIN);
        const later = await issue("medical");
        await open("w1");
        await open("w2");
        await callNext("w1");
        const ev = await run("ticket:transfer", { windowId: "w1", toServiceId: "medical" });
        expect(ev).toMatchObject({ type: "ticket:transferred", fromServiceId: "social", window: { id: "w1", ticketId: null }, ticket: { id: t.id, state: "waiting", serviceId: "medical", arrivedAt: t.arrivedAt, targetWindowId: null } });
        expect((await callNext("w2")).id).toBe(t.id);
        await run("ticket:finish", { windowId: "w2" });
        expect((await callNext("w2")).id).toBe(later.id);
      });

      it("transfer to one window: only that window may call it", async () => {
        const t = await issue("social");
        await open("w1");
        await open("w4");
        const ev = await run("ticket:transfer", { ticketId: t.id, toWindowId: "w4" }, "manager");
        expect(ev).toMatchObject({ type: "ticket:transferred", window: null, ticket: { targetWindowId: "w4", state: "waiting" } });
        await refused("QUEUE_EMPTY", () => run("window:callNext", { windowId: "w1" }));
        const called = await callNext("w4");
        expect(called).toMatchObject({ id: t.id, targetWindowId: null, windowId: "w4" });
      });

      it("a window's own transferred tickets compete with its services' queues", async () => {
        const own = await issue("medical");
        clock.advance(MIN);
        const social = await issue("social");
        await open("w1");
        await run("ticket:transfer", { ticketId: own.id, toWindowId: "w1" }, "manager");
        // The transferred ticket counts as primary (index 0) and has waited longer.
        expect((await callNext("w1")).id).toBe(own.id);
        await run("ticket:finish", { windowId: "w1" });
        expect((await callNext("w1")).id).toBe(social.id);
      });

      it("a transfer to a window not qualified for the service is refused", async () => {
        const t = await issue("estate");
        await refused("NOT_QUALIFIED", () => run("ticket:transfer", { ticketId: t.id, toWindowId: "w1" }, "manager"));
        await refused("UNKNOWN_WINDOW", () => run("ticket:transfer", { ticketId: t.id, toWindowId: "w9" }, "manager"));
        await refused("UNKNOWN_SERVICE", () => run("ticket:transfer", { ticketId: t.id, toServiceId: "nope" }, "manager"));
      });

      it("a bundle transferred mid-way keeps its later steps", async () => {
        await issue("social", { then: ["estate"] });
        await open("w1");
        await callNext("w1");
        const ev = await run("ticket:transfer", { windowId: "w1", toServiceId: "medical" });
        expect(ev).toMatchObject({ ticket: { bundle: ["medical", "estate"], bundleStep: 0, serviceId: "medical" } });
      });

      it("cancel takes a waiting ticket out of its queue and frees a window holding a called one", async () => {
        const a1 = await issue("social");
        clock.advance(1000);
        const a2 = await issue("social");
        await open("w1");
        await callNext("w1");
        const ev1 = await run("ticket:cancel", { ticketId: a1.id }, "citizen");
        expect(ev1).toMatchObject({ type: "ticket:cancelled", ticket: { state: "cancelled" }, window: { id: "w1", ticketId: null } });
        const ev2 = await run("ticket:cancel", { ticketId: a2.id }, "citizen");
        expect(ev2).toMatchObject({ type: "ticket:cancelled", window: null });
        expect((await snap()).tickets).toEqual([]);
        await refused("QUEUE_EMPTY", () => run("window:callNext", { windowId: "w1" }));
      });

      it("a citizen rates once, at the window that served them", async () => {
        const t = await issue("social");
        await open("w1", "alice");
        await callNext("w1");
        await run("ticket:finish", { windowId: "w1" });
        await refused("ILLEGAL_TRANSITION", () => run("ticket:rate", { windowId: "w2", ticketId: t.id, rating: 5 }, "pad"));
        const ev = await run("ticket:rate", { windowId: "w1", ticketId: t.id, rating: 5 }, "pad");
        expect(ev).toMatchObject({ type: "ticket:rated", ticket: { rating: 5 } });
        await refused("ALREADY_RATED", () => run("ticket:rate", { windowId: "w1", ticketId: t.id, rating: 1 }, "pad"));
        const s = await snap();
        expect(s.stats.ratings).toEqual([0, 0, 0, 0, 1]);
        expect(s.stats.byStaff.alice!.ratings).toEqual([0, 0, 0, 0, 1]);
      });

      it("a bundle is rated once per step, at the pad of the window that served it, and once as a whole", async () => {
        const t = await issue("social", { then: ["medical"] });
        await open("w1", "alice");
        await open("w2", "bob");
        await callNext("w1");
        await run("ticket:finish", { windowId: "w1" });
        const first = await run("ticket:rate", { windowId: "w1", ticketId: t.id, rating: 5 }, "pad");
        expect(first).toMatchObject({ type: "ticket:rated", scope: "service", step: 0, ticket: { state: "waiting", rating: null, served: [{ step: 0, windowId: "w1", staffId: "alice", rating: 5 }] } });
        await refused("ALREADY_RATED", () => run("ticket:rate", { windowId: "w1", ticketId: t.id, rating: 1 }, "pad"));
        await callNext("w2");
        await run("ticket:finish", { windowId: "w2" });
        await run("ticket:rate", { windowId: "w2", ticketId: t.id, rating: 2 }, "pad");
        await refused("ALREADY_RATED", () => run("ticket:rate", { windowId: "w2", ticketId: t.id, rating: 4, step: 1 }, "pad"));
        const whole = await server({ name: "ticket:rateWhole", payload: { commandId: newCommandId(), ticketId: t.id, rating: 4 } }, "citizen");
        expect(whole).toMatchObject({ type: "ticket:rated", scope: "whole", ticket: { state: "finished", rating: 4, served: [{ rating: 5 }, { rating: 2 }] } });
        await refused("ALREADY_RATED", () => server({ name: "ticket:rateWhole", payload: { commandId: newCommandId(), ticketId: t.id, rating: 1 } }, "citizen"));
        expect((await store.ticket(HALL, t.id))!.served.map((x) => x.rating)).toEqual([5, 2]);
        const s = await snap();
        expect(s.stats.ratings).toEqual([0, 1, 0, 0, 1]);
        expect(s.stats.byStaff.alice!.ratings).toEqual([0, 0, 0, 0, 1]);
        expect(s.stats.byStaff.bob!.ratings).toEqual([0, 1, 0, 0, 0]);
      });
    });

    describe("every illegal transition is refused with its code and changes nothing", () => {
      const setupBusy = async () => {
        await issue("social");
        await issue("social");
        await open("w1");
        await callNext("w1");
      };
      const cases: Array<[string, ErrorCode, () => Promise<void>, () => Promise<unknown>]> = [
        ["call-next at a closed window", "WINDOW_NOT_OPEN", async () => void (await issue("social")), () => run("window:callNext", { windowId: "w1" })],
        ["call-next at a paused window", "WINDOW_NOT_OPEN", async () => (await issue("social"), await open("w1"), void (await run("window:pause", { windowId: "w1", reason: "午休" }))), () => run("window:callNext", { windowId: "w1" })],
        ["call-next while a ticket is at the window", "WINDOW_BUSY", setupBusy, () => run("window:callNext", { windowId: "w1" })],
        ["call-next with nobody waiting", "QUEUE_EMPTY", async () => void (await open("w1")), () => run("window:callNext", { windowId: "w1" })],
        ["call-next at an unknown window", "UNKNOWN_WINDOW", async () => {}, () => run("window:callNext", { windowId: "w9" })],
        ["recall at an idle window", "WINDOW_IDLE", async () => void (await open("w1")), () => run("window:recall", { windowId: "w1" })],
        ["start at an idle window", "WINDOW_IDLE", async () => void (await open("w1")), () => run("ticket:start", { windowId: "w1" })],
        ["finish at an idle window", "WINDOW_IDLE", async () => void (await open("w1")), () => run("ticket:finish", { windowId: "w1" })],
        ["no-show at an idle window", "WINDOW_IDLE", async () => void (await open("w1")), () => run("ticket:noShow", { windowId: "w1" })],
        ["park at an idle window", "WINDOW_IDLE", async () => void (await open("w1")), () => run("ticket:park", { windowId: "w1", reason: "x" })],
        ["transfer from an idle window", "WINDOW_IDLE", async () => void (await open("w1")), () => run("ticket:transfer", { windowId: "w1", toServiceId: "medical" })],
        ["start a ticket already in service", "ILLEGAL_TRANSITION", async () => (await setupBusy(), void (await run("ticket:start", { windowId: "w1" }))), () => run("ticket:start", { windowId: "w1" })],
        ["recall a ticket already in service", "ILLEGAL_TRANSITION", async () => (await setupBusy(), void (await run("ticket:start", { windowId: "w1" }))), () => run("window:recall", { windowId: "w1" })],
        ["no-show for a ticket already in service", "ILLEGAL_TRANSITION", async () => (await setupBusy(), void (await run("ticket:start", { windowId: "w1" }))), () => run("ticket:noShow", { windowId: "w1" })],
        ["cancel a ticket in service", "ILLEGAL_TRANSITION", async () => (await setupBusy(), void (await run("ticket:start", { windowId: "w1" }))), async () => run("ticket:cancel", { ticketId: (await snap()).windows[0]!.ticketId! })],
        ["resume a ticket that is not parked", "ILLEGAL_TRANSITION", async () => void (await issue("social")), async () => run("ticket:resume", { ticketId: (await snap()).tickets[0]!.id })],
        ["resume an unknown ticket", "UNKNOWN_TICKET", async () => {}, () => run("ticket:resume", { ticketId: "nope" })],
        ["cancel an unknown ticket", "UNKNOWN_TICKET", async () => {}, () => run("ticket:cancel", { ticketId: "nope" })],
        ["rate a ticket not finished", "ILLEGAL_TRANSITION", setupBusy, async () => run("ticket:rate", { windowId: "w1", ticketId: (await snap()).windows[0]!.ticketId!, rating: 4 })],
        ["rate at an unknown window", "UNKNOWN_WINDOW", async () => {}, () => run("ticket:rate", { windowId: "w9", ticketId: "nope", rating: 4 })],
        ["transfer naming another ticket than the window's", "ILLEGAL_TRANSITION", setupBusy, async () => run("ticket:transfer", { windowId: "w1", ticketId: (await snap()).tickets.find((t) => t.state === "waiting")!.id, toServiceId: "medical" })],
        ["open an open window", "ILLEGAL_TRANSITION", async () => void (await open("w1")), () => run("window:open", { windowId: "w1" })],
        ["resume a window that is not paused", "ILLEGAL_TRANSITION", async () => void (await open("w1")), () => run("window:resume", { windowId: "w1" })],
        ["close a closed window", "ILLEGAL_TRANSITION", async () => {}, () => run("window:close", { windowId: "w1" })],
        ["pause a closed window", "WINDOW_NOT_OPEN", async () => {}, () => run("window:pause", { windowId: "w1", reason: "x" })],
        ["pause with a citizen at the window", "WINDOW_BUSY", setupBusy, () => run("window:pause", { windowId: "w1", reason: "x" })],
        ["close with a citizen at the window", "WINDOW_BUSY", setupBusy, () => run("window:close", { windowId: "w1" })],
        ["serve a service the window is not qualified for", "NOT_QUALIFIED", async () => {}, () => run("window:setServing", { windowId: "w1", serving: ["estate"] }, "manager")],
        ["serve an unknown service", "UNKNOWN_SERVICE", async () => {}, () => run("window:setServing", { windowId: "w1", serving: ["nope"] }, "manager")],
        ["decide an unknown suggestion", "UNKNOWN_SUGGESTION", async () => {}, () => run("balancer:decide", { suggestionId: "s-404", approve: true }, "manager")],
        ["suggest a service the window is not qualified for", "NOT_QUALIFIED", async () => {}, () => server({ name: "balancer:suggest", payload: { suggestionId: "s1", windowId: "w1", serving: ["estate"], reason: { zh: "x", en: "x" } } }, "balancer")],
      ];
      it.each(cases)("%s → %s", async (_label, code, setup, attempt) => {
        await setup();
        await refused(code, attempt);
      });
    });

    describe("appointments (预约) and calling by name (指定叫号)", () => {
      /** social takes bookings: 30-minute slots of 2, 40% of a quota of 10 kept for them (4), so 6 walk-ins. */
      const bookedHall = (booking: Partial<HallConfig["booking"]> = {}) =>
        contractHall({
          services: contractHall().services.map((x) => (x.id === "social" ? { ...x, dailyQuota: 10, appointments: { slotMin: 30, capacity: 2, quotaShare: 0.4 } } : x)),
          booking: { ...contractHall().booking, earlyMin: 30, lateMin: 10, ...booking },
        });
      let bookings = 0;
      const checkIn = async (slot: string, more: { priority?: string; date?: string; commandId?: string } = {}): Promise<Ticket> => {
        const id = `bk-${++bookings}`;
        const ev = await server({ name: "ticket:checkIn", payload: { commandId: more.commandId ?? newCommandId(), priority: more.priority ?? "normal", booking: { id, serviceId: "social", date: more.date ?? "2026-03-02", slot, name: "张*" } } }, "kiosk");
        expect(ev.type).toBe("ticket:issued");
        return (ev as Extract<HallEvent, { type: "ticket:issued" }>).ticket;
      };
      const at = (hhmm: string) => clock.set(instantOf("2026-03-02", hhmm, TZ));
      beforeEach(async () => {
        await store.loadHall(bookedHall(), clock.now());
      });

      it("an on-time check-in is queued from its slot start: after walk-ins who came before it, before those who came after", async () => {
        at("10:20");
        const before = await issue("social");
        at("10:25");
        const booked = await checkIn("10:30");
        at("10:28");
        const justBefore = await issue("social");
        at("10:35");
        const after = await issue("social");
        expect(booked).toMatchObject({ channel: "appointment", arrivedAt: instantOf("2026-03-02", "10:30", TZ), appointment: { bookingId: "bk-1", slot: "10:30", name: "张*", onTime: true } });
        await open("w1");
        const order: string[] = [];
        for (let i = 0; i < 4; i++) {
          order.push((await callNext("w1")).id);
          await run("ticket:finish", { windowId: "w1" });
        }
        expect(order).toEqual([before.id, justBefore.id, booked.id, after.id]);
      });

      it("a check-in up to the late minutes after the slot start still keeps the slot start", async () => {
        at("10:05");
        const walkIn = await issue("social");
        at("10:09");
        const booked = await checkIn("10:00");
        expect(booked.arrivedAt).toBe(instantOf("2026-03-02", "10:00", TZ));
        await open("w1");
        expect((await callNext("w1")).id).toBe(booked.id);
        expect(walkIn.arrivedAt).toBeGreaterThan(booked.arrivedAt);
        expect((await snap()).recentCalls[0]).toMatchObject({ ticketId: booked.id, booked: true });
      });

      it("a late check-in becomes a walk-in arriving when it checks in", async () => {
        at("10:11");
        const booked = await checkIn("10:00");
        expect(booked).toMatchObject({ channel: "appointment", arrivedAt: clock.now(), appointment: { onTime: false } });
      });

      it("a late check-in is refused when the hall says so, and nothing is issued", async () => {
        await store.loadHall(bookedHall({ late: "refuse" }), clock.now());
        at("10:11");
        await refused("CHECK_IN_TOO_LATE", () => checkIn("10:00"));
      });

      it("a check-in before the early minutes is refused", async () => {
        at("09:59");
        await refused("CHECK_IN_TOO_EARLY", () => checkIn("10:30"));
      });

      it("a booking of another day cannot be checked in today", async () => {
        at("10:00");
        await refused("BOOKING_CLOSED", () => checkIn("10:30", { date: "2026-03-03" }));
      });

      it("priority classes still come first: an elderly walk-in who came later goes ahead of an on-time booking", async () => {
        at("10:25");
        const booked = await checkIn("10:30");
        at("10:40");
        const elderly = await issue("social", { priority: "elderly" });
        await open("w1");
        expect((await callNext("w1")).id).toBe(elderly.id);
        await run("ticket:finish", { windowId: "w1" });
        expect((await callNext("w1")).id).toBe(booked.id);
      });

      it("a repeated check-in (same commandId) gives the same ticket", async () => {
        at("10:25");
        const cmd = newCommandId();
        const first = await checkIn("10:30", { commandId: cmd });
        bookings--;
        const again = await checkIn("10:30", { commandId: cmd });
        expect(again).toEqual(first);
        expect((await snap()).tickets).toHaveLength(1);
      });

      it("a booking checked in once cannot be checked in again under another commandId", async () => {
        at("10:25");
        await checkIn("10:30");
        bookings--;
        await refused("BOOKING_ENDED", () => checkIn("10:30"));
      });

      it("walk-ins take the quota less the bookings' share, and check-ins still come in after it is used up", async () => {
        at("10:25");
        for (let i = 0; i < 6; i++) await issue("social");
        await refused("QUOTA_EXHAUSTED", () => issue("social"));
        const booked = await checkIn("10:30");
        expect(booked.number).toBe("A007");
        const s = await snap();
        expect(s.stats.issued.social).toBe(7);
        expect(s.stats.booked).toEqual({ social: 1 });
      });

      it("a service outside its hours refuses with the next opening and the notice to show", async () => {
        at("08:00");
        const err = await issue("night").catch((e: unknown) => e);
        expect(err).toBeInstanceOf(HallCallError);
        expect((err as HallCallError).code).toBe("SERVICE_CLOSED");
        expect((err as HallCallError).details).toEqual({ opensAt: instantOf("2026-03-02", "09:00", TZ), notice: { zh: "暂停取号，今天 09:00 开始办理", en: "No tickets now; opens today 09:00" } });
      });

      it("a counter calls a waiting ticket out of turn with a reason, and the call says who chose it", async () => {
        const first = await issue("social");
        clock.advance(MIN);
        const later = await issue("social");
        await open("w1");
        const ev = await run("window:callTicket", { windowId: "w1", ticketId: later.id, reason: "预约群众已到场" }, "staff");
        expect(ev).toMatchObject({ type: "ticket:called", ticket: { id: later.id, state: "called", windowId: "w1" }, chosen: { reason: "预约群众已到场" } });
        expect(await waitingIds()).toEqual([first.id]);
      });

      it("calling by name keeps the window rules: busy, not qualified, not waiting", async () => {
        const a = await issue("social");
        const d = await issue("estate");
        await open("w1");
        await refused("NOT_QUALIFIED", () => run("window:callTicket", { windowId: "w1", ticketId: d.id, reason: "x" }));
        await callNext("w1");
        const b = await issue("social");
        await refused("WINDOW_BUSY", () => run("window:callTicket", { windowId: "w1", ticketId: b.id, reason: "x" }));
        await run("ticket:finish", { windowId: "w1" });
        await refused("ILLEGAL_TRANSITION", () => run("window:callTicket", { windowId: "w1", ticketId: a.id, reason: "x" }));
        await refused("UNKNOWN_TICKET", () => run("window:callTicket", { windowId: "w1", ticketId: "nope", reason: "x" }));
      });
    });

    describe("windows", () => {
      it("a window opens, pauses, resumes and closes, each change an event", async () => {
        expect(await run("window:open", { windowId: "w1" })).toMatchObject({ type: "window:changed", change: "opened", by: "staff", reason: null, window: { state: "open" } });
        expect(await run("window:pause", { windowId: "w1", reason: "午休" })).toMatchObject({ change: "paused", reason: { zh: "午休", en: "午休" }, window: { state: "paused", pauseReason: "午休" } });
        expect(await run("window:resume", { windowId: "w1" }, "manager")).toMatchObject({ change: "resumed", by: "manager", window: { state: "open", pauseReason: null } });
        expect(await run("window:close", { windowId: "w1" })).toMatchObject({ change: "closed", window: { state: "closed", staffId: null } });
      });

      it("a counter signing in opens a closed window; a paused one stays paused", async () => {
        expect(await open("w1", "alice")).toMatchObject({ change: "signedIn", by: "staff", window: { state: "open", staffId: "alice" } });
        await run("window:pause", { windowId: "w1", reason: "break" });
        expect(await open("w1", "bob")).toMatchObject({ window: { state: "paused", pauseReason: "break", staffId: "bob" } });
      });

      it("a window closed and opened again by a counter credits that counter", async () => {
        await open("w1", "alice");
        await run("window:close", { windowId: "w1" });
        expect((await snap()).windows.find((w) => w.id === "w1")!.staffId).toBeNull();
        const opened = await store.execute(HALL, wire("window:open", { windowId: "w1" }), ctx("staff", "alice"));
        expect(opened.event).toMatchObject({ change: "opened", window: { staffId: "alice" } });
        await issue("social");
        expect(await callNext("w1")).toMatchObject({ staffId: "alice" });
      });

      it("the manager and the balancer change what a window serves", async () => {
        const ev = await run("window:setServing", { windowId: "w4", serving: ["estate", "social", "estate"] }, "manager");
        expect(ev).toMatchObject({ change: "servingChanged", by: "manager", reason: null, window: { serving: ["estate", "social"] } });
        const applied = await server({ name: "balancer:apply", payload: { windowId: "w4", serving: ["medical"], reason: { zh: "医保排队长", en: "medical queue is long" } } }, "balancer");
        expect(applied).toMatchObject({ by: "balancer", reason: { en: "medical queue is long" }, window: { serving: ["medical"] } });
      });

      it("reloading the hall config keeps the live state", async () => {
        await issue("social");
        await open("w1");
        await callNext("w1");
        const before = await snap();
        const cfg = contractHall();
        cfg.windows[0]!.label = { zh: "一号", en: "One" };
        await store.loadHall(cfg, clock.now());
        const after = await snap();
        expect(after.windows[0]).toEqual({ ...before.windows[0]!, label: { zh: "一号", en: "One" } });
        expect(after.tickets).toEqual(before.tickets);
        expect(after.seq).toBe(before.seq);
      });
    });

    describe("balancer", () => {
      it("mode changes, one open suggestion per window, a decision closes it", async () => {
        expect(await run("balancer:setMode", { mode: "suggest" }, "manager")).toMatchObject({ type: "balancer:modeChanged", mode: "suggest" });
        const reason = { zh: "医保排队长", en: "medical queue is long" };
        await server({ name: "balancer:suggest", payload: { suggestionId: "s1", windowId: "w1", serving: ["medical"], reason } }, "balancer");
        await server({ name: "balancer:suggest", payload: { suggestionId: "s2", windowId: "w4", serving: ["medical"], reason } }, "balancer");
        const ev = await server({ name: "balancer:suggest", payload: { suggestionId: "s3", windowId: "w1", serving: ["social", "medical"], reason } }, "balancer");
        expect(ev).toMatchObject({ type: "balancer:suggested", suggestion: { id: "s3", windowId: "w1", serving: ["social", "medical"], reason, at: clock.now() } });
        let s = await snap();
        expect(s.balancer.mode).toBe("suggest");
        expect(s.balancer.suggestions.map((x) => x.id)).toEqual(["s2", "s3"]);
        expect(await run("balancer:decide", { suggestionId: "s3", approve: true }, "manager")).toMatchObject({ type: "balancer:suggestionClosed", suggestionId: "s3", outcome: "approved", window: { id: "w1", serving: ["social", "medical"] } });
        expect(await run("balancer:decide", { suggestionId: "s2", approve: false }, "manager")).toMatchObject({ outcome: "rejected", window: null });
        s = await snap();
        expect(s.balancer.suggestions).toEqual([]);
        expect(s.windows.find((w) => w.id === "w1")!.serving).toEqual(["social", "medical"]);
        expect(s.windows.find((w) => w.id === "w4")!.serving).toEqual(["social", "medical"]);
      });

      it("an approval is told to window followers as window:changed, in the same commit", async () => {
        await run("balancer:setMode", { mode: "suggest" }, "manager");
        const reason = { zh: "医保排队长", en: "medical queue is long" };
        await server({ name: "balancer:suggest", payload: { suggestionId: "s1", windowId: "w1", serving: ["medical"], reason } }, "balancer");
        const res = await store.execute(HALL, wire("balancer:decide", { suggestionId: "s1", approve: true }), ctx("manager"));
        expect(res.event).toMatchObject({ type: "balancer:suggestionClosed", outcome: "approved" });
        expect(res.committed.map((e) => e.type)).toEqual(["balancer:suggestionClosed", "window:changed"]);
        expect(res.committed[1]).toMatchObject({ change: "servingChanged", by: "manager", reason, window: { id: "w1", serving: ["medical"] }, seq: res.event.seq + 1 });
      });

      it("turning the balancer off closes its open suggestions, which can no longer be approved", async () => {
        await run("balancer:setMode", { mode: "suggest" }, "manager");
        await server({ name: "balancer:suggest", payload: { suggestionId: "s1", windowId: "w1", serving: ["medical"], reason: { zh: "z", en: "e" } } }, "balancer");
        const res = await store.execute(HALL, wire("balancer:setMode", { mode: "off" }), ctx("manager"));
        expect(res.committed.map((e) => e.type)).toEqual(["balancer:modeChanged", "balancer:suggestionClosed"]);
        expect(res.committed[1]).toMatchObject({ suggestionId: "s1", outcome: "expired", window: null });
        expect((await snap()).balancer.suggestions).toEqual([]);
        await refused("UNKNOWN_SUGGESTION", () => run("balancer:decide", { suggestionId: "s1", approve: true }, "manager"));
      });
    });

    describe("the audit trail", () => {
      it("every event names who caused it: the staff member, the device, the balancer, or the server for a new day", async () => {
        await store.execute(HALL, wire("ticket:issue", { serviceId: "social" }), { now: clock.now(), by: "kiosk", staffId: null, device: "大厅1号自助机" });
        await store.execute(HALL, { name: "window:signIn", payload: { windowId: "w1", staffId: "alice" } }, { now: clock.now(), by: "staff", staffId: "alice" });
        await store.execute(HALL, wire("window:setServing", { windowId: "w2", serving: ["medical", "social"] }), { now: clock.now(), by: "manager", staffId: "boss" });
        await store.execute(HALL, { name: "balancer:apply", payload: { windowId: "w4", serving: ["medical"], reason: { zh: "x", en: "x" } } }, { now: clock.now(), by: "balancer", staffId: null });
        clock.set(instantOf("2026-03-03", "08:00", TZ));
        await store.execute(HALL, wire("window:callNext", { windowId: "w1" }), { now: clock.now(), by: "staff", staffId: "alice" });
        const log = await store.eventsSince(HALL, 0);
        expect(log.map((e) => [e.type, e.actor])).toEqual([
          ["ticket:issued", { kind: "kiosk", id: "大厅1号自助机" }],
          ["window:changed", { kind: "staff", id: "alice" }],
          ["window:changed", { kind: "manager", id: "boss" }],
          ["window:changed", { kind: "balancer", id: null }],
          ["hall:dayStarted", { kind: "system", id: null }],
          ["ticket:called", { kind: "staff", id: "alice" }],
        ]);
      });
    });

    describe("event log and snapshot", () => {
      const scenario = async () => {
        await open("w1", "alice");
        await open("w2", "bob");
        await open("w4");
        const a = await issue("social", { then: ["medical"] });
        clock.advance(MIN);
        await issue("medical", { priority: "pregnant" });
        await issue("estate");
        await callNext("w1");
        clock.advance(2 * MIN);
        await run("ticket:start", { windowId: "w1" });
        clock.advance(3 * MIN);
        await run("ticket:finish", { windowId: "w1" });
        await run("ticket:rate", { windowId: "w1", ticketId: a.id, rating: 4 }, "pad").catch(() => null);
        await callNext("w2");
        await run("ticket:park", { windowId: "w2", reason: "缺材料", missingDocs: [] });
        await callNext("w4");
        await run("ticket:noShow", { windowId: "w4" });
        await run("window:pause", { windowId: "w4", reason: "break" });
        await run("balancer:setMode", { mode: "suggest" }, "manager");
        await server({ name: "balancer:suggest", payload: { suggestionId: "s1", windowId: "w1", serving: ["medical"], reason: { zh: "z", en: "e" } } }, "balancer");
      };

      it("eventsSince returns the events after a seq, oldest first, at most `limit`", async () => {
        await scenario();
        const all = await store.eventsSince(HALL, 0);
        expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
        all.forEach((e) => expect(HallEvent.parse(e)).toEqual(e));
        expect(await store.eventsSince(HALL, 3, 2)).toEqual(all.slice(3, 5));
        expect(await store.eventsSince(HALL, all.length)).toEqual([]);
      });

      it("the snapshot's seq is the last event's seq", async () => {
        await scenario();
        const all = await store.eventsSince(HALL, 0);
        const s = await snap();
        expect(s.seq).toBe(all[all.length - 1]!.seq);
        expect(s.at).toBe(all[all.length - 1]!.at);
      });

      it("a snapshot reduced from the events equals the store's snapshot", async () => {
        await scenario();
        let reduced = start;
        for (const e of await store.eventsSince(HALL, 0)) {
          const res = applyEvent(reduced, e);
          expect(res.ok).toBe(true);
          if (res.ok) reduced = res.snapshot;
        }
        expect(comparable(reduced)).toEqual(comparable(await snap()));
        expect(HallSnapshot.parse(await snap())).toBeTruthy();
      });
    });
  });
}
