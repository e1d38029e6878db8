/**
 * The retry rule for clients (protocol/command-retry.ts) against a real HallCall server whose
 * store is held back: a command whose answer is not definite is sent again with the same
 * commandId, so it acts once however many attempts it takes.
 */
import { describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { CommandAbandoned, DEFINITE_CODES, UNCERTAIN_CODES, sendCommand, type Emit, type Unsettled } from "../protocol/command-retry.js";
import type { HallEvent } from "../protocol/index.js";
import { TOKENS } from "./helpers/hall.js";
import { HeldStore } from "./helpers/held-store.js";
import { call, cid, startTestServer, type Client } from "./helpers/server.js";

/** Attempts on a plain socket.io-client socket, as the load test sends them; each attempt's commandId is recorded. */
function attemptsOn(socket: Client): { emit: Emit; ids: string[] } {
  const ids: string[] = [];
  const emit: Emit = (name, payload, timeoutMs) => {
    ids.push(String(payload.commandId));
    if (!socket.connected) return Promise.reject(new Error("not connected"));
    return (socket as unknown as Socket).timeout(timeoutMs).emitWithAck(name, payload);
  };
  return { emit, ids };
}

const why = (r: Unsettled): string => (r.kind === "error" ? r.error.code : r.kind);

describe("a command retried by the rule", async () => {
  const store = new HeldStore();
  // The store deadline short, so a held store answers STORE_UNAVAILABLE quickly.
  const t = await startTestServer({ store, storeDeadlineMs: 150 });
  const issued = async (serviceId: string) => (await store.snapshot("t1")).stats.issued[serviceId] ?? 0;
  const finished = async (serviceId: string) => (await store.snapshot("t1")).stats.finished[serviceId] ?? 0;
  const signedIn = async (staffId: string, windowId: string) => {
    const counter = await t.counter(staffId, windowId);
    await expect.poll(async () => (await store.snapshot("t1")).windows.find((w) => w.id === windowId)?.staffId).toBe(staffId);
    return counter;
  };

  it("a kiosk whose store answers late prints one ticket, however many times it had to ask", async () => {
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const before = await issued("social");
    const { emit, ids } = attemptsOn(kiosk);
    const reasons: string[] = [];
    let waits = 0;
    store.stall("ticket:issue", 3);
    const ack = await sendCommand<HallEvent>(emit, "ticket:issue", { serviceId: "social" }, {
      onRetry: (i) => reasons.push(why(i.reason)),
      // A virtual clock: the waits pass at once; the store comes back during the third.
      sleep: async () => {
        if (++waits === 3) store.release();
      },
    });
    expect(ack.ok && ack.data.type).toBe("ticket:issued");
    expect(reasons).toEqual(["STORE_UNAVAILABLE", "STORE_UNAVAILABLE", "STORE_UNAVAILABLE"]);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(1);
    expect(await issued("social")).toBe(before + 1);
    const ticket = ack.ok && ack.data.type === "ticket:issued" ? ack.data.ticket : null;
    expect((await store.snapshot("t1")).tickets.filter((x) => x.issuedAt === ticket!.issuedAt).map((x) => x.id)).toEqual([ticket!.id]);
  });

  it("a finish that happened while its answer was lost is answered ok on the retry, not WINDOW_IDLE", async () => {
    const alice = await signedIn("alice", "1");
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
    const calledAck = await call(alice, "window:callNext", { commandId: cid(), windowId: "1" });
    expect(calledAck.ok).toBe(true);
    const before = await finished("social");
    const { emit, ids } = attemptsOn(alice);
    const reasons: string[] = [];
    store.loseAnswers("ticket:finish");
    const ack = await sendCommand<HallEvent>(emit, "ticket:finish", { windowId: "1" }, {
      onRetry: (i) => reasons.push(why(i.reason)),
      sleep: async () => store.release(),
    });
    expect(ack.ok && ack.data.type).toBe("ticket:finished");
    expect(reasons).toEqual(["STORE_UNAVAILABLE"]);
    expect(new Set(ids)).toEqual(new Set([ids[0]]));
    expect(await finished("social")).toBe(before + 1);
  });

  it("an attempt with no answer within its own timeout is sent again with the same commandId", async () => {
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const before = await issued("medical");
    const { emit, ids } = attemptsOn(kiosk);
    const reasons: string[] = [];
    store.stall("ticket:issue", 1);
    const ack = await sendCommand(emit, "ticket:issue", { serviceId: "medical" }, {
      attemptTimeoutMs: 50,
      onRetry: (i) => reasons.push(why(i.reason)),
      sleep: async () => store.release(),
    });
    expect(ack.ok).toBe(true);
    expect(reasons).toEqual(["noAnswer"]);
    expect(ids).toEqual([ids[0], ids[0]]);
    expect(await issued("medical")).toBe(before + 1);
  });

  it("a command pressed while the connection is down goes out once it is back, and acts once", async () => {
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    kiosk.disconnect();
    const before = await issued("social");
    const { emit, ids } = attemptsOn(kiosk);
    const reasons: string[] = [];
    const ack = await sendCommand(emit, "ticket:issue", { serviceId: "social" }, {
      onRetry: (i) => reasons.push(why(i.reason)),
      // The wait ends when the socket is connected again.
      sleep: () =>
        new Promise<void>((resolve) => {
          kiosk.once("connect", () => resolve());
          kiosk.connect();
        }),
    });
    expect(ack.ok).toBe(true);
    expect(reasons).toEqual(["noAnswer"]);
    expect(ids).toEqual([ids[0], ids[0]]);
    expect(await issued("social")).toBe(before + 1);
  });

  it("an answer that settles the command is not retried: QUEUE_EMPTY comes back after one attempt", async () => {
    const bob = await signedIn("bob", "2");
    while ((await call(bob, "window:callNext", { commandId: cid(), windowId: "2" })).ok) await call(bob, "ticket:finish", { commandId: cid(), windowId: "2" });
    await call(bob, "ticket:finish", { commandId: cid(), windowId: "2" });
    const { emit, ids } = attemptsOn(bob);
    const ack = await sendCommand(emit, "window:callNext", { windowId: "2" }, { sleep: async () => expect.fail("no retry after a definite answer") });
    expect(ack.ok ? null : ack.error.code).toBe("QUEUE_EMPTY");
    expect(ids).toHaveLength(1);
  });

  it("waits half a second before the first retry, doubling up to five seconds", async () => {
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const { emit } = attemptsOn(kiosk);
    const waits: number[] = [];
    store.stall("ticket:issue", 7);
    const ack = await sendCommand(emit, "ticket:issue", { serviceId: "social" }, {
      sleep: async (ms) => {
        if (waits.push(ms) === 7) store.release();
      },
    });
    expect(ack.ok).toBe(true);
    expect(waits).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it("a page that stops trying (signed out) is told the command may have taken effect", async () => {
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const { emit } = attemptsOn(kiosk);
    const stop = new AbortController();
    store.stall("ticket:issue", 1);
    const sent = sendCommand(emit, "ticket:issue", { commandId: "kiosk-abandoned-1", serviceId: "social" }, { signal: stop.signal, sleep: async () => stop.abort() });
    await expect(sent).rejects.toThrow(CommandAbandoned);
    await expect(sent).rejects.toMatchObject({ commandId: "kiosk-abandoned-1", last: { kind: "error", error: { code: "STORE_UNAVAILABLE" } } });
    store.release();
  });
});

describe("which answers are definite", () => {
  it("only STORE_UNAVAILABLE, INTERNAL and RATE_LIMITED leave a command's fate open; every other code settles it", () => {
    expect([...UNCERTAIN_CODES].sort()).toEqual(["INTERNAL", "RATE_LIMITED", "STORE_UNAVAILABLE"]);
    expect(DEFINITE_CODES).toEqual(expect.arrayContaining(["WINDOW_IDLE", "QUOTA_EXHAUSTED", "IDEMPOTENCY_CONFLICT", "SESSION_ENDED", "SESSION_REPLACED", "UNAUTHORIZED"]));
    expect(DEFINITE_CODES.some((c) => UNCERTAIN_CODES.has(c))).toBe(false);
  });
});
