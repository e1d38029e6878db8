/**
 * Socket.IO transport: authenticate the handshake into a role, then for each command validate,
 * authorise, run it in the store, ack, and broadcast the event. Handlers stay thin; every rule
 * about tickets lives in the domain and the store. A booking's check-in and its holder's name go
 * through the booking desk (booking-desk.ts), shared with REST.
 */
import type { IncomingMessage } from "node:http";
import type { Namespace, Server, Socket } from "socket.io";
import { z } from "zod";
import {
  AppointmentCheckIn,
  CaseClose,
  CaseGet,
  CaseList,
  CaseOpen,
  CaseUpdate,
  CommandSchemas,
  COMMAND_NAMES,
  HALL_NAMESPACE,
  HallCallError,
  hallNamespace,
  Id,
  ratedPart,
  type Ack,
  type ClientToServerEvents,
  type CommandName,
  type HallError,
  type HallEvent,
  type Role,
  type ServerToClientEvents,
  type SocketData,
  TicketHolderRequest,
} from "../../protocol/index.js";
import type { BookingDesk } from "./booking-desk.js";
import type { CaseDesk } from "./case-desk.js";
import type { CaseChange } from "../records/cases.js";
import type { Actor, WireCommand } from "../domain/hall-commands.js";
import type { HallConfig } from "../domain/config.js";
import { toHallError } from "./hall-error.js";
import { findDevice, sessionHolds, type StaffSession } from "./auth.js";
import type { HallContext } from "./context.js";
import { RateLimited } from "./rate-limit.js";

export type HallServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
/** A hall's namespace (`/hall/<id>`): its own rooms and, with several nodes, its own adapter channel. */
export type HallNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** One hall's namespace, to emit to its rooms. */
export const hallSockets = (io: HallServer, hallId: string): HallNamespace => io.of(hallNamespace(hallId));
type HallSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Room names; ids may contain ":", so a hall id and what follows it are joined with "/". */
export const rooms = {
  /** Every event of the hall: boards, kiosks, managers. */
  hall: (hallId: string) => `hall:${hallId}`,
  /** One window's events: the LED strip over it, its rating pad and its counter. */
  window: (hallId: string, windowId: string) => `window:${hallId}/${windowId}`,
  /** Events that put a ticket in the hall's parked list or may take one out: the counters' parked list. */
  parked: (hallId: string) => `parked:${hallId}`,
  /** One ticket's events: its citizen tracker. */
  ticket: (hallId: string, ticketId: string) => `ticket:${hallId}/${ticketId}`,
  /** Expected-wait summaries for the hall's own screens (boards, kiosks, counters, managers). */
  queue: (hallId: string) => `queue:${hallId}`,
  /** Expected-wait summaries for citizens' phones (trackers), on a slower cadence. */
  phones: (hallId: string) => `phones:${hallId}`,
  /** The counter signed in at a window (one at a time). */
  counterAt: (hallId: string, windowId: string) => `counter:${hallId}/${windowId}`,
  /** A staff member's counter connection (one window at a time). */
  staff: (hallId: string, staffId: string) => `staff:${hallId}/${staffId}`,
  /** The hall's managers' consoles (case updates). */
  managers: (hallId: string) => `managers:${hallId}`,
  /** One case's (工单) public page, by its key. */
  case: (hallId: string, key: string) => `case:${hallId}/${key}`,
};

const PARKED_LIST_EVENTS: ReadonlySet<HallEvent["type"]> = new Set(["ticket:parked", "ticket:resumed", "ticket:transferred", "ticket:cancelled"]);

/**
 * The rooms an event goes to: the hall's screens; the window it happened at (a rating, to the
 * window that served what was rated; a bundle's whole matter, to none); the ticket's tracker; the
 * counters' parked list when it may change it. A new business day goes to every screen of the
 * hall: every window, the parked list and every tracker as well, so strips, pads, counters and
 * phones start afresh.
 */
