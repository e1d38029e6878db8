/**
 * HTTP routes: staff sign-in and sign-out, tickets for phones, ticket lookup by its unguessable
 * id, the hall snapshot for staff and devices, health and metrics; the reports
 * (reports-rest.ts), bookings and hours (appointments-rest.ts) are mounted inside. Every error is JSON
 * `{ok: false, error: {code, message}}` with a 4xx (5xx only for the server's own faults); every
 * /api answer is `Cache-Control: no-store`; every /api route is rate-limited (rate-limit.ts).
 */
import express, { type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import { CommandId, CommandSchemas, HallCallError, Id, type ErrorCode, type HallError } from "../../protocol/index.js";
import { businessDate, instantOf } from "../domain/clock.js";
import type { HallConfig } from "../domain/config.js";
import { serviceInfos } from "../domain/hall.js";
import type { StaffingAdvice } from "../domain/staffing.js";
import type { Logger } from "../log.js";
import { authenticateStaff, findDevice, sessionHolds, type StaffSession } from "./auth.js";
import type { HallContext } from "./context.js";
import { toHallError } from "./hall-error.js";
import { addressKey, RateLimited, type RestGuard } from "./rate-limit.js";
import type { RecordsStore } from "../records/records-store.js";
import { mountReports } from "./reports-rest.js";
import { mountAudit } from "./audit-rest.js";
import type { BookingStore } from "../records/bookings.js";
import { mountAppointments } from "./appointments-rest.js";
import { mountFollowUps } from "./follow-ups-rest.js";
import type { BookingDesk } from "./booking-desk.js";
import type { LiveHours } from "./hours.js";
import { mountWebhooks } from "./webhooks-rest.js";
import { mountCases } from "./cases-rest.js";
import type { CaseDesk } from "./case-desk.js";

const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  UNKNOWN_PRIORITY: 400,
  UNAUTHORIZED: 401,
  SESSION_ENDED: 401,
  FORBIDDEN: 403,
  UNKNOWN_HALL: 404,
  UNKNOWN_TICKET: 404,
  UNKNOWN_SERVICE: 404,
  UNKNOWN_WINDOW: 404,
  NOT_FOUND: 404,
  UNKNOWN_BOOKING: 404,
  UNKNOWN_FOLLOW_UP: 404,
  BOOKING_BLOCKED: 403,
  SLOT_FULL: 409,
  BOOKING_CLOSED: 409,
  DUPLICATE_BOOKING: 409,
  BOOKING_ENDED: 409,
  CHECK_IN_TOO_EARLY: 409,
  CHECK_IN_TOO_LATE: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  STORE_UNAVAILABLE: 503,
  RECORDS_UNAVAILABLE: 503,
  UNKNOWN_DELIVERY: 404,
  DELIVERY_NOT_FAILED: 409,
  UNKNOWN_CASE: 404,
  CASE_CLOSED: 409,
  NOT_ESCALATION: 409,
};

const statusOf = (code: ErrorCode) => STATUS[code] ?? 409;

const Login = z.object({ staffId: Id, password: z.string().min(1).max(200) });

/**
 * A phone's ticket. The server sets its channel ("mobile") and its priority is "normal": priority
 * classes (disabled, pregnant, …) are checked by staff at the counter, never declared on a phone.
 * Both are refused rather than ignored, so a client that sends them learns so.
 */
const MobileIssue = z.strictObject({
  commandId: CommandId,
  serviceId: Id,
  /** A random id the phone page keeps (localStorage): the daily cap of tickets per phone counts it. */
  deviceId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "16 to 64 letters, digits, _ or -"),
  priority: z.literal("normal", { error: 'a phone ticket is "normal"; priority classes are verified by staff at the counter' }).optional(),
  then: z.array(Id).max(10).default([]),
  channel: z.never({ error: "the server sets a phone ticket's channel" }).optional(),
});

