/**
 * What test/fuzz.test.ts throws at a hall: a real HallCall server on the memory store or on a real
 * redis-server, one Socket.IO connection per role (its seats), and fast-check arbitraries for
 * calls. A call is generated as a spec (who, what, in which shape, with which dice) and built into
 * a payload only when it is sent, from the hall as it is then: so valid commands name windows,
 * tickets and suggestions that exist, some succeed, and the hall moves on between calls.
 *
 *   const hall = await fuzzHall("redis");            // at collection time; registers its teardown
 *   const c = buildCall(spec, await hall.snapshot(), done, hall.trackedTicketId);
 *   const answer = await emitRaw(hall.seats[c.seat], c.name, c.args, c.withAck, 4_000);
 */
import { afterAll } from "vitest";
import fc from "fast-check";
import type { Socket } from "socket.io-client";
import { COMMAND_NAMES, CommandSchemas, type CommandName, type HallEvent, type HallSnapshot, type Role } from "../../protocol/index.js";
import { silentLogger } from "../../server/log.js";
import { wireRedis } from "../../server/store/redis/wiring.js";
import { TOKENS } from "./hall.js";
import { startRedisServer, uniquePrefix } from "./redis.js";
import { call, cid, startTestServer, type Client, type TestServer } from "./server.js";

export type StoreKind = "memory" | "redis";

/** The connections calls are made from: each role, counters and the pad at their own windows. */
export const SEATS = ["manager", "counter1", "counter2", "kiosk", "pad1", "board", "strip1", "tracker"] as const;
export type Seat = (typeof SEATS)[number];

export const SEAT_ROLE: Record<Seat, Role> = { manager: "manager", counter1: "counter", counter2: "counter", kiosk: "kiosk", pad1: "pad", board: "display", strip1: "display", tracker: "tracker" };
/** The window a seat belongs to (counters sign in there; the pad and strip are fixed to it). */
export const SEAT_WINDOW: Record<Seat, string | null> = { manager: null, counter1: "1", counter2: "2", kiosk: null, pad1: "1", board: null, strip1: "1", tracker: null };

export const READS = ["hall:snapshot", "ticket:get"] as const;
export type CallName = (typeof COMMAND_NAMES)[number] | (typeof READS)[number];
export const CALL_NAMES: readonly CallName[] = [...COMMAND_NAMES, ...READS];

/** Whether a role may ever send a call (docs/PROTOCOL.md, "Connecting"); for its window only is not told here. */
export function mayEverSend(role: Role, name: CallName): boolean {
  if (name === "hall:snapshot") return role !== "tracker";
  if (name === "ticket:get") return true;
  switch (role) {
    case "manager":
      return name !== "ticket:rate";
    case "counter":
      return !name.startsWith("balancer:") && name !== "window:setServing" && name !== "ticket:rate";
    case "kiosk":
      return name === "ticket:issue";
    case "pad":
      return name === "ticket:rate";
    default:
      return false;
  }
}

export interface FuzzHall {
  store: StoreKind;
  server: TestServer;
  seats: Record<Seat, Client>;
  /** The ticket the tracker follows. */
  trackedTicketId: string;
  /** Every event the board received, by seq (the board is in the hall's room: it gets all of them). */
  events: Map<number, HallEvent>;
  /** The hall now, read by the board (a read commits nothing). */
  snapshot(): Promise<HallSnapshot>;
  /** The event of this seq, as the board received it (waits for it a little). */
  eventAt(seq: number): Promise<HallEvent | undefined>;
  /** Seats whose connection closed, with Socket.IO's reason (a connection may close a moment after the call that closed it). */
  dropped: string[];
}

/**
 * A hall to fuzz, on the memory store or on a redis-server of its own (wired as server/main.ts
 * wires it), with every seat connected and both counters signed in. Call at collection time.
 */
