/**
 * 好差评 per service and per matter (server/domain/rating.ts, late-rating.ts): a 一件事 bundle is
 * rated once per step at the pad of the window that served it, and once as a whole matter from
 * the tracker; a ticket of one service keeps its one rating. On real events decided by a memory
 * store.
 */
import { describe, expect, it } from "vitest";
import { HallCallError, ratedPart, servedAt, type CommandInput, type CommandName, type HallEvent, type Ticket } from "../protocol/index.js";
import { ManualClock } from "../server/domain/clock.js";
import type { CommandContext, ServerCommand } from "../server/domain/hall-commands.js";
import { decideLateRating } from "../server/domain/late-rating.js";
import { MemoryStore } from "../server/store/memory/memory-store.js";
import { contractHall, MIN, T0, wire } from "./store.contract.js";

const hall = contractHall();
const PAD: Omit<CommandContext, "now"> = { by: "pad", staffId: null, device: "pad" };
const CITIZEN: Omit<CommandContext, "now"> = { by: "citizen", staffId: null };

/** A hall on a memory store with alice at window 1 (social) and bob at window 2 (medical). */
async function hallWithCounters() {
  const store = new MemoryStore();
  const clock = new ManualClock(T0);
  await store.loadHall(hall, T0);
  const exec = async (cmd: Parameters<MemoryStore["execute"]>[1], as: Omit<CommandContext, "now">): Promise<HallEvent> => (await store.execute(hall.id, cmd, { now: clock.now(), ...as })).event;
  const run = <N extends CommandName>(name: N, payload: Omit<CommandInput<N>, "commandId">, as: Omit<CommandContext, "now"> = { by: "staff", staffId: null }) => exec(wire(name, payload), as);
  const server = (cmd: ServerCommand, as: Omit<CommandContext, "now">) => exec(cmd, as);
  const signIn = (windowId: string, staffId: string) => server({ name: "window:signIn", payload: { windowId, staffId } }, { by: "staff", staffId });
  await signIn("w1", "alice");
  await signIn("w2", "bob");
  const issue = async (serviceId: string, then: string[] = []): Promise<Ticket> => ((await run("ticket:issue", { serviceId, then } as Omit<CommandInput<"ticket:issue">, "commandId">, { by: "kiosk", staffId: null })) as Extract<HallEvent, { type: "ticket:issued" }>).ticket;
  /** The window calls its next ticket, serves it for five minutes and finishes it. */
  const serve = async (windowId: string): Promise<Ticket> => {
    await run("window:callNext", { windowId });
    await run("ticket:start", { windowId });
    clock.advance(5 * MIN);
    return ((await run("ticket:finish", { windowId })) as Extract<HallEvent, { type: "ticket:finished" }>).ticket;
  };
  const rate = (windowId: string, ticketId: string, rating: number, step?: number) => run("ticket:rate", { windowId, ticketId, rating, ...(step === undefined ? {} : { step }) }, PAD);
  const rateWhole = (ticketId: string, rating: number) => server({ name: "ticket:rateWhole", payload: { commandId: `whole-${ticketId}-${rating}-${clock.now()}`, ticketId, rating } }, CITIZEN);
  const refusal = (attempt: Promise<unknown>) => attempt.then(() => "taken", (e: unknown) => (e instanceof HallCallError ? e.code : String(e)));
  return { store, clock, run, signIn, issue, serve, rate, rateWhole, refusal };
}

const rated = (e: HallEvent) => e as Extract<HallEvent, { type: "ticket:rated" }>;

