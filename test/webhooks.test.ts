/**
 * Outbound webhooks against a real local HTTP receiver: what arrives, in which order, signed how;
 * a receiver that is down, one that hangs, a sender that restarts; 24 hours of failures, the
 * console's list and its resend. The hall runs on a real server with SQLite records; the archive
 * is appended from the store's log as the archiver would, and the sender's rounds are run by the
 * test on a ManualClock (where a command's ack is timed, the sender and archiver run on their own).
 */
import { createHmac } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { CommandInput, CommandName, HallEvent, WebhookBody, WebhookEventType } from "../protocol/index.js";
import { ManualClock } from "../server/domain/clock.js";
import type { Actor } from "../server/domain/hall-commands.js";
import { Archiver } from "../server/records/archiver.js";
import { openRecords } from "../server/records/open.js";
import type { RecordsStore } from "../server/records/records-store.js";
import { WebhookSender } from "../server/transport/webhook-sender.js";
import { testHall } from "./helpers/hall.js";
import { call, cid, startTestServer, type TestServer } from "./helpers/server.js";
import { T0, wire } from "./store.contract.js";

const SECRET = "a-receivers-secret-0123456789";
const ALL: WebhookEventType[] = ["ticket.called", "ticket.finished", "rating.created"];
/** The app's own rounds stay out of the way: the tests run them. */
const QUIET = { intervalMs: 3_600_000 };

interface Arrival {
  id: string;
  signature: string;
  raw: string;
  body: WebhookBody;
}

/** A receiver on a port of its own: it answers 204, or holds every request (`hang`); it can be closed and opened again on the same port. */
class Receiver {
  readonly got: Arrival[] = [];
  readonly held: ServerResponse[] = [];
  hang = false;
  /** Answers this late, ms. */
  delayMs = 0;
  private server: Server | null = null;
  port = 0;

