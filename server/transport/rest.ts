/**
 * HTTP routes: staff sign-in, tickets for the mobile/web channel, ticket lookup by its
 * unguessable id, the hall snapshot, health and metrics. Every error is JSON `{error:{code,message}}`.
 */
import express, { type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import { CommandId, CommandSchemas, HallCallError, Id, type ErrorCode } from "../../protocol/index.js";
import { serviceInfos } from "../domain/hall.js";
import type { StaffingAdvice } from "../domain/staffing.js";
import { authenticateStaff } from "./auth.js";
import type { HallContext } from "./context.js";
import { toHallError } from "./hall-error.js";

const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  UNKNOWN_HALL: 404,
  UNKNOWN_TICKET: 404,
  UNKNOWN_SERVICE: 404,
  UNKNOWN_WINDOW: 404,
  UNKNOWN_PRIORITY: 400,
  INTERNAL: 500,
};

const statusOf = (code: ErrorCode) => STATUS[code] ?? 409;

const Login = z.object({ staffId: Id, password: z.string().min(1).max(200) });
const MobileIssue = z.object({
  commandId: CommandId,
  serviceId: Id,
  priority: Id.default("normal"),
  then: z.array(Id).max(10).default([]),
  channel: z.enum(["mobile", "appointment"]).default("mobile"),
});

export interface RestOptions {
  sessionHours: number;
  ready: () => Promise<void>;
  publicUrl?: string;
  /** Staffing advice of a hall for the next hour. */
  staffing: (hallId: string) => Promise<StaffingAdvice[]>;
}

export function restRouter(ctx: HallContext, opts: RestOptions): express.Router {
  const r = express.Router();
  r.use(express.json({ limit: "16kb" }));

  const hallOf = (req: Request) => {
    const hall = ctx.halls.get(String(req.params.hallId));
    if (!hall) throw new HallCallError("UNKNOWN_HALL", `No hall "${req.params.hallId}".`);
    return hall;
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
    const staff = await authenticateStaff(hall, body.staffId, body.password);
    if (!staff) throw new HallCallError("UNAUTHORIZED", "Wrong staff id or password.");
    const token = ctx.signer.sign({ hallId: hall.id, staffId: staff.id, roles: staff.roles, exp: ctx.clock.now() + opts.sessionHours * 3600_000 });
    res.json({ token, staff: { id: staff.id, name: staff.name, roles: staff.roles } });
  });

  r.post("/api/halls/:hallId/tickets", async (req, res) => {
    const hall = hallOf(req);
    const body = MobileIssue.parse(req.body);
    const payload = CommandSchemas["ticket:issue"].parse(body);
    const event = await ctx.run(hall.id, { name: "ticket:issue", payload: { ...payload, channel: body.channel } }, "citizen", null);
    if (event.type !== "ticket:issued") throw new HallCallError("INTERNAL");
    res.status(201).json({ ticket: event.ticket, seq: event.seq, trackPath: `/track/?hall=${encodeURIComponent(hall.id)}&ticket=${encodeURIComponent(event.ticket.id)}` });
  });

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
    });
  });

  r.get("/api/halls/:hallId/staffing", async (req, res) => {
    const hall = hallOf(req);
    const token = /^Bearer (.+)$/.exec(req.get("authorization") ?? "")?.[1];
    const session = ctx.signer.verify(token, ctx.clock.now());
    if (!session || session.hallId !== hall.id) throw new HallCallError("UNAUTHORIZED", "Sign in as a manager first.");
    if (!session.roles.includes("manager")) throw new HallCallError("FORBIDDEN", "Staffing advice is for hall managers.");
    const advice = await opts.staffing(hall.id);
    res.json({
      at: ctx.clock.now(),
      services: advice.map((a) => ({ ...a, meanServiceMin: a.serviceMin, windowsNeeded: a.needed, windowsServing: a.servingNow })),
    });
  });

  r.get("/api/halls/:hallId/snapshot", async (req, res) => {
    const hall = hallOf(req);
    res.json(await ctx.store.snapshot(hall.id));
  });

  r.use("/api", (_req, res) => {
    res.status(404).json({ error: { code: "NOT_FOUND", message: "No such API route." } });
  });

  r.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof SyntaxError || (err as { type?: string }).type === "entity.parse.failed") {
      return res.status(400).json({ error: { code: "VALIDATION", message: "The body is not valid JSON." } });
    }
    if ((err as { type?: string }).type === "entity.too.large") {
      return res.status(413).json({ error: { code: "VALIDATION", message: "The body is too large." } });
    }
    const error = toHallError(err, ctx.log, "HTTP request");
    res.status(statusOf(error.code)).json({ error });
  });
  return r;
}
