/**
 * Whatever a client sends, the hall holds: fast-check throws malformed, near-valid and valid calls
 * at every command and read, from a real Socket.IO connection of every role, on the memory store
 * and on Redis (a real redis-server), one call at a time. After each call:
 *
 * - the server still answers (the board reads the hall) and no connection was dropped;
 * - a call with an ack is answered within a few seconds as `{ok: true, data}` or
 *   `{ok: false, error: {code, message}}`, `code` one of ERROR_CODES, never INTERNAL or
 *   STORE_UNAVAILABLE (a client's payload is not a server failure);
 * - a refused call, a read, and a call without an ack change nothing (same seq, same hall);
 * - a carried-out command answers with a valid event of a new seq, a repeated commandId with the
 *   first answer and no new event;
 * - a role never gets what it may not send, extra arguments are refused, and free text on the
 *   hall is one plain line.
 *
 * FUZZ_RUNS (default 300 per store, each a sequence of up to six calls) and FUZZ_SEED replay or deepen a run:
 *   FUZZ_RUNS=1000 FUZZ_SEED=42 npx vitest run test/fuzz.test.ts
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Socket } from "socket.io-client";
import { z } from "zod";
import { COMMAND_NAMES, ERROR_CODES, HallEvent, HallSnapshot, Ticket, type ErrorCode } from "../protocol/index.js";
import { isOneLine, oneLine } from "../protocol/text.js";
import {
  buildCall,
  CALL_NAMES,
  callSpec,
  describeCall,
  emitRaw,
  frameBytes,
  fuzzHall,
  mayEverSend,
  NotSent,
  SEAT_ROLE,
  SEATS,
  type CallName,
  type Done,
  type FuzzHall,
  type Seat,
  type Shape,
  type StoreKind,
} from "./helpers/fuzz.js";
import { call, cid } from "./helpers/server.js";

const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
/** An ack later than this counts as unanswered (the store's own deadline is 2 s). */
const ANSWER_MS = 4_000;

const CODES = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];
const AckShape = z.union([
  z.strictObject({ ok: z.literal(true), data: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: z.strictObject({ code: z.enum(CODES), message: z.string().min(1) }) }),
]);
type AckShape = z.infer<typeof AckShape>;

/** Events a hall commits on its own while calls are made: the balancer's rounds, a new day (when the date did change). */
function committedOnItsOwn(e: HallEvent, before: HallSnapshot): boolean {
  if (e.type === "hall:dayStarted") return e.businessDate !== before.businessDate;
  if (e.type === "balancer:suggested") return true;
  if (e.type === "balancer:suggestionClosed") return e.outcome === "expired";
  return e.type === "window:changed" && e.by === "balancer";
}

/** The hall's state without the moment it was read. */
const stateOf = ({ at: _at, ...state }: HallSnapshot) => state;

/** Free text on the hall is one plain line within its field's limit. */
function textProblems(s: HallSnapshot): string[] {
  const bad = (text: string, max: number) => text.length === 0 || text.length > max || !isOneLine(text);
  const problems: string[] = [];
  for (const t of s.tickets) {
    if (t.parkReason !== null && bad(t.parkReason, 200)) problems.push(`ticket ${t.number} parkReason ${JSON.stringify(t.parkReason)}`);
    for (const doc of t.missingDocs) if (bad(doc, 100)) problems.push(`ticket ${t.number} missingDocs ${JSON.stringify(doc)}`);
  }
  for (const w of s.windows) if (w.pauseReason !== null && bad(w.pauseReason, 200)) problems.push(`window ${w.id} pauseReason ${JSON.stringify(w.pauseReason)}`);
  return problems;
}

class Tally {
  calls = 0;
  carriedOut = 0;
  replayed = 0;
  withoutAck = 0;
  notSent = 0;
  readonly refused = new Map<string, number>();
  readonly names = new Map<CallName, { calls: number; ok: number }>();
  readonly seats = new Set<Seat>();
  readonly shapes = new Set<Shape["kind"]>();
  private readonly started = performance.now();

  count(seat: Seat, name: CallName, shape: Shape["kind"], answer: AckShape | null): void {
    this.calls++;
    this.seats.add(seat);
    this.shapes.add(shape);
    const n = this.names.get(name) ?? { calls: 0, ok: 0 };
    n.calls++;
    this.names.set(name, n);
    if (!answer) this.withoutAck++;
    else if (answer.ok) (this.carriedOut++, n.ok++);
    else this.refused.set(answer.error.code, (this.refused.get(answer.error.code) ?? 0) + 1);
  }