export interface RestOptions {
  sessionHours: number;
  ready: () => Promise<void>;
  publicUrl?: string;
  /** Staffing advice of a hall for the next hour. */
  staffing: (hallId: string) => Promise<StaffingAdvice[]>;
  /** The rate limits and daily caps. */
  guard: RestGuard;
  /** The hall's records, for the reports routes (none without). */
  records?: RecordsStore;
  /** Bookings and their check-in, and the live hours; without records, the booking routes answer RECORDS_UNAVAILABLE. */
  bookings?: BookingStore;
  desk?: BookingDesk;
  hours?: LiveHours;
  /** A failed webhook delivery was resent (the sender sends it soon). */
  webhookResent?: (hallId: string) => void;
  /** Cases (工单), with the records. */
  cases?: CaseDesk;
}

export function restRouter(ctx: HallContext, opts: RestOptions): express.Router {
  const r = express.Router();
  const { guard } = opts;

  // Before any route: a path that is not valid percent-encoding is the client's mistake, not a
  // server fault (express would raise it as a URIError while matching route parameters).
  r.use((req, res, next) => {
    try {
      decodeURIComponent(req.path);
    } catch {
      res.set("Cache-Control", "no-store");
      return void sendError(res, 400, { code: "VALIDATION", message: "The URL is not valid percent-encoding." });
    }
    next();
  });

  r.use("/api", (_req, res, next) => {
    // Tickets, tokens and snapshots are nobody else's: no proxy or browser cache keeps them.
    res.set("Cache-Control", "no-store");
    next();
  });

  // Counted before the body is read, so a flood costs as little as possible.
  r.use("/api", async (req, _res, next) => {
    const named = /^\/halls\/([^/]+)/.exec(req.path)?.[1];
    const hallId = named === undefined ? null : decodeURIComponent(named);
    // Only a hall that exists is counted: made-up hall ids would each open a count of their own.
    await guard.api(addressOf(req), hallId !== null && ctx.halls.has(hallId) ? hallId : null);
    next();
  });

  r.use("/api", express.json({ limit: "16kb" }));

  const hallOf = (req: Request): HallConfig => {
    const hall = ctx.halls.get(String(req.params.hallId));
    if (!hall) throw new HallCallError("UNKNOWN_HALL", `No hall "${req.params.hallId}".`);
    return hall;
  };

  /** The signed-in staff member of a request, for this hall, still current and not signed out. */
  const staffOf = async (req: Request, hall: HallConfig): Promise<StaffSession> => {
    const token = credential(req, "Bearer");
    if (!token) throw new HallCallError("UNAUTHORIZED", "Sign in first: send Authorization: Bearer <token>.");
    const now = ctx.clock.now();
    const session = ctx.signer.verify(token, now);
    if (!session) throw new HallCallError("UNAUTHORIZED", "The session token is invalid or expired; sign in again.");
    if (session.hallId !== hall.id) throw new HallCallError("FORBIDDEN", "This sign-in is for another hall.");
    const holds = await sessionHolds(hall, session, now, ctx.sessions);
    if (!holds.ok) throw new HallCallError(holds.code, holds.message);
    return session;
  };

  r.get("/healthz", async (_req, res) => {
    try {
      await opts.ready();
      res.json({ ok: true, store: ctx.store.kind });
    } catch (err) {
      ctx.log.warn("health check failed", err);
      res.status(503).json({ ok: false, store: ctx.store.kind });
    }
  });

  r.get("/metrics", async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });

  r.get("/api/halls", (_req, res) => {
    res.json({
      /** Where phones reach this server (QR codes on tickets); null: use the page's own origin. */
      publicUrl: opts.publicUrl ?? null,
      halls: [...ctx.halls.values()].map((h) => ({
        id: h.id,
        name: h.name,
        devices: h.publicDevices ? h.devices.map((d) => ({ token: d.token, role: d.role, windowId: d.windowId ?? null, name: d.name })) : [],
      })),
    });
  });

  r.post("/api/halls/:hallId/login", async (req, res) => {
    const hall = hallOf(req);
    const body = Login.parse(req.body);
    const attempt = await guard.loginAttempt(addressOf(req), hall.id, body.staffId);
    const staff = await authenticateStaff(hall, body.staffId, body.password);
    if (!staff) throw new HallCallError("UNAUTHORIZED", "Wrong staff id or password.");
    await attempt.succeeded();
    const token = ctx.signer.sign({ hallId: hall.id, staffId: staff.id, roles: staff.roles, exp: ctx.clock.now() + opts.sessionHours * 3600_000 });
    res.json({ token, staff: { id: staff.id, name: staff.name, roles: staff.roles } });
  });

  /** Signing out revokes the token on every node until it would have expired. Repeating it is harmless. */
  r.post("/api/halls/:hallId/logout", async (req, res) => {
    const hall = hallOf(req);
    const token = credential(req, "Bearer");
    if (!token) throw new HallCallError("UNAUTHORIZED", "Send the session to end: Authorization: Bearer <token>.");
    const session = ctx.signer.verify(token, ctx.clock.now());
    if (!session) throw new HallCallError("UNAUTHORIZED", "The session token is invalid or expired.");
    if (session.hallId !== hall.id) throw new HallCallError("FORBIDDEN", "This sign-in is for another hall.");
    await ctx.sessions.revoke(session.sid, session.exp);
    res.status(204).end();
  });

  r.post("/api/halls/:hallId/tickets", async (req, res) => {
    const hall = hallOf(req);
    const body = MobileIssue.parse(req.body);
    const address = addressOf(req);
    await guard.ticketRequest(address, hall.id);
    const now = ctx.clock.now();
    const date = businessDate(now, hall.timezone);
    const claim = await guard.claimTicket({ hallId: hall.id, date, deviceId: body.deviceId, address, commandId: body.commandId, untilNextDayMs: nextDayStart(date, hall.timezone) - now });
    const payload = CommandSchemas["ticket:issue"].parse({ commandId: body.commandId, serviceId: body.serviceId, then: body.then });
    let event;
    try {
      event = await ctx.run(hall.id, { name: "ticket:issue", payload: { ...payload, channel: "mobile" } }, "citizen", null);
    } catch (err) {
      // A refusal issued nothing: the phone keeps its places. A store past its deadline may still
      // have issued it, and the retry with the same commandId is not counted again.
      const mayHaveIssued = err instanceof HallCallError && err.code === "STORE_UNAVAILABLE";
      if (claim && !mayHaveIssued) await claim.release();
      throw err;
    }
    if (event.type !== "ticket:issued") throw new HallCallError("INTERNAL");
    res.status(201).json({ ticket: event.ticket, seq: event.seq, trackPath: `/track/?hall=${encodeURIComponent(hall.id)}&ticket=${encodeURIComponent(event.ticket.id)}` });
  });

  /** Public by design: the ticket's unguessable id is the credential (it is on the printed ticket's QR code). */
  r.get("/api/halls/:hallId/tickets/:ticketId", async (req, res) => {
    const hall = hallOf(req);
    const ticket = await ctx.store.ticket(hall.id, String(req.params.ticketId).slice(0, 64));
    if (!ticket) throw new HallCallError("UNKNOWN_TICKET", "No such ticket today.");
    res.json({ ticket });
  });

  /** What a phone needs to name things: no tickets, so a page never downloads others' ticket ids. */
  r.get("/api/halls/:hallId/info", (req, res) => {
    const hall = hallOf(req);
    res.json({
      id: hall.id,
      name: hall.name,
      timezone: hall.timezone,
      services: serviceInfos(hall),
      priorityClasses: hall.priorityClasses,
      windows: hall.windows.map((w) => ({ id: w.id, label: w.label })),
      /** The counter's 开工单 dialog offers these (names and deadlines only, nothing private). */
      caseCategories: hall.cases.categories,
    });
  });

  r.get("/api/halls/:hallId/staffing", async (req, res) => {
    const hall = hallOf(req);
    const session = await staffOf(req, hall);
    if (!session.roles.includes("manager")) throw new HallCallError("FORBIDDEN", "Staffing advice is for hall managers.");
    const advice = await opts.staffing(hall.id);
    res.json({
      at: ctx.clock.now(),
      services: advice.map((a) => ({ ...a, meanServiceMin: a.serviceMin, windowsNeeded: a.needed, windowsServing: a.servingNow })),
    });
  });

  /**
   * Every live ticket with its id (the tracker's credential), priority, park reasons, staff and
   * ratings: for the hall's staff (Bearer) and devices (`Authorization: Device <token>`) only.
   */
  r.get("/api/halls/:hallId/snapshot", async (req, res) => {
    const hall = hallOf(req);
    const deviceToken = credential(req, "Device");
    if (deviceToken !== null) {
      if (!findDevice(hall, deviceToken)) throw new HallCallError("UNAUTHORIZED", "Unknown device token for this hall.");
    } else {
      await staffOf(req, hall);
    }
    res.json(await ctx.store.snapshot(hall.id));
  });

  if (opts.records) mountReports(r, { records: opts.records, hallOf, staffOf, now: () => ctx.clock.now() });
  if (opts.records) mountAudit(r, { records: opts.records, hallOf, staffOf });
  if (opts.records) mountWebhooks(r, { outbox: opts.records.webhooks, clock: ctx.clock, hallOf, staffOf, resent: opts.webhookResent });
  mountFollowUps(r, { ctx, records: opts.records ?? null, hallOf, staffOf });
  if (opts.cases) mountCases(r, { desk: opts.cases, publicUrl: opts.publicUrl, hallOf, staffOf });
  mountAppointments(r, { ctx, bookings: opts.bookings ?? null, desk: opts.desk ?? null, hours: opts.hours ?? null, guard, publicUrl: opts.publicUrl, hallOf, staffOf, addressOf });

  r.use("/api", () => {
    throw new HallCallError("NOT_FOUND", "No such API route.");
  });

  r.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const [status, error] = httpError(err, ctx.log);
    if (err instanceof RateLimited) res.set("Retry-After", String(err.retryAfterSec));
    sendError(res, status, error);
  });
  return r;
}