export function eventRooms(event: HallEvent, hall: HallConfig): string[] {
  const to = [rooms.hall(hall.id)];
  if ("ticket" in event) to.push(rooms.ticket(hall.id, event.ticket.id));
  const windowId = "window" in event && event.window ? event.window.id : event.type === "ticket:rated" ? ratedPart(event).windowId : null;
  if (windowId) to.push(rooms.window(hall.id, windowId));
  if (PARKED_LIST_EVENTS.has(event.type)) to.push(rooms.parked(hall.id));
  if (event.type === "hall:dayStarted") to.push(...hall.windows.map((w) => rooms.window(hall.id, w.id)), rooms.parked(hall.id), rooms.phones(hall.id));
  return to;
}

/**
 * The rooms a socket joins: what its screen shows. A strip or pad shows its window; a counter its
 * window, the queues and the hall's parked tickets; a tracker its ticket; boards, kiosks and
 * managers the whole hall.
 */
export function roomsOf(data: SocketData): string[] {
  const h = data.hallId;
  if (data.role === "tracker") return [rooms.ticket(h, data.ticketId!), rooms.phones(h)];
  if (data.role === "case") return [rooms.case(h, data.caseKey!)];
  if ((data.role === "display" || data.role === "pad") && data.windowId !== null) return [rooms.window(h, data.windowId)];
  if (data.role === "counter") return [rooms.window(h, data.windowId!), rooms.queue(h), rooms.parked(h), rooms.counterAt(h, data.windowId!), rooms.staff(h, data.staffId!)];
  if (data.role === "manager") return [rooms.hall(h), rooms.queue(h), rooms.managers(h)];
  return [rooms.hall(h), rooms.queue(h)];
}

/** Broadcast one event to the rooms that care (one adapter message whatever the number of rooms). */
export function broadcastEvent(io: HallServer, hall: HallConfig, event: HallEvent): void {
  hallSockets(io, hall.id).to(eventRooms(event, hall)).emit("hall:event", event);
}

/** Whether a socket gets expected-wait summaries (strips and pads show none). */
export function wantsQueue(data: SocketData): boolean {
  return roomsOf(data).some((r) => r === rooms.queue(data.hallId) || r === rooms.phones(data.hallId));
}

/** The hall comes from the namespace; a `hallId` in the auth, if sent, must name the same hall. */
const Handshake = z.discriminatedUnion("role", [
  z.object({ role: z.enum(["display", "kiosk", "pad"]), hallId: Id.optional(), deviceToken: z.string().max(200) }),
  z.object({ role: z.literal("counter"), hallId: Id.optional(), token: z.string().max(4096), windowId: Id }),
  z.object({ role: z.literal("manager"), hallId: Id.optional(), token: z.string().max(4096) }),
  z.object({ role: z.literal("tracker"), hallId: Id.optional(), ticketId: z.string().min(1).max(64) }),
  z.object({ role: z.literal("case"), hallId: Id.optional(), key: z.string().min(1).max(64) }),
]);

/** Socket.IO connect_error carries `data.code` so a client can tell a bad token from a network fault. */
function refuse(code: "UNAUTHORIZED" | "UNKNOWN_HALL" | "VALIDATION" | "FORBIDDEN" | "STORE_UNAVAILABLE" | "SESSION_ENDED", message: string): Error & { data: { code: string } } {
  return Object.assign(new Error(message), { data: { code } });
}

/** Which roles may send which command; counters and pads only for their own window. */
function authorised(name: CommandName, data: SocketData, payload: { windowId?: string; ticketId?: string }): boolean {
  const ownWindow = payload.windowId === data.windowId;
  switch (data.role) {
    case "manager":
      return name !== "ticket:rate";
    case "counter":
      if (name === "ticket:issue" || name === "ticket:resume" || name === "ticket:cancel") return true;
      if (name === "ticket:transfer") return ownWindow;
      if (name.startsWith("balancer:") || name === "window:setServing" || name === "ticket:rate") return false;
      return ownWindow;
    case "kiosk":
      return name === "ticket:issue";
    case "pad":
      return name === "ticket:rate" && ownWindow;
    default:
      return false;
  }
}