  report(store: StoreKind): string {
    const secs = ((performance.now() - this.started) / 1000).toFixed(1);
    const refused = [...this.refused].sort((a, b) => b[1] - a[1]).map(([c, k]) => `${c} ${k}`).join(", ");
    const ok = [...this.names].filter(([, v]) => v.ok > 0).map(([k, v]) => `${k} ${v.ok}`).join(", ");
    return `fuzz on ${store}: ${this.calls} calls in ${secs} s — ${this.carriedOut} answered ok (${this.replayed} of them repeats), ${this.calls - this.carriedOut - this.withoutAck} refused (${refused}), ${this.withoutAck} without an ack, ${this.notSent} the client library could not encode; ok by call: ${ok}`;
  }
}

const previous = { what: "(none)" };

/** What the hall committed between two reads that it did not commit on its own (as "<seq> <type>"). */
async function committedBetween(hall: FuzzHall, before: HallSnapshot, after: HallSnapshot): Promise<string[]> {
  const by: string[] = [];
  for (let seq = before.seq + 1; seq <= after.seq; seq++) {
    const e = await hall.eventAt(seq);
    if (!e || !committedOnItsOwn(e, before)) by.push(`${seq} ${e?.type ?? "(not seen by the board)"}`);
  }
  return by;
}

/** Makes one call and checks what it did to the hall; throws with the call when a check fails. */
async function check(hall: FuzzHall, spec: Parameters<typeof buildCall>[0], done: Done[], tally: Tally): Promise<void> {
  const before = await hall.snapshot();
  const c = buildCall(spec, before, done, hall.trackedTicketId);
  const what = describeCall(c);
  expect(frameBytes(c.name, c.args), `the fuzz made a frame over the 64 KiB limit (that closes the connection by design): ${what}`).toBeLessThan(63 * 1024);
  expect(hall.dropped, `a connection closed after ${previous.what}`).toEqual([]);
  previous.what = what;
  const role = SEAT_ROLE[c.seat];
  const isCommand = (COMMAND_NAMES as readonly string[]).includes(c.name);

  let answer: AckShape | null = null;
  const pending = emitRaw(hall.seats[c.seat], c.name, c.args, c.withAck, ANSWER_MS);
  if (pending) {
    const raw = await pending.catch((err: unknown) => {
      if (err instanceof NotSent) return err;
      throw new Error(`unanswered within ${ANSWER_MS} ms: ${what}`);
    });
    if (raw instanceof NotSent) {
      tally.notSent++;
      expect(await hall.snapshot(), `a call the client could not send changed the hall: ${what}`).toMatchObject({ seq: before.seq });
      return;
    }
    const parsed = AckShape.safeParse(raw);
    expect(parsed.success, `the answer is not {ok, data} or {ok, error: {code, message}}: ${JSON.stringify(raw)?.slice(0, 500)} to ${what}`).toBe(true);
    answer = parsed.data!;
  } else {
    // Nothing to answer. A call on the same connection is handled after it.
    await call(hall.seats[c.seat], "ticket:get", { ticketId: "after-a-call-without-an-ack" });
  }
  tally.count(c.seat, c.name, spec.shape.kind, answer);

  const after = await hall.snapshot();
  expect(hall.dropped, `a connection closed after ${what} (or the call before it, ${previous.what})`).toEqual([]);
  expect(textProblems(after), `free text on the hall is not one plain line after ${what}`).toEqual([]);

  const changesNothing = async (why: string) => {
    expect(await committedBetween(hall, before, after), `${why}, yet the hall committed events: ${what}`).toEqual([]);
    if (after.seq === before.seq) expect(stateOf(after), `${why}, yet the hall changed without an event: ${what}`).toEqual(stateOf(before));
  };

  if (!answer) return changesNothing("a call without an ack is not carried out");
  if (!answer.ok) {
    expect(answer.error.code, `a client's payload is answered INTERNAL: ${what} → ${answer.error.message}`).not.toBe("INTERNAL");
    expect(answer.error.code, `a call waited past the store's deadline: ${what}`).not.toBe("STORE_UNAVAILABLE");
    return changesNothing(`refused with ${answer.error.code}`);
  }

  expect(mayEverSend(role, c.name), `a ${role} may not send ${c.name}, yet it was carried out: ${what}`).toBe(true);
  expect(spec.shape.kind, `a call with an extra argument before its ack was carried out: ${what}`).not.toBe("extra");
  expect(isCommand && spec.shape.kind === "ackOnly", `a command without a payload was carried out: ${what}`).toBe(false);
  if (c.name === "hall:snapshot") {
    expect(HallSnapshot.safeParse(answer.data).success, `the snapshot is not a HallSnapshot: ${what}`).toBe(true);
    return changesNothing("a read");
  }
  if (c.name === "ticket:get") {
    expect(Ticket.safeParse(answer.data).success, `the ticket is not a Ticket: ${what}`).toBe(true);
    return changesNothing("a read");
  }
  expect(isCommand).toBe(true);
  if (c.repeatOf) {
    expect(c.repeatOf.same, `a commandId used before (by ${c.repeatOf.seat}: ${c.repeatOf.name} ${JSON.stringify(c.repeatOf.payload)}) by another caller or payload was carried out: ${what} → ${JSON.stringify(answer.data)}`).toBe(true);
    expect(answer.data, `a repeated commandId is not answered with its first result: ${what}`).toEqual(c.repeatOf.data);
    tally.replayed++;
    return changesNothing("a repeated commandId");
  }
  const event = HallEvent.safeParse(answer.data);
  expect(event.success, `the answer of ${c.name} is not a HallEvent: ${what}`).toBe(true);
  const seq = event.data!.seq;
  expect(seq > before.seq && seq <= after.seq, `the event's seq ${seq} is not a new one (hall went ${before.seq} → ${after.seq}): ${what}`).toBe(true);
  const sent = c.payload as { reason?: unknown; missingDocs?: unknown };
  const e = event.data!;
  if (c.name === "window:pause" && e.type === "window:changed") {
    expect(e.window.pauseReason, `the pause reason is not the one sent, as one line: ${what}`).toBe(oneLine(String(sent.reason)));
  }
  if (c.name === "ticket:park" && e.type === "ticket:parked") {
    expect(e.ticket.parkReason, `the park reason is not the one sent, as one line: ${what}`).toBe(oneLine(String(sent.reason)));
    const docs = Array.isArray(sent.missingDocs) ? sent.missingDocs.map((d) => oneLine(String(d))) : [];
    expect(e.ticket.missingDocs, `the missing documents are not the ones sent, as one line each: ${what}`).toEqual(docs);
  }
  done.push({ seat: c.seat, name: c.name, payload: c.payload as Record<string, unknown>, data: answer.data });
}