function sendError(res: Response, status: number, error: HallError): void {
  if (status === 401) res.set("WWW-Authenticate", 'Bearer realm="HallCall"');
  res.status(status).json({ ok: false, error });
}

/** What a thrown error answers: a refusal with its status, the client's own HTTP mistakes as 4xx without a log, anything else INTERNAL (logged). */
function httpError(err: unknown, log: Logger): [number, HallError] {
  if (err instanceof URIError) return [400, { code: "VALIDATION", message: "The URL is not valid percent-encoding." }];
  const type = (err as { type?: unknown } | null)?.type;
  if (err instanceof SyntaxError || type === "entity.parse.failed") return [400, { code: "VALIDATION", message: "The body is not valid JSON." }];
  if (type === "entity.too.large") return [413, { code: "VALIDATION", message: "The body is too large." }];
  // body-parser's and the router's other client errors (unsupported charset, aborted body, undecodable parameter).
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === "number" && status >= 400 && status < 500 && !(err instanceof HallCallError)) {
    return [status, { code: "VALIDATION", message: (err as { expose?: unknown }).expose === true && err instanceof Error ? err.message : "Bad request." }];
  }
  const error = toHallError(err, log, "HTTP request");
  return [statusOf(error.code), error];
}

/** `Authorization: <scheme> <credential>`: the credential, or null when the header names another scheme or none. */
function credential(req: Request, scheme: "Bearer" | "Device"): string | null {
  const m = /^(\S+) +(\S+)$/.exec(req.get("authorization") ?? "");
  return m && m[1]!.toLowerCase() === scheme.toLowerCase() ? m[2]! : null;
}

/** The client's address as express sees it (from X-Forwarded-For only when `trust proxy` says so), as a limit key. */
const addressOf = (req: Request) => addressKey(req.ip ?? req.socket.remoteAddress);

/** When the hall's next business day starts, ms since epoch. */
function nextDayStart(date: string, timezone: string): number {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return instantOf(next, "00:00", timezone);
}