export async function fuzzHall(store: StoreKind): Promise<FuzzHall> {
  let server: TestServer;
  if (store === "redis") {
    const redis = await startRedisServer();
    // Hooks run last-registered first: Redis stops after the server and its store have closed.
    afterAll(() => redis.stop());
    const wired = await wireRedis({ url: redis.url, prefix: uniquePrefix("fuzz"), log: silentLogger });
    server = await startTestServer({ store: wired.store, configureIo: wired.configureIo, ready: wired.ready, lock: wired.lock, balancerIntervalMs: 1_000 });
  } else {
    server = await startTestServer({ balancerIntervalMs: 1_000 });
  }
  const events = new Map<number, HallEvent>();
  const board = await server.client({ role: "display", deviceToken: TOKENS.board }, (s) => s.on("hall:event", (e) => events.set(e.seq, e)));
  const kiosk = await server.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
  const issued = await call(kiosk, "ticket:issue", { commandId: cid(), serviceId: "social" });
  if (!issued.ok || !("ticket" in issued.data)) throw new Error(`the tracker's ticket was not issued: ${JSON.stringify(issued)}`);
  const trackedTicketId = issued.data.ticket.id;
  const seats: Record<Seat, Client> = {
    manager: await server.manager(),
    counter1: await server.counter("alice", "1"),
    counter2: await server.counter("bob", "2"),
    kiosk,
    pad1: await server.client({ role: "pad", deviceToken: TOKENS.pad1 }),
    board,
    strip1: await server.client({ role: "display", deviceToken: TOKENS.strip1 }),
    tracker: await server.client({ role: "tracker", ticketId: trackedTicketId }),
  };
  const dropped: string[] = [];
  for (const seat of SEATS) seats[seat].on("disconnect", (reason) => dropped.push(`${seat} (${reason})`));
  const snapshot = async () => {
    const res = await call<HallSnapshot>(board, "hall:snapshot", {});
    if (!res.ok) throw new Error(`the board could not read the hall: ${JSON.stringify(res.error)}`);
    return res.data;
  };
  // Counters sign in when they connect, after the handshake: wait until both are in.
  for (let i = 0; ; i++) {
    const s = await snapshot();
    const staffAt = (w: string) => s.windows.find((x) => x.id === w)?.staffId;
    if (staffAt("1") === "alice" && staffAt("2") === "bob") break;
    if (i > 100) throw new Error("the counters were not signed in");
    await new Promise((r) => setTimeout(r, 20));
  }
  const eventAt = async (seq: number) => {
    for (let i = 0; i < 100 && !events.has(seq); i++) await new Promise((r) => setTimeout(r, 20));
    return events.get(seq);
  };
  return { store, server, seats, trackedTicketId, events, snapshot, eventAt, dropped };
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** Characters a one-line free text may not hold (protocol/text.ts), to mix into reasons. */
export const SPOOF_CHARS = ["\u202E", "\u202D", "\u202A", "\u202B", "\u202C", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C", "\u0000", "\u0007", "\u001B", "\u007F", "\u0085", "\u009B", "\n", "\r", "\t", "\u2028", "\u200B", "\uFEFF"];
const TEXT_UNITS = ["材料", "身份证", "户口本", "午休", "a", "Z", " ", "😀", "ن", "é", "\u200D"];

/** A reason or document name as a person (or a spoofer) might type it; may clean up to nothing. */
export const freeText = fc.string({
  unit: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TEXT_UNITS) }, { weight: 1, arbitrary: fc.constantFrom(...SPOOF_CHARS) }),
  minLength: 1,
  maxLength: 12,
});

/** Keys that mean something to JavaScript objects. */
export const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "then"] as const;

/** A value with an own property of that name (so `__proto__` is a key, not the prototype). */
export function withOwn(key: string, value: unknown, into: Record<string, unknown> = {}): Record<string, unknown> {
  Object.defineProperty(into, key, { value, enumerable: true, configurable: true, writable: true });
  return into;
}