const ACTOR: Record<Role, Actor> = { manager: "manager", counter: "staff", kiosk: "kiosk", pad: "pad", display: "display", tracker: "citizen", case: "citizen" };

/** A device as the audit trail names it: its configured name, else its role and window. */
const deviceName = (d: { role: string; name: string; windowId?: string }): string => d.name || (d.windowId ? `${d.role}@${d.windowId}` : d.role);

const parents = new WeakMap<HallServer, ReturnType<HallServer["of"]>>();

/**
 * The parent of every hall's namespace: its middleware and `connection` listeners apply to each
 * hall's. One per server (each `io.of(regex)` would make another, which no socket reaches), and
 * set up before the first hall's namespace exists (a child copies its parent's listeners once).
 */
export function hallNamespaces(io: HallServer): ReturnType<HallServer["of"]> {
  let parent = parents.get(io);
  if (!parent) parents.set(io, (parent = io.of(HALL_NAMESPACE)));
  return parent;
}

export interface SocketTransportOptions {
  /** Bookings' check-in and holders (none when the deployment keeps no records). */
  desk?: BookingDesk;
  /** Cases (工单) of the escalation windows (none without records). */
  cases?: CaseDesk;
  /** Where phones reach this server (a case's public link); else the handshake's own host. */
  publicUrl?: string;
  /**
   * Admits a handshake to a hall that exists, before its credentials are looked at: rejects with
   * RATE_LIMITED when the client's address or the hall opens too many connections.
   */
  admit?: (request: IncomingMessage, hallId: string) => Promise<void>;
}