describe("a bundle's steps at the pad", () => {
  it("each finished step is kept with its service, window and staff, unrated", async () => {
    const h = await hallWithCounters();
    await h.issue("social", ["medical"]);
    const afterFirst = await h.serve("w1");
    expect(afterFirst).toMatchObject({ state: "waiting", serviceId: "medical", served: [{ step: 0, serviceId: "social", windowId: "w1", staffId: "alice", endedAt: T0 + 5 * MIN, rating: null }] });
  });

  it("the pad rates a step as it ends, while the ticket waits for its next service", async () => {
    const h = await hallWithCounters();
    const t = await h.issue("social", ["medical"]);
    await h.serve("w1");
    const e = rated(await h.rate("w1", t.id, 4));
    expect(e).toMatchObject({ type: "ticket:rated", scope: "service", step: 0, ticket: { state: "waiting", rating: null, served: [{ step: 0, rating: 4 }] } });
    expect(ratedPart(e)).toEqual({ scope: "service", step: 0, serviceId: "social", windowId: "w1", staffId: "alice", rating: 4 });
  });

  it("the next step is rated at the window that served it, under its own staff", async () => {
    const h = await hallWithCounters();
    const t = await h.issue("social", ["medical"]);
    await h.serve("w1");
    await h.rate("w1", t.id, 5);
    await h.serve("w2");
    const e = rated(await h.rate("w2", t.id, 2));
    expect(ratedPart(e)).toEqual({ scope: "service", step: 1, serviceId: "medical", windowId: "w2", staffId: "bob", rating: 2 });
    expect(e.ticket.served.map((s) => s.rating)).toEqual([5, 2]);
  });

  it("a step is rated once", async () => {
    const h = await hallWithCounters();
    const t = await h.issue("social", ["medical"]);
    await h.serve("w1");
    await h.rate("w1", t.id, 4);
    expect(await h.refusal(h.rate("w1", t.id, 1))).toBe("ALREADY_RATED");
  });

  it("a window's pad cannot rate a step another window served", async () => {
    const h = await hallWithCounters();
    const t = await h.issue("social", ["medical"]);
    await h.serve("w1");
    expect(await h.refusal(h.rate("w2", t.id, 5))).toBe("ILLEGAL_TRANSITION");
    expect(await h.refusal(h.rate("w2", t.id, 5, 0))).toBe("ILLEGAL_TRANSITION");
  });

  it("a step not yet served cannot be rated", async () => {
    const h = await hallWithCounters();
    const t = await h.issue("social", ["medical"]);
    await h.serve("w1");
    expect(await h.refusal(h.rate("w1", t.id, 5, 1))).toBe("ILLEGAL_TRANSITION");
  });

  it("a pad asked about an earlier step still rates that step, after the same window served the next", async () => {
    const h = await hallWithCounters();
    await h.signIn("w4", "carol");
    const t = await h.issue("social", ["medical"]);
    await h.serve("w4");
    await h.serve("w4");
    expect(servedAt((await h.store.ticket(hall.id, t.id))!, "w4")).toMatchObject({ step: 1, serviceId: "medical", rating: null });
    const late = rated(await h.rate("w4", t.id, 3, 0));
    expect(late.ticket.served.map((s) => s.rating)).toEqual([3, null]);
    const latest = rated(await h.rate("w4", t.id, 5));
    expect(latest.step).toBe(1);
  });

  it("the day's figures count each step for its own staff and the whole matter for none", async () => {
    const h = await hallWithCounters();
    const t = await h.issue("social", ["medical"]);
    await h.serve("w1");
    await h.rate("w1", t.id, 5);
    await h.serve("w2");
    await h.rate("w2", t.id, 1);
    await h.rateWhole(t.id, 3);
    const { stats } = await h.store.snapshot(hall.id);
    expect(stats.ratings).toEqual([1, 0, 0, 0, 1]);
    expect(stats.byStaff.alice!.ratings).toEqual([0, 0, 0, 0, 1]);
    expect(stats.byStaff.bob!.ratings).toEqual([1, 0, 0, 0, 0]);
  });
});

describe("a bundle's whole matter", () => {
  it("is rated once every step is done, apart from its steps' ratings", async () => {
    const h = await hallWithCounters();
    const t = await h.issue("social", ["medical"]);
    await h.serve("w1");
    await h.serve("w2");
    await h.rate("w2", t.id, 2);
    const e = rated(await h.rateWhole(t.id, 4));
    expect(e).toMatchObject({ scope: "whole", step: null, ticket: { state: "finished", rating: 4, served: [{ rating: null }, { rating: 2 }] } });
    expect(ratedPart(e)).toEqual({ scope: "whole", step: null, serviceId: null, windowId: null, staffId: null, rating: 4 });
  });

  it("is not rated while a step is still to come", async () => {
    const h = await hallWithCounters();
    const t = await h.issue("social", ["medical"]);
    await h.serve("w1");
    expect(await h.refusal(h.rateWhole(t.id, 4))).toBe("NOT_RATEABLE");
  });

  it("is rated once", async () => {
    const h = await hallWithCounters();
    const t = await h.issue("social", ["medical"]);
    await h.serve("w1");
    await h.serve("w2");
    await h.rateWhole(t.id, 4);
    expect(await h.refusal(h.rateWhole(t.id, 5))).toBe("ALREADY_RATED");
  });

  it("is what the tracker rates of a finished bundle; of a ticket of one service, its service", async () => {
    const h = await hallWithCounters();
    const bundle = await h.issue("social", ["medical"]);
    await h.serve("w1");
    await h.serve("w2");
    const single = await h.issue("social");
    await h.serve("w1");
    const rules = hall.rating;
    const facts = (t: Ticket) => ({ state: t.state, businessDate: t.businessDate, rating: t.rating, steps: Math.max(1, t.bundle.length) });
    expect(decideLateRating(facts((await h.store.ticket(hall.id, bundle.id))!), "2026-03-02", rules)).toBe("whole");
    expect(decideLateRating(facts((await h.store.ticket(hall.id, single.id))!), "2026-03-02", rules)).toBe("service");
  });
});

describe("a ticket of one service", () => {
  it("keeps one rating: the pad's is the ticket's own", async () => {
    const h = await hallWithCounters();
    const t = await h.issue("social");
    await h.serve("w1");
    const e = rated(await h.rate("w1", t.id, 5));
    expect(e).toMatchObject({ scope: "service", step: null, ticket: { rating: 5, served: [] } });
    expect(ratedPart(e)).toEqual({ scope: "service", step: 0, serviceId: "social", windowId: "w1", staffId: "alice", rating: 5 });
  });

  it("has no whole matter to rate", async () => {
    const h = await hallWithCounters();
    const t = await h.issue("social");
    await h.serve("w1");
    expect(await h.refusal(h.rateWhole(t.id, 5))).toBe("ILLEGAL_TRANSITION");
  });

  it("has no step beyond its one service", async () => {
    const h = await hallWithCounters();
    const t = await h.issue("social");
    await h.serve("w1");
    expect(await h.refusal(h.rate("w1", t.id, 5, 1))).toBe("ILLEGAL_TRANSITION");
  });
});
