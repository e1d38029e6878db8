import { describe, expect, it } from "vitest";
import type { QueueSummary, Ticket } from "../protocol/index.js";
import { TOKENS } from "./helpers/hall.js";
import { call, cid, startTestServer, type Client } from "./helpers/server.js";

const nextSummary = (c: Client, pred: (q: QueueSummary) => boolean = () => true) =>
  new Promise<QueueSummary>((resolve) => {
    const on = (q: QueueSummary) => {
      if (!pred(q)) return;
      c.off("hall:queue", on);
      resolve(q);
    };
    c.on("hall:queue", on);
  });

describe("expected waits reach every screen", async () => {
  const t = await startTestServer({ queueSummaryMs: 50, trackerSummaryMs: 100 });
  const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
  const issue = async (serviceId: string) => {
    const r = await call(kiosk, "ticket:issue", { commandId: cid(), serviceId });
    if (!r.ok) throw new Error(r.error.message);
    return (r.data as { ticket: Ticket }).ticket;
  };

  it("with no window open a service's expected wait is unknown, not a made-up number", async () => {
    const board = await t.client({ role: "display", deviceToken: TOKENS.board });
    await issue("medical");
    const q = await nextSummary(board, (s) => s.services.medical!.waiting === 1);
    expect(q.services.medical!.windows).toBe(0);
    expect(q.services.medical!.newTicketEtaSec).toBeNull();
    expect(q.services.medical!.etaSec).toEqual([null]);
  });

  it("one summary per hall lists the waiting numbers in call order with their waits", async () => {
    // Window 1 (social) opens with a citizen at the counter, so the queue has a known pace.
    const counter = await t.counter("alice", "1");
    await issue("social");
    await call(counter, "window:callNext", { commandId: cid(), windowId: "1" });
    const board = await t.client({ role: "display", deviceToken: TOKENS.board });
    // Tickets issued in the same millisecond tie on arrival; a real kiosk is never that quick.
    const a = await issue("social");
    await new Promise((r) => setTimeout(r, 5));
    const b = await issue("social");
    const q = await nextSummary(board, (s) => s.services.social!.order.length === 2);
    expect(q.services.social!.order).toEqual([a.number, b.number]);
    const [first, second] = q.services.social!.etaSec;
    expect(first).toBeGreaterThan(0);
    expect(second!).toBeGreaterThan(first!);
  });

  it("a screen that connects later gets the current waits at once", async () => {
    let first: Promise<QueueSummary> | undefined;
    await t.client({ role: "display", deviceToken: TOKENS.board }, (c) => (first = nextSummary(c)));
    const q = await first!;
    expect(q.services.social!.waiting).toBeGreaterThan(0);
  });

  it("a tracker gets the summary and finds its own place", async () => {
    const mine = await issue("medical");
    let seen: Promise<QueueSummary> | undefined;
    await t.client({ role: "tracker", ticketId: mine.id }, (c) => (seen = nextSummary(c, (s) => s.services.medical!.order.includes(mine.number))));
    const q = await seen!;
    // Behind the medical ticket of the first test, which no window has called.
    expect(q.services.medical!.order.indexOf(mine.number)).toBe(1);
  });

  it("a ticket issued once waits are known records the expected wait it was told", async () => {
    await t.counter("bob", "3");
    await issue("estate");
    await new Promise((r) => setTimeout(r, 150));
    const t2 = await issue("estate");
    expect(t2.etaSec).not.toBeNull();
    expect(t2.etaSec!).toBeGreaterThan(0);
  });
});

describe("expected waits on citizens' phones", async () => {
  const t = await startTestServer({ queueSummaryMs: 20, trackerSummaryMs: 500 });
  const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
  const issue = async () => {
    const r = await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
    if (!r.ok) throw new Error(r.error.message);
    return (r.data as { ticket: Ticket }).ticket;
  };

  it("come less often than on the hall's screens, and the latest one always arrives", async () => {
    const mine = await issue();
    const onBoard: QueueSummary[] = [];
    const onPhone: QueueSummary[] = [];
    await t.client({ role: "display", deviceToken: TOKENS.board }, (c) => c.on("hall:queue", (q) => onBoard.push(q)));
    await t.client({ role: "tracker", ticketId: mine.id }, (c) => c.on("hall:queue", (q) => onPhone.push(q)));
    for (let i = 0; i < 8; i++) {
      await issue();
      await new Promise((r) => setTimeout(r, 40));
    }
    await new Promise((r) => setTimeout(r, 700));
    expect(onBoard.length).toBeGreaterThanOrEqual(5);
    expect(onPhone.length).toBeLessThanOrEqual(3);
    expect(onPhone.at(-1)).toEqual(onBoard.at(-1));
    expect(onPhone.at(-1)!.services.social!.waiting).toBe(9);
  });
});

describe("staffing advice", async () => {
  const t = await startTestServer();
  const get = (token?: string) => fetch(`${t.url}/api/halls/t1/staffing`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it("a manager gets, per service, the windows needed against the windows serving it", async () => {
    const res = await get(await t.login("boss"));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { services: { serviceId: string; windowsNeeded: number; windowsServing: number; arrivalsPerHour: number; meanServiceMin: number }[] };
    expect(body.services.map((s) => s.serviceId).sort()).toEqual(["estate", "medical", "social"]);
    for (const s of body.services) {
      expect(Number.isFinite(s.windowsNeeded)).toBe(true);
      expect(s.meanServiceMin).toBeGreaterThan(0);
    }
  });

  it("is refused without a manager sign-in", async () => {
    expect((await get()).status).toBe(401);
    expect((await get(await t.login("alice"))).status).toBe(403);
  });
});