export function attachSocketTransport(io: HallServer, ctx: HallContext, opts: SocketTransportOptions = {}): void {
  // The default namespace carries no hall (a client may multiplex its hall's namespace over it):
  // anything asked there is answered with where to ask.
  io.on("connection", (socket) => {
    socket.onAny((...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (typeof ack === "function") ack(fail("VALIDATION", "Connect to your hall's namespace, /hall/<hallId>."));
    });
  });
  const halls = hallNamespaces(io);
  halls.use(async (socket, next) => {
    const hallId = HALL_NAMESPACE.exec(socket.nsp.name)![1]!;
    const parsed = Handshake.safeParse(socket.handshake.auth);
    if (!parsed.success) return next(refuse("VALIDATION", "Handshake auth must name a role and its credentials."));
    const auth = parsed.data;
    const hall = ctx.halls.get(hallId);
    if (!hall) return next(refuse("UNKNOWN_HALL", `No hall "${hallId}".`));
    try {
      await opts.admit?.(socket.request, hall.id);
    } catch (err) {
      const error = toHallError(err, ctx.log, "socket handshake");
      return next(Object.assign(new Error(error.message), { data: { code: error.code, retryAfterSec: err instanceof RateLimited ? err.retryAfterSec : undefined } }));
    }
    if (auth.hallId !== undefined && auth.hallId !== hallId) return next(refuse("VALIDATION", `This is hall "${hallId}"'s namespace, not "${auth.hallId}"'s.`));
    const now = ctx.clock.now();
    const data: SocketData = { hallId: hall.id, role: auth.role, staffId: null, windowId: null, ticketId: null, device: null };
    switch (auth.role) {
      case "display":
      case "kiosk":
      case "pad": {
        const device = findDevice(hall, auth.deviceToken);
        if (!device || device.role !== auth.role) return next(refuse("UNAUTHORIZED", "Unknown device token for this role."));
        data.windowId = device.windowId ?? null;
        data.device = deviceName(device);
        break;
      }
      case "counter":
      case "manager": {
        const session = ctx.signer.verify(auth.token, now);
        if (!session || session.hallId !== hall.id) return next(refuse("UNAUTHORIZED", "Sign in again: the session token is invalid or expired."));
        if (!session.roles.includes(auth.role)) return next(refuse("FORBIDDEN", `This staff account may not act as ${auth.role}.`));
        let ended: HallError | null;
        try {
          ended = await sessionEnded(ctx, hall.id, session);
        } catch {
          return next(refuse("STORE_UNAVAILABLE", "Cannot check the sign-in now; retrying."));
        }
        if (ended) return next(refuse("SESSION_ENDED", ended.message));
        data.staffId = session.staffId;
        sessions.set(socket, session);
        if (auth.role === "counter") {
          if (!hall.windows.some((w) => w.id === auth.windowId)) return next(refuse("VALIDATION", `No window "${auth.windowId}" in this hall.`));
          data.windowId = auth.windowId;
        }
        break;
      }
      case "tracker": {
        // A store that does not answer is not a reason to tell the phone its ticket is unknown.
        const ticket = await ctx.store.ticket(hall.id, auth.ticketId).catch(() => undefined);
        if (ticket === undefined) return next(refuse("STORE_UNAVAILABLE", "The hall's store is not answering; retrying."));
        if (!ticket) return next(refuse("UNAUTHORIZED", "No such ticket today."));
        data.ticketId = ticket.id;
        break;
      }
      case "case": {
        // The key is the credential: the page joins that case's room and nothing else.
        const found = opts.cases ? await opts.cases.cases.getByKey(hall.id, auth.key).catch(() => undefined) : null;
        if (found === undefined) return next(refuse("STORE_UNAVAILABLE", "The records are not answering; retrying."));
        if (!found) return next(refuse("UNAUTHORIZED", "No such case."));
        data.caseKey = found.key;
        break;
      }
    }
    socket.data = data;
    next();
  });

  halls.on("connection", (socket: HallSocket) => {
    const data = socket.data;
    ctx.metrics.sockets.inc({ role: data.role });
    socket.on("disconnect", () => ctx.metrics.sockets.dec({ role: data.role }));
    const session = sessions.get(socket) ?? null;
    if (session) endOnExpiry(socket, ctx, session);
    if (data.role === "counter") {
      // One counter per window and one window per staff member: an earlier sign-in is told and closed, on whichever node.
      const displaced = hallSockets(io, data.hallId).in([rooms.counterAt(data.hallId, data.windowId!), rooms.staff(data.hallId, data.staffId!)]).except(socket.id);
      displaced.emit("session:ended", new HallCallError("SESSION_REPLACED", `${data.staffId} signed in at window ${data.windowId}.`).toJSON());
      displaced.disconnectSockets(true);
    }
    void socket.join(roomsOf(data));

    if (data.role === "counter") {
      ctx
        .run(data.hallId, { name: "window:signIn", payload: { windowId: data.windowId!, staffId: data.staffId! } }, "staff", data.staffId)
        .catch((err) => ctx.log.warn(`sign-in of ${data.staffId} at window ${data.windowId} failed`, err));
    }

    answer(socket, ctx, "hall:snapshot", async (payload) => {
      if (payload !== undefined && !isPlainObject(payload)) return fail("VALIDATION", "hall:snapshot takes no payload, or an object (its fields are ignored).");
      if (data.role === "tracker") return fail("FORBIDDEN", "A tracker follows one ticket; use ticket:get.");
      if (data.role === "case") return fail("FORBIDDEN", "A case page follows one case; use case:public.");
      return ok(await ctx.store.snapshot(data.hallId));
    });

    answer(socket, ctx, "ticket:get", async (payload) => {
      const id = z.object({ ticketId: z.string().min(1).max(64) }).safeParse(payload);
      if (!id.success) return fail("VALIDATION", "ticketId is required.");
      if (data.role === "tracker" && id.data.ticketId !== data.ticketId) return fail("FORBIDDEN", "A tracker reads only its own ticket.");
      if (data.role === "case") return fail("FORBIDDEN", "A case page reads only its case; use case:public.");
      const t = await ctx.store.ticket(data.hallId, id.data.ticketId);
      return t ? ok(t) : fail("UNKNOWN_TICKET");
    });

    /** A staff connection's request is answered only while its session holds. */
    const whileSignedIn =
      (handle: (payload: unknown) => Promise<Ack<unknown>>) =>
      async (payload: unknown): Promise<Ack<unknown>> => {
        const ended = session ? await sessionEnded(ctx, data.hallId, session) : null;
        if (!ended) return handle(payload);
        // After the refusal is answered: the page learns both the answer and why it was closed.
        setImmediate(() => endSession(socket, ended));
        return { ok: false, error: ended };
      };

    for (const name of COMMAND_NAMES) answer(socket, ctx, name, whileSignedIn((payload) => handleCommand(ctx, data, name, payload)));
    answer(socket, ctx, "appointment:checkIn", whileSignedIn((payload) => checkIn(ctx, opts.desk, data, payload)));
    answer(socket, ctx, "ticket:holder", whileSignedIn((payload) => ticketHolder(ctx, opts.desk, data, payload)));
    attachCaseHandlers(io, socket, ctx, opts, whileSignedIn);
  });
}