for (const store of ["memory", "redis"] as const) {
  describe(`malformed calls on the ${store === "memory" ? "memory store" : "Redis store"} change nothing and never bring the hall down`, async () => {
    const hall = await fuzzHall(store);

    it(
      "every call of every role is answered in the documented shape, and only a carried-out command moves the hall",
      async () => {
        const tally = new Tally();
        const done: Done[] = [];
        await fc.assert(
          fc.asyncProperty(fc.array(callSpec, { minLength: 1, maxLength: 6 }), async (specs) => {
            for (const spec of specs) await check(hall, spec, done, tally);
          }),
          { numRuns: NUM_RUNS, seed: SEED },
        );
        console.log(tally.report(store));

        // Still serving: a citizen can take a ticket.
        expect(await call(hall.seats.kiosk, "ticket:issue", { commandId: cid(), serviceId: "medical" })).toMatchObject({ ok: true, data: { type: "ticket:issued" } });
        // The run reached every call, every seat and every shape, and moved the hall.
        expect([...tally.names.keys()].sort()).toEqual([...CALL_NAMES].sort());
        expect([...tally.seats].sort()).toEqual([...SEATS].sort());
        expect([...tally.shapes].sort()).toEqual(["ack", "ackOnly", "extra", "noAck"]);
        expect([...tally.names].filter(([name, n]) => COMMAND_NAMES.includes(name as never) && n.ok > 0).length).toBeGreaterThanOrEqual(8);
      },
      240_000,
    );

    it("the server's own commands (sign-in, the balancer's, a new day) cannot be sent by a client", async () => {
      const before = await hall.snapshot();
      const answers: unknown[] = [];
      const own = [
        ["window:signIn", { windowId: "3", staffId: "alice" }],
        ["balancer:apply", { commandId: cid(), windowId: "1", serving: ["medical"], reason: { zh: "x", en: "x" } }],
        ["balancer:suggest", { commandId: cid(), suggestionId: "s-1", windowId: "1", serving: ["medical"], reason: { zh: "x", en: "x" } }],
        ["hall:startDay", { commandId: cid() }],
      ] as const;
      for (const seat of ["manager", "counter1"] as const) {
        const raw = hall.seats[seat] as unknown as Socket;
        for (const [name, payload] of own) raw.emit(name, payload, (res: unknown) => answers.push(res));
        await call(hall.seats[seat], "ticket:get", { ticketId: "after-the-server's-own-commands" });
      }
      await new Promise((r) => setTimeout(r, 100));
      const after = await hall.snapshot();
      expect(await committedBetween(hall, before, after)).toEqual([]);
      if (after.seq === before.seq) expect(stateOf(after)).toEqual(stateOf(before));
      for (const res of answers) expect(res).toMatchObject({ ok: false });
    });
  });
}