  static async start(): Promise<Receiver> {
    const r = new Receiver();
    await r.open();
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async open(): Promise<void> {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        this.got.push({ id: String(req.headers["x-hallcall-delivery"]), signature: String(req.headers["x-hallcall-signature"]), raw, body: JSON.parse(raw) as WebhookBody });
        if (this.hang) return void this.held.push(res);
        setTimeout(() => res.writeHead(204).end(), this.delayMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.held.length = 0;
  }

  /** Each delivery once, as a receiver that drops repeats by X-HallCall-Delivery keeps them. */
  get unique(): Arrival[] {
    const seen = new Set<string>();
    return this.got.filter((a) => (seen.has(a.id) ? false : (seen.add(a.id), true)));
  }
}

const validSignature = (a: Arrival) => a.signature === `sha256=${createHmac("sha256", SECRET).update(a.raw).digest("hex")}`;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function hallWithWebhooks(opts: { records?: RecordsStore; sender?: Record<string, number> } = {}) {
  const receiver = await Receiver.start();
  cleanups.push(() => receiver.close());
  const records = opts.records ?? (await openRecords({ sqlite: ":memory:" }));
  if (!opts.records) cleanups.push(() => records.close());
  const clock = new ManualClock(T0);
  const hall = testHall({ webhooks: [{ url: receiver.url, events: ALL, secret: SECRET }] });
  const t = await startTestServer({ records, clock, halls: [hall], webhookSender: opts.sender ?? QUIET });
  cleanups.push(() => t.server.webhooks!.stop());
  const run = <N extends CommandName>(name: N, payload: Omit<CommandInput<N>, "commandId">, by: Actor = "staff", staffId: string | null = "alice") => t.server.ctx.run(hall.id, wire(name, payload), by, staffId);
  /** One ticket issued, called, started and finished at window 1. */
  const serveOne = async (): Promise<string> => {
    const issued = await run("ticket:issue", { serviceId: "social", then: [] } as Omit<CommandInput<"ticket:issue">, "commandId">, "kiosk", null);
    await run("window:callNext", { windowId: "1" });
    await run("ticket:start", { windowId: "1" });
    await run("ticket:finish", { windowId: "1" });
    return (issued as Extract<HallEvent, { type: "ticket:issued" }>).ticket.id;
  };
  /** What the archiver does: the store's log into the records. */
  const archive = async () => records.append(hall.id, await t.server.ctx.store.eventsSince(hall.id, 0, 10_000));
  const round = () => t.server.webhooks!.round(hall.id);
  await run("window:open", { windowId: "1" });
  return { receiver, records, clock, hall, t, run, serveOne, archive, round };
}

describe("webhooks reach their receiver", () => {
  it("a 一件事 bundle's rating.created says which step was rated, at whose window, or that it was the whole matter", async () => {
    const h = await hallWithWebhooks();
    await h.run("window:open", { windowId: "2" }, "staff", "bob");
    const issued = await h.run("ticket:issue", { serviceId: "social", then: ["medical"] }, "kiosk", null);
    const id = (issued as Extract<HallEvent, { type: "ticket:issued" }>).ticket.id;
    await h.run("window:callNext", { windowId: "1" });
    await h.run("ticket:finish", { windowId: "1" });
    await h.run("ticket:rate", { windowId: "1", ticketId: id, rating: 5 }, "pad", null);
    await h.run("window:callNext", { windowId: "2" }, "staff", "bob");
    await h.run("ticket:finish", { windowId: "2" }, "staff", "bob");
    await h.run("ticket:rate", { windowId: "2", ticketId: id, rating: 2 }, "pad", null);
    await h.t.server.ctx.run(h.hall.id, { name: "ticket:rateWhole", payload: { commandId: cid(), ticketId: id, rating: 4 } }, "citizen", null);
    await h.archive();
    await h.round();
    const ratings = h.receiver.got.filter((a) => a.body.type === "rating.created").map((a) => a.body.data);
    expect(ratings.map((d) => [d.scope, d.step, d.serviceId, d.windowId, d.staffId, d.rating])).toEqual([
      ["service", 0, "social", "1", "alice", 5],
      ["service", 1, "medical", "2", "bob", 2],
      ["whole", null, "medical", null, null, 4],
    ]);
  });

  it("each ticket called, finished and rated arrives once, in order, signed, with no personal data", async () => {
    const h = await hallWithWebhooks();
    const first = await h.serveOne();
    await h.run("ticket:rate", { windowId: "1", ticketId: first, rating: 5 }, "pad", null);
    const second = await h.serveOne();
    await h.archive();
    await h.round();

    expect(h.receiver.got.map((a) => a.body.type)).toEqual(["ticket.called", "ticket.finished", "rating.created", "ticket.called", "ticket.finished"]);
    expect(h.receiver.got.every(validSignature)).toBe(true);
    expect(h.receiver.got.every((a) => a.id === a.body.id && a.body.hallId === h.hall.id)).toBe(true);
    expect(new Set(h.receiver.got.map((a) => a.id)).size).toBe(5);
    expect(h.receiver.got[2]!.body.data).toMatchObject({ number: "A001", serviceId: "social", windowId: "1", staffId: "alice", rating: 5 });
    // The ticket's id is the tracker's credential: it is not sent.
    for (const a of h.receiver.got) expect(a.raw).not.toMatch(new RegExp(`${first}|${second}`));

    // The archiver appending the same events again (a restart, two nodes) enqueues nothing more.
    await h.archive();
    await h.round();
    expect(h.receiver.got).toHaveLength(5);
    expect(await h.records.webhooks.list(h.hall.id, "pending")).toEqual([]);
  });

  it("a bundle's step finished is not ticket.finished: the matter is, at its last step", async () => {
    const h = await hallWithWebhooks();
    await h.run("window:open", { windowId: "2" }, "staff", "bob");
    await h.run("ticket:issue", { serviceId: "social", then: ["medical"] } as Omit<CommandInput<"ticket:issue">, "commandId">, "kiosk", null);
    for (const [windowId, staffId] of [["1", "alice"], ["2", "bob"]] as const) {
      await h.run("window:callNext", { windowId }, "staff", staffId);
      await h.run("ticket:start", { windowId }, "staff", staffId);
      await h.run("ticket:finish", { windowId }, "staff", staffId);
    }
    await h.archive();
    await h.round();
    expect(h.receiver.got.map((a) => [a.body.type, a.body.data.serviceId])).toEqual([
      ["ticket.called", "social"],
      ["ticket.called", "medical"],
      ["ticket.finished", "medical"],
    ]);
  });

  it("a receiver down for a while gets every delivery after, in order, the first one retried 5 s then 10 s later", async () => {
    const h = await hallWithWebhooks();
    await h.receiver.close();
    await h.serveOne();
    await h.serveOne();
    await h.archive();

    await h.round();
    let pending = await h.records.webhooks.list(h.hall.id, "pending");
    expect(pending.map((d) => d.attempts)).toEqual([1, 0, 0, 0]);
    expect(pending[0]!.nextAt - h.clock.now()).toBe(5_000);
    h.clock.advance(5_000);
    await h.round();
    pending = await h.records.webhooks.list(h.hall.id, "pending");
    expect(pending[0]!.attempts).toBe(2);
    expect(pending[0]!.nextAt - h.clock.now()).toBe(10_000);

    await h.receiver.open();
    await h.round();
    expect(h.receiver.got).toEqual([]);
    h.clock.advance(10_000);
    await h.round();
    expect(h.receiver.got.map((a) => a.body.type)).toEqual(["ticket.called", "ticket.finished", "ticket.called", "ticket.finished"]);
    expect(h.receiver.got.map((a) => a.body.data.number)).toEqual(["A001", "A001", "A002", "A002"]);
  });

  it("a sender stopped in the middle and started again on the same records loses none and doubles none by id", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hallcall-webhooks-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, "records.db");
    const before = await openRecords({ sqlite: file });
    const h = await hallWithWebhooks({ records: before });
    h.receiver.delayMs = 100;
    for (let i = 0; i < 4; i++) await h.serveOne();
    await h.archive();
    const all = (await before.webhooks.list(h.hall.id, "pending")).map((d) => d.id);
    expect(all).toHaveLength(8);

    const sending = h.round();
    while (h.receiver.got.length < 3) await new Promise((r) => setTimeout(r, 10));
    await h.t.server.webhooks!.stop();
    await sending;
    await before.close();

    const after = await openRecords({ sqlite: file });
    cleanups.push(() => after.close());
    const restarted = new WebhookSender({ outbox: after.webhooks, halls: [h.hall], clock: h.clock });
    await restarted.round(h.hall.id);
    expect(h.receiver.unique.map((a) => a.id)).toEqual(all);
    // At most the delivery under way at the stop arrives twice, with the same id.
    expect(h.receiver.got.length).toBeLessThanOrEqual(all.length + 1);
    expect(await after.webhooks.list(h.hall.id, "pending")).toEqual([]);
  });

  it("a receiver that hangs does not hold up the hall: a command's ack arrives while the receiver still holds its delivery", async () => {
    const h = await hallWithWebhooks({ sender: { intervalMs: 20, timeoutMs: 5_000 } });
    h.receiver.hang = true;
    const archiver = new Archiver({ store: h.t.server.ctx.store, records: h.records, halls: [h.hall.id], intervalMs: 20 });
    h.t.server.ctx.onEvent(archiver.notify);
    archiver.start();
    cleanups.push(() => archiver.stop());
    const counter = await h.t.counter("alice", "1");
    await h.run("ticket:issue", { serviceId: "social", then: [] } as Omit<CommandInput<"ticket:issue">, "commandId">, "kiosk", null);
    expect((await call(counter, "window:callNext", { commandId: cid(), windowId: "1" })).ok).toBe(true);
    const end = Date.now() + 3_000;
    while (h.receiver.held.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(h.receiver.held).toHaveLength(1);

    const sent = Date.now();
    const ack = await call(counter, "ticket:start", { commandId: cid(), windowId: "1" });
    expect(ack.ok).toBe(true);
    expect(Date.now() - sent).toBeLessThan(1_000);
    expect(h.receiver.held).toHaveLength(1);
    expect(h.receiver.got).toHaveLength(1);
  });
});

describe("failed deliveries in the console", () => {
  it("after 24 hours of failures a delivery is failed, listed for managers, and a resend delivers it", async () => {
    const h = await hallWithWebhooks();
    await h.receiver.close();
    await h.run("ticket:issue", { serviceId: "social", then: [] } as Omit<CommandInput<"ticket:issue">, "commandId">, "kiosk", null);
    await h.run("window:callNext", { windowId: "1" });
    await h.archive();
    const firstAttempt = h.clock.now();
    await h.round();
    for (let i = 0; i < 300 && !(await h.records.webhooks.list(h.hall.id, "failed")).length; i++) {
      h.clock.advance(10 * 60_000);
      await h.round();
    }
    const [failed] = await h.records.webhooks.list(h.hall.id, "failed");
    expect(failed).toMatchObject({ type: "ticket.called", url: h.receiver.url, expiresAt: firstAttempt + 24 * 3600_000, lastStatus: null });
    expect(h.clock.now()).toBeGreaterThanOrEqual(firstAttempt + 24 * 3600_000);
    expect(failed!.attempts).toBeGreaterThan(140);

    const api = (t: TestServer, token: string, path: string, method = "GET") => fetch(`${t.url}/api/halls/${h.hall.id}/webhooks/deliveries${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    const boss = await h.t.login("boss");
    const listed = (await (await api(h.t, boss, "?state=failed")).json()) as { deliveries: { id: string; lastError: string }[] };
    expect(listed.deliveries.map((d) => d.id)).toEqual([failed!.id]);
    expect(listed.deliveries[0]!.lastError).toMatch(/fetch failed|ECONNREFUSED/);
    expect((await api(h.t, await h.t.login("alice"), "?state=failed")).status).toBe(403);
    expect(((await (await api(h.t, boss, "/no-such-delivery/resend", "POST")).json()) as { error: { code: string } }).error.code).toBe("UNKNOWN_DELIVERY");

    await h.receiver.open();
    const resent = await api(h.t, boss, `/${failed!.id}/resend`, "POST");
    expect(resent.status).toBe(200);
    expect(((await resent.json()) as { delivery: { state: string } }).delivery.state).toBe("pending");
    await h.round();
    expect(h.receiver.got.map((a) => a.id)).toEqual([failed!.id]);
    expect(h.receiver.got.every(validSignature)).toBe(true);
    expect((await api(h.t, boss, `/${failed!.id}/resend`, "POST")).status).toBe(409);
  });
});

describe("a hall's webhooks in its config", () => {
  const hook = { url: "https://example.org/hook", events: ["ticket.called"], secret: SECRET };
  it.each([
    ["a URL that is not http(s)", { ...hook, url: "ftp://example.org/hook" }],
    ["no events", { ...hook, events: [] }],
    ["an unknown event", { ...hook, events: ["ticket.issued"] }],
    ["a secret under 16 characters", { ...hook, secret: "short" }],
  ])("refuses %s", (_what, webhook) => {
    expect(() => testHall({ webhooks: [webhook as never] })).toThrow();
  });
  it("refuses the same URL twice", () => {
    expect(() => testHall({ webhooks: [hook as never, hook as never] })).toThrow(/duplicate/);
  });
});

afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