/**
 * Cases (工单): `case:open` by the counter at its escalation window (or a manager naming one),
 * `case:update` and `case:close` by counters and managers, `case:get` by staff, `case:list` by a
 * counter at an escalation window or a manager; a `case` page's `case:public`. Each change is
 * pushed as `case:updated` to the case's page, and as `case:changed` (the staff view) to the
 * hall's managers and the counters at its escalation windows (and the window it opened at).
 */
function attachCaseHandlers(
  io: HallServer,
  socket: HallSocket,
  ctx: HallContext,
  opts: SocketTransportOptions,
  whileSignedIn: (handle: (payload: unknown) => Promise<Ack<unknown>>) => (payload: unknown) => Promise<Ack<unknown>>,
): void {
  const data = socket.data;
  const hall = () => ctx.halls.get(data.hallId)!;
  const origin = (opts.publicUrl ?? `${socket.handshake.secure ? "https" : "http"}://${socket.handshake.headers.host ?? "localhost"}`).replace(/\/+$/, "");
  const staff = data.role === "counter" || data.role === "manager";
  const atEscalation = data.role === "counter" && hall().windows.some((w) => w.id === data.windowId && w.escalation);

  /** Validates, authorises and answers one case request; internal failures are logged and answered INTERNAL. */
  const handle = <S extends z.ZodType>(name: string, schema: S, allowed: boolean, run: (desk: CaseDesk, input: z.output<S>) => Promise<unknown>) =>
    answer(
      socket,
      ctx,
      name,
      whileSignedIn(async (raw) => {
        const started = performance.now();
        let outcome = "ok";
        try {
          const parsed = schema.safeParse(raw ?? {});
          if (!parsed.success) {
            outcome = "VALIDATION";
            return { ok: false, error: toHallError(parsed.error, ctx.log, name) };
          }
          if (!allowed) {
            outcome = "FORBIDDEN";
            return fail("FORBIDDEN", `A ${data.role}${data.windowId ? ` at window ${data.windowId}` : ""} may not send ${name}.`);
          }
          if (!opts.cases) {
            outcome = "RECORDS_UNAVAILABLE";
            return fail("RECORDS_UNAVAILABLE", "This deployment keeps no records database, so it keeps no cases.");
          }
          return ok(await run(opts.cases, parsed.data));
        } catch (err) {
          const error = toHallError(err, ctx.log, name);
          outcome = error.code;
          return { ok: false, error };
        } finally {
          ctx.metrics.commandLatency.observe({ command: name, outcome }, (performance.now() - started) / 1000);
        }
      }),
    );

  const actor = () => ({ staffId: data.staffId!, windowId: data.role === "counter" ? data.windowId : null });
  /** The change's view, after telling the case's rooms (not for a repeated commandId: nothing changed). */
  const changed = (desk: CaseDesk, change: CaseChange) => {
    const c = change.case;
    const view = desk.view(hall(), c, origin);
    if (change.changed) {
      const h = data.hallId;
      const at = ctx.clock.now();
      hallSockets(io, h).to(rooms.case(h, c.key)).emit("case:updated", { hallId: h, key: c.key, number: c.number, state: c.state, at });
      const escalation = hall().windows.filter((w) => w.escalation).map((w) => rooms.counterAt(h, w.id));
      hallSockets(io, h)
        .to([rooms.managers(h), rooms.counterAt(h, c.windowId), ...escalation])
        .emit("case:changed", { hallId: h, at, case: view });
    }
    return view;
  };

  handle("case:open", CaseOpen, staff, async (desk, input) => changed(desk, await desk.open(hall(), input, actor())));
  handle("case:update", CaseUpdate, staff, async (desk, input) => changed(desk, await desk.update(hall(), input, actor())));
  handle("case:close", CaseClose, staff, async (desk, input) => changed(desk, await desk.close(hall(), input, actor())));
  handle("case:get", CaseGet, staff, async (desk, input) => desk.view(hall(), await desk.get(hall(), input.caseId), origin));
  handle("case:list", CaseList, data.role === "manager" || atEscalation, async (desk, input) => (await desk.cases.list(data.hallId, input.state)).map((c) => desk.view(hall(), c, origin)));
  handle("case:public", z.strictObject({}), data.role === "case", async (desk) => {
    const found = await desk.cases.getByKey(data.hallId, data.caseKey!);
    if (!found) throw new HallCallError("UNKNOWN_CASE");
    return desk.publicView(hall(), found);
  });
}