/** A value built only when a call is sent, so a 60 KB string or a deep nest is not shrunk byte by byte. */
export class Later {
  constructor(readonly what: { huge: string; bytes: number } | { nest: "array" | "object"; depth: number } | { protoBomb: (typeof PROTO_KEYS)[number] }) {}
  toJSON() {
    return this.what;
  }
}

/** Payloads stay under the 64 KiB frame limit (a bigger frame closes the connection by design). */
export const HUGE_BYTES_MAX = 60_000;

export function build(value: unknown): unknown {
  if (!(value instanceof Later)) return value;
  const b = value.what;
  // Counted as sent: JSON escapes a NUL or a lone surrogate as six bytes.
  if ("huge" in b) return b.huge.repeat(Math.max(1, Math.floor(b.bytes / (Buffer.byteLength(JSON.stringify(b.huge)) - 2))));
  if ("nest" in b) {
    let v: unknown = "x";
    for (let i = 0; i < b.depth; i++) v = b.nest === "array" ? [v] : { a: v };
    return v;
  }
  return withOwn(b.protoBomb, { polluted: true, ok: true, code: "INTERNAL" });
}

/**
 * JSON text no Socket.IO client library would send (its encoder recurses and cannot write Infinity,
 * duplicate keys or escaped lone surrogates): a call holding one goes out as a raw frame.
 */
