/**
 * The audit trail (GET /api/halls/:hallId/audit, manager): who did what in the hall, newest
 * first, from the records. Each entry is one logged event (or one change of the hall's hours) in
 * a manager's words; server/domain/audit.ts decides its kind and summary.
 */
import { z } from "zod";
import { CalendarDate } from "./hours.js";
import { Bilingual, EventActor } from "./schemas.js";

/**
 * What a manager filters by: `window` (opened, paused, resumed, closed, servingChanged, signedIn),
 * `callTicket` (指定叫号: a call out of turn), `ticket` (every other step of a ticket), `balancer`
 * (its mode, suggestions and their outcome), `day` (a new business day), `hours` (the calendar
 * and schedules, as edited in the console).
 */
export const AuditKind = z.enum(["window", "callTicket", "ticket", "balancer", "day", "hours"]);
export type AuditKind = z.infer<typeof AuditKind>;

export const ACTOR_KINDS = EventActor.shape.kind.options;

/** A month at most per request: a busy hall logs a few thousand events a day, and the answer is paged anyway. */
export const MAX_AUDIT_DAYS = 31;
export const DEFAULT_AUDIT_LIMIT = 200;
export const MAX_AUDIT_LIMIT = 1000;

/**
 * Where a page ended: the last entry's place in the trail's order (newest first: time, then a
 * change of hours before the events of the same millisecond, then seq and epoch). Opaque to clients.
 */
export const AuditPosition = z.object({
  at: z.number().int(),
  /** `h`: a change of the hours (seq is its version); `e`: an event. */
  src: z.enum(["h", "e"]),
  seq: z.number().int(),
  epoch: z.string().max(100),
});
export type AuditPosition = z.infer<typeof AuditPosition>;

export const encodeAuditCursor = (p: AuditPosition): string => btoa(JSON.stringify([p.at, p.src, p.seq, p.epoch])).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** The `before` parameter: a cursor the previous page answered, decoded; anything else is refused. */
export const AuditCursor = z
  .string()
  .max(300)
  .regex(/^[A-Za-z0-9_-]+$/, "a cursor from the previous page's `next`")
  .transform((s, ctx) => {
    try {
      const [at, src, seq, epoch] = JSON.parse(atob(s.replace(/-/g, "+").replace(/_/g, "/"))) as unknown[];
      const parsed = AuditPosition.safeParse({ at, src, seq, epoch });
      if (parsed.success) return parsed.data;
    } catch {
      // Not base64 or not JSON: refused below like any other cursor that is not one.
    }
    ctx.addIssue({ code: "custom", message: "not a cursor of this trail" });
    return z.NEVER;
  });

/**
 * The query. `actor`: an actor kind (`staff`, `manager`, `kiosk`, `pad`, `display`, `balancer`,
 * `citizen`, `system`) or an actor's id (a staff id, a device's name). from..to are the hall's
 * business dates, inclusive.
 */
export const AuditQuery = z
  .strictObject({
    from: CalendarDate,
    to: CalendarDate,
    actor: z.string().trim().min(1).max(64).optional(),
    kind: AuditKind.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_AUDIT_LIMIT).default(DEFAULT_AUDIT_LIMIT),
    before: AuditCursor.optional(),
  })
  .refine((q) => q.from <= q.to, { message: "from must not be after to" })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_AUDIT_DAYS, { message: `at most ${MAX_AUDIT_DAYS} days` });
export type AuditQuery = z.infer<typeof AuditQuery>;

/** A detail of an entry: ids, numbers, flags and bilingual reasons; never a citizen's name or phone. */
export const AuditDetail = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string()), Bilingual]);
export type AuditDetail = z.infer<typeof AuditDetail>;

export const AuditEntry = z.object({
  at: z.number(),
  businessDate: CalendarDate,
  kind: AuditKind,
  /** Null for events logged before events named their actor. */
  actor: EventActor.nullable(),
  summary: Bilingual,
  windowId: z.string().optional(),
  ticketNumber: z.string().optional(),
  /** What the event was (`type`, `change`, …) and its facts, by name. */
  details: z.record(z.string(), AuditDetail),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = z.object({
  entries: z.array(AuditEntry),
  /** Pass as `before` for the next (older) page; null when this page is the last. */
  next: z.string().nullable(),
});
export type AuditPage = z.infer<typeof AuditPage>;