/**
 * A booking checked in at the kiosk or in the console, answered like a command: with the
 * ticket's `ticket:issued` event (the first one's, for a booking checked in before).
 */
async function checkIn(ctx: HallContext, desk: BookingDesk | undefined, data: SocketData, raw: unknown): Promise<Ack<unknown>> {
  const started = performance.now();
  let outcome = "ok";
  try {
    const parsed = AppointmentCheckIn.safeParse(raw);
    if (!parsed.success) {
      outcome = "VALIDATION";
      return { ok: false, error: toHallError(parsed.error, ctx.log, "appointment:checkIn") };
    }
    if (data.role !== "kiosk" && data.role !== "manager") {
      outcome = "FORBIDDEN";
      return fail("FORBIDDEN", `A ${data.role} may not send appointment:checkIn.`);
    }
    if (!desk) {
      outcome = "RECORDS_UNAVAILABLE";
      return fail("RECORDS_UNAVAILABLE");
    }
    const hall = ctx.halls.get(data.hallId)!;
    const done = await desk.checkIn(hall, parsed.data.code, { priority: parsed.data.priority, actor: ACTOR[data.role], staffId: data.staffId, device: data.device });
    return ok(await desk.issuedEvent(hall, done));
  } catch (err) {
    const error = toHallError(err, ctx.log, "appointment:checkIn");
    outcome = error.code;
    return { ok: false, error };
  } finally {
    ctx.metrics.commandLatency.observe({ command: "appointment:checkIn", outcome }, (performance.now() - started) / 1000);
  }
}

/** The full name of the booked citizen at a window: for the counter signed in there only (a manager sees names masked, like everyone else). */
async function ticketHolder(ctx: HallContext, desk: BookingDesk | undefined, data: SocketData, raw: unknown): Promise<Ack<unknown>> {
  const parsed = TicketHolderRequest.safeParse(raw);
  if (!parsed.success) return { ok: false, error: toHallError(parsed.error, ctx.log, "ticket:holder") };
  const { windowId } = parsed.data;
  if (!(data.role === "counter" && data.windowId === windowId)) return fail("FORBIDDEN", "Only the counter at this window sees the full name of the citizen it serves.");
  if (!desk) return fail("RECORDS_UNAVAILABLE");
  return ok(await desk.holder(ctx.halls.get(data.hallId)!, windowId));
}