export class RawJson {
  constructor(readonly json: string) {}
}
const rawJson = fc.oneof(
  fc.integer({ min: 1_000, max: 29_000 }).map((depth) => new RawJson(`${"[".repeat(depth)}"x"${"]".repeat(depth)}`)),
  fc.integer({ min: 1_000, max: 9_000 }).map((depth) => new RawJson(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`)),
  fc.constantFrom(
    "1e400",
    "-1e400",
    "123456789012345678901234567890",
    "-0",
    '"\\ud800"',
    '"\\udfff\\ud800"',
    '"\\u0000"',
    '{"__proto__":{"ok":true},"__proto__":1}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"a":1,"a":2}',
  ).map((json) => new RawJson(json)),
);

const hugeString = fc.record({ huge: fc.constantFrom("x", "中", "\u202E", "😀", "a\u0000", "\uD800"), bytes: fc.integer({ min: 65, max: HUGE_BYTES_MAX }) }).map((b) => new Later(b));
const deepNest = fc.record({ nest: fc.constantFrom("array" as const, "object" as const), depth: fc.integer({ min: 2, max: 1_000 }) }).map((b) => new Later(b));
const protoBomb = fc.record({ protoBomb: fc.constantFrom(...PROTO_KEYS) }).map((b) => new Later(b));
const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 4 });
const oddIds = fc.constantFrom("nope", "99", "0", "-1", "social ", " social", "SOCIAL", "../../etc/passwd", "a".repeat(64), "a".repeat(65), "hall:t1", "t1/1", "*", "", "null", "undefined", "NaN");

/** Plain junk, small: what fc.anything makes, with object keys that mean something to JavaScript. */
export const junk = fc.anything({
  maxDepth: 3,
  maxKeys: 5,
  key: fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 8 }) }, { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS, "commandId", "windowId", "ticketId") }),
  withNullPrototype: true,
  withBoxedValues: true,
  withSparseArray: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withObjectString: true,
  stringUnit: "binary",
});

/** A value for one field of an otherwise valid payload: wrong types, huge, unknown, odd unicode, prototype keys, deep. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, true, false, 0, -1, 1.5, 6, Number.MAX_SAFE_INTEGER, 1e308, -0, "", " ", [], {}, [""], ["social"]),
  fc.double(),
  oddIds,
  fc.string({ unit: "binary", maxLength: 80 }),
  loneSurrogates,
  freeText,
  hugeString,
  deepNest,
  protoBomb,
  rawJson,
  junk,
);

/** Numbers a payload is built from: each choice takes the next one (shrinks toward the first option). */
const dice = fc.array(fc.nat({ max: 1_000 }), { minLength: 6, maxLength: 6 });

export type PayloadSpec =
  /** A valid payload for the hall as it is when sent. */
  | { kind: "valid"; dice: number[]; text: string; docs: string[] }
  /** A valid one with one thing wrong. */
  | { kind: "mutated"; dice: number[]; text: string; docs: string[]; mutation: Mutation }
  /** An earlier successful command's commandId again: the same call (a replay), or another seat or payload. */
  | { kind: "repeat"; pick: number; sameSeat: boolean; samePayload: boolean }
  | { kind: "junk"; value: unknown };

export type Mutation =
  | { kind: "set"; field: number | string; value: unknown }
  | { kind: "delete"; field: number }
  | { kind: "wrap"; how: "array" | "string" | "nested" };

const FIELD_NAMES = ["commandId", "windowId", "ticketId", "serviceId", "priority", "channel", "then", "reason", "missingDocs", "toServiceId", "toWindowId", "rating", "serving", "mode", "suggestionId", "approve"];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("set" as const), field: fc.oneof(fc.nat({ max: 10 }), fc.constantFrom(...FIELD_NAMES, ...PROTO_KEYS)), value: oddValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), field: fc.nat({ max: 10 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("wrap" as const), how: fc.constantFrom("array" as const, "string" as const, "nested" as const) }) },
);

export const payloadSpec: fc.Arbitrary<PayloadSpec> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant("valid" as const), dice, text: freeText, docs: fc.array(freeText, { maxLength: 3 }) }) },
  { weight: 7, arbitrary: fc.record({ kind: fc.constant("mutated" as const), dice, text: freeText, docs: fc.array(freeText, { maxLength: 3 }), mutation }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("repeat" as const), pick: fc.nat({ max: 1_000 }), sameSeat: fc.boolean(), samePayload: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("junk" as const), value: fc.oneof(junk, oddValue) }) },
);

/** How the call is made: payload and ack; only an ack; extra arguments before the ack; no ack at all. */
export type Shape = { kind: "ack" } | { kind: "ackOnly" } | { kind: "extra"; extras: unknown[] } | { kind: "noAck"; extras: readonly unknown[] };

const extras = fc.array(fc.oneof(fc.constant(-1), fc.constant(null), junk), { minLength: 1, maxLength: 3 });
export const shape: fc.Arbitrary<Shape> = fc.oneof(
  { weight: 16, arbitrary: fc.constant({ kind: "ack" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "ackOnly" as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("extra" as const), extras }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("noAck" as const), extras: fc.oneof(fc.constant<unknown[]>([]), extras) }) },
);

export interface CallSpec {
  seat: Seat;
  name: CallName;
  payload: PayloadSpec;
  shape: Shape;
}

/** Staff and the kiosk make most of the calls: they are the ones whose commands succeed. */
const seat: fc.Arbitrary<Seat> = fc.oneof(
  { weight: 4, arbitrary: fc.constant("manager" as const) },
  { weight: 3, arbitrary: fc.constantFrom("counter1" as const, "counter2" as const) },
  { weight: 2, arbitrary: fc.constant("kiosk" as const) },
  { weight: 1, arbitrary: fc.constantFrom("pad1" as const, "board" as const, "strip1" as const, "tracker" as const) },
);

/** Each of the calls weighted alike, but issuing and calling a little more, so that there are tickets to act on. */
const callName: fc.Arbitrary<CallName> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<CallName>("ticket:issue", "window:callNext", "ticket:start", "ticket:finish") },
  { weight: 9, arbitrary: fc.constantFrom<CallName>(...CALL_NAMES) },
);

export const callSpec: fc.Arbitrary<CallSpec> = fc.record({ seat, name: callName, payload: payloadSpec, shape });

// ---------------------------------------------------------------------------------------------
// Building a call from its spec

/** A successful command: what was sent, by whom, and the event it answered with. */
export interface Done {
  seat: Seat;
  name: CallName;
  payload: Record<string, unknown>;
  data: unknown;
}

export interface BuiltCall {
  /** Who sends it and what: the spec's, except for a repeat (the earlier command's name, from its seat or another). */
  seat: Seat;
  name: CallName;
  payload: unknown;
  /** The arguments of the emit, before the ack (if any). */
  args: unknown[];
  withAck: boolean;
  /** A repeat of this earlier command: the same commandId. */
  repeatOf?: Done & { same: boolean };
}

class Dice {
  private i = 0;
  constructor(private readonly values: number[]) {}
  next(): number {
    return this.values[this.i++ % this.values.length] ?? 0;
  }
  pick<T>(xs: readonly T[]): T | undefined {
    return xs.length ? xs[this.next() % xs.length] : undefined;
  }
  /** True with about this probability; true when shrunk to 0. */
  chance(p: number): boolean {
    return this.next() % 100 < p * 100;
  }
}

/** A valid payload for `name` from `seat`, for the hall `s` (it may still be refused by the rules). */
function validPayload(name: CallName, seat: Seat, s: HallSnapshot, d: Dice, text: string, docs: string[], trackedTicketId: string): Record<string, unknown> {
  const own = SEAT_WINDOW[seat];
  const windowId = own && d.chance(0.85) ? own : (d.pick(s.windows)?.id ?? "1");
  const window = s.windows.find((w) => w.id === windowId);
  const ticketIn = (...states: string[]) => d.pick(s.tickets.filter((t) => states.includes(t.state)))?.id ?? d.pick(s.tickets)?.id ?? "no-such-ticket";
  const serviceId = () => d.pick(s.services)?.id ?? "social";
  const commandId = cid();
  switch (name) {
    case "hall:snapshot":
      return {};
    case "ticket:get":
      return { ticketId: seat === "tracker" ? trackedTicketId : ticketIn("waiting", "called", "serving", "parked") };
    case "ticket:issue":
      return {
        commandId,
        serviceId: serviceId(),
        ...(d.chance(0.3) ? { priority: d.pick(s.priorityClasses)?.id } : {}),
        ...(d.chance(0.15) ? { then: [serviceId()] } : {}),
        ...(d.chance(0.1) ? { channel: d.pick(["kiosk", "mobile", "staff", "appointment"]) } : {}),
      };
    case "ticket:park":
      return { commandId, windowId, reason: text, ...(d.chance(0.5) ? { missingDocs: docs } : {}) };
    case "window:pause":
      return { commandId, windowId, reason: text };
    case "ticket:resume":
      return { commandId, ticketId: ticketIn("parked") };
    case "window:callTicket":
      return { commandId, windowId, ticketId: ticketIn("waiting"), reason: text };
    case "ticket:cancel":
      return { commandId, ticketId: ticketIn("waiting", "parked") };
    case "ticket:transfer": {
      const to = d.chance(0.6) ? { toServiceId: serviceId() } : d.chance(0.5) ? { toWindowId: d.pick(s.windows)?.id } : { toServiceId: serviceId(), toWindowId: d.pick(s.windows)?.id };
      return { commandId, ...(seat === "manager" && d.chance(0.5) ? { ticketId: ticketIn("waiting", "parked", "called", "serving") } : { windowId }), ...to };
    }
    case "ticket:rate":
      return { commandId, windowId, ticketId: window?.lastFinishedId ?? ticketIn("finished"), rating: 1 + (d.next() % 5) };
    case "window:setServing": {
      const qualified = window?.qualified ?? ["social"];
      const from = d.next() % qualified.length;
      return { commandId, windowId, serving: qualified.slice(from, from + 1 + (d.next() % qualified.length)) };
    }
    case "balancer:setMode":
      return { commandId, mode: d.pick(["off", "suggest", "auto"]) };
    case "balancer:decide":
      return { commandId, suggestionId: d.pick(s.balancer.suggestions)?.id ?? "no-such-suggestion", approve: d.chance(0.5) };
    default:
      // window:callNext, recall, open, resume, close; ticket:start, finish, noShow
      return { commandId, windowId };
  }
}

function mutate(payload: Record<string, unknown>, m: Mutation): unknown {
  const keys = Object.keys(payload);
  switch (m.kind) {
    case "set": {
      const field = typeof m.field === "number" ? (keys[m.field % keys.length] ?? "commandId") : m.field;
      return withOwn(field, build(m.value), { ...payload });
    }
    case "delete": {
      const out = { ...payload };
      delete out[keys[m.field % keys.length] ?? "commandId"];
      return out;
    }
    case "wrap":
      return m.how === "array" ? [payload] : m.how === "string" ? JSON.stringify(payload) : { payload };
  }
}

/** The call a spec makes now, against the hall as `s` shows it and the commands done so far. */
export function buildCall(spec: CallSpec, s: HallSnapshot, done: readonly Done[], trackedTicketId: string): BuiltCall {
  const p = spec.payload;
  let seat = spec.seat;
  let name = spec.name;
  let payload: unknown;
  let repeatOf: BuiltCall["repeatOf"];
  if (p.kind === "repeat" && done.length) {
    const first = done[p.pick % done.length]!;
    name = first.name;
    seat = p.sameSeat ? first.seat : spec.seat !== first.seat ? spec.seat : first.seat !== "manager" ? "manager" : "counter1";
    payload = p.samePayload ? first.payload : { ...validPayload(first.name, seat, s, new Dice([p.pick, 1, 2]), "另一个理由", [], trackedTicketId), commandId: first.payload.commandId };
    repeatOf = { ...first, same: seat === first.seat && sameCommand(name, payload, first.payload) };
  } else if (p.kind === "junk") {
    payload = build(p.value);
  } else if (p.kind === "repeat") {
    payload = validPayload(name, seat, s, new Dice([p.pick]), "x", [], trackedTicketId);
  } else {
    const valid = validPayload(name, seat, s, new Dice(p.dice), p.text, p.docs, trackedTicketId);
    payload = p.kind === "mutated" ? mutate(valid, p.mutation) : valid;
  }
  const sh = spec.shape;
  const args = sh.kind === "ackOnly" ? [] : sh.kind === "ack" ? [payload] : [payload, ...sh.extras.map(build)];
  return { seat, name, payload, args, withAck: sh.kind !== "noAck", repeatOf };
}

/** Whether two payloads are the same command once validated (unknown fields dropped, defaults filled in). */
function sameCommand(name: CallName, a: unknown, b: unknown): boolean {
  const schema = CommandSchemas[name as CommandName];
  const [pa, pb] = [schema.safeParse(a), schema.safeParse(b)];
  return pa.success && pb.success && canonical(pa.data) === canonical(pb.data);
}

const canonical = (v: unknown): string =>
  v === null || typeof v !== "object"
    ? (JSON.stringify(v) ?? "null")
    : Array.isArray(v)
      ? `[${v.map(canonical).join(",")}]`
      : `{${Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(",")}}`;

let frameAckId = 1_000_000;

/** The client library could not encode a call, so the server never saw it. */
export class NotSent extends Error {
  constructor(cause: unknown) {
    super(`the client library could not send the call: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * Emits a call: the ack (if any) last, answered within `timeoutMs` or rejected. Arguments holding
 * RawJson go out as a Socket.IO frame written by hand (`2<nsp>,<ackId>[name, ...args]`), and its
 * answer is read off the connection (`3<nsp>,<ackId>[answer]`); the rest through the client library.
 */
export function emitRaw(socket: Client, name: string, args: unknown[], withAck: boolean, timeoutMs: number): Promise<unknown> | null {
  const raw = socket as unknown as Socket;
  const body = frameBody(name, args);
  if (body === null) {
    // socket.io-client's binary encoder turns an own `__proto__` key into the copy's prototype, and
    // JSON.stringify then throws on it (a Date prototype, say): such a call never leaves the client.
    try {
      if (!withAck) {
        raw.emit(name, ...args);
        return null;
      }
      return raw.timeout(timeoutMs).emitWithAck(name, ...args).catch((err: unknown) => {
        throw err instanceof Error && err.message === "operation has timed out" ? err : new NotSent(err);
      });
    } catch (err) {
      return withAck ? Promise.reject(new NotSent(err)) : null;
    }
  }
  const nsp = (raw as unknown as { nsp: string }).nsp;
  const engine = raw.io.engine as unknown as { write(data: string): void; on(e: "packet", f: (p: { data?: unknown }) => void): void; off(e: "packet", f: (p: { data?: unknown }) => void): void };
  if (!withAck) {
    engine.write(`2${nsp},${body}`);
    return null;
  }
  const id = frameAckId++;
  const prefix = `3${nsp},${id}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (engine.off("packet", on), reject(new Error("operation has timed out"))), timeoutMs);
    const on = (p: { data?: unknown }) => {
      if (typeof p.data !== "string" || !p.data.startsWith(`${prefix}[`)) return;
      clearTimeout(timer);
      engine.off("packet", on);
      resolve((JSON.parse(p.data.slice(prefix.length)) as unknown[])[0]);
    };
    engine.on("packet", on);
    engine.write(`2${nsp},${id}${body}`);
  });
}

/** The JSON of a frame holding RawJson, the raw text spliced in; null when the call holds none. */
function frameBody(name: string, args: unknown[]): string | null {
  const pieces: string[] = [];
  const json = JSON.stringify([name, ...args], (_k, v: unknown) => (v instanceof RawJson ? `\u0000RAW${pieces.push(v.json) - 1}\u0000` : v));
  return pieces.length ? json.replace(/"\\u0000RAW(\d+)\\u0000"/g, (_m, n: string) => pieces[Number(n)]!) : null;
}

/** The bytes of the frame a call makes (the frame limit is 64 KiB). */
export function frameBytes(name: string, args: unknown[]): number {
  return Buffer.byteLength(frameBody(name, args) ?? JSON.stringify([name, ...args]));
}

/** A call as text for a failure message: long strings cut, deep nests and big objects elided. */
export function describeCall(call: BuiltCall): string {
  return `${call.seat} ${call.name}(${call.args.map((a) => preview(a, 0)).join(", ")}${call.withAck ? ", ack" : ""})`;
}

function preview(v: unknown, depth: number): string {
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 20)}…(${v.length} chars)` : v);
  if (typeof v !== "object" || v === null) return v === undefined ? "undefined" : typeof v === "bigint" ? `${v}n` : JSON.stringify(v) ?? String(v);
  if (depth > 4) return Array.isArray(v) ? "[…]" : "{…}";
  if (v instanceof RawJson) return `raw(${v.json.length > 60 ? `${v.json.slice(0, 20)}…(${v.json.length} chars)` : v.json})`;
  if (ArrayBuffer.isView(v)) return `<${v.constructor.name} ${v.byteLength} bytes>`;
  if (Array.isArray(v)) return `[${v.slice(0, 8).map((x) => preview(x, depth + 1)).join(", ")}${v.length > 8 ? ", …" : ""}]`;
  const keys = Object.keys(v);
  const body = keys.slice(0, 10).map((k) => `${JSON.stringify(k)}: ${preview((v as Record<string, unknown>)[k], depth + 1)}`);
  return `{${body.join(", ")}${keys.length > 10 ? ", …" : ""}}`;
}