/** The verified session of each staff connection, kept from its handshake. */
const sessions = new WeakMap<HallSocket, StaffSession>();

/** Why a staff session no longer holds (expired, signed out, account or role gone), or null while it does. */
async function sessionEnded(ctx: HallContext, hallId: string, session: StaffSession): Promise<HallError | null> {
  const holds = await sessionHolds(ctx.halls.get(hallId)!, session, ctx.clock.now(), ctx.sessions);
  return holds.ok ? null : new HallCallError(holds.code, holds.message).toJSON();
}

/** Tell the page why, then close: it signs in again rather than reconnecting with the same token. */
function endSession(socket: HallSocket, error: HallError): void {
  socket.emit("session:ended", error);
  socket.disconnect(true);
}

/** Close a staff connection when its session expires, not only at its next command. */
function endOnExpiry(socket: HallSocket, ctx: HallContext, session: StaffSession): void {
  const MAX_TIMER_MS = 2 ** 31 - 1;
  const timer = setTimeout(() => endSession(socket, new HallCallError("SESSION_ENDED", "The sign-in has expired; sign in again.").toJSON()), Math.min(MAX_TIMER_MS, Math.max(0, session.exp - ctx.clock.now())));
  timer.unref?.();
  socket.on("disconnect", () => clearTimeout(timer));
}

const isPlainObject = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);
const ok = <T>(data: T): Ack<T> => ({ ok: true, data });

/**
 * Listens for one request and answers it. Socket.IO passes whatever the client sent: the ack is
 * the last argument when it is a function, the payload the one before it. A call without an ack
 * cannot be answered, so it is not carried out either (a command must never act unanswered); a
 * call with more than one payload argument is refused. Whatever the handler throws is answered.
 */
function answer(socket: HallSocket, ctx: HallContext, name: string, handle: (payload: unknown) => Promise<Ack<unknown>>): void {
  (socket as unknown as Socket).on(name, (...args: unknown[]) => {
    const ack = args.at(-1);
    if (typeof ack !== "function") return;
    const reply = ack as (res: Ack<unknown>) => void;
    const given = args.slice(0, -1);
    if (given.length > 1) return reply(fail("VALIDATION", `${name} takes one payload and an ack callback.`));
    handle(given[0]).then(reply, (err: unknown) => reply({ ok: false, error: toHallError(err, ctx.log, name) }));
  });
}

function fail(code: ConstructorParameters<typeof HallCallError>[0], message?: string): Ack<never> {
  return { ok: false, error: new HallCallError(code, message).toJSON() };
}

async function handleCommand(ctx: HallContext, data: SocketData, name: CommandName, raw: unknown): Promise<Ack<unknown>> {
  const started = performance.now();
  let outcome = "ok";
  try {
    const parsed = CommandSchemas[name].safeParse(raw);
    if (!parsed.success) {
      outcome = "VALIDATION";
      return { ok: false, error: toHallError(parsed.error, ctx.log, name) };
    }
    const payload = parsed.data as { windowId?: string; ticketId?: string; channel?: string };
    if (!authorised(name, data, payload)) {
      outcome = "FORBIDDEN";
      return fail("FORBIDDEN", `A ${data.role} may not send ${name}${payload.windowId ? ` for window ${payload.windowId}` : ""}.`);
    }
    const event = await ctx.run(data.hallId, { name, payload } as WireCommand, ACTOR[data.role], data.staffId, data.device);
    return { ok: true, data: event };
  } catch (err) {
    const error = toHallError(err, ctx.log, name);
    outcome = error.code;
    return { ok: false, error };
  } finally {
    ctx.metrics.commandLatency.observe({ command: name, outcome }, (performance.now() - started) / 1000);
  }
}
