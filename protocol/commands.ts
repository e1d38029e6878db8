/**
 * Commands a client sends (present tense, `entity:verb`) and the notifications the server pushes
 * (past tense). Both Socket.IO event maps are derived from here, so server and clients share them.
 */
import { z } from "zod";
import type { HallError } from "./errors.js";
import type { TicketHolder } from "./appointments.js";
import type { CaseChanged, CaseClose, CaseGet, CaseList, CaseOpen, CaseUpdate, CaseUpdated, CaseView, PublicCase } from "./cases.js";
import {
  BalancerMode,
  Channel,
  CommandId,
  HallEvent,
  HallSnapshot,
  Id,
  QueueSummary,
  Rating,
  Ticket,
} from "./schemas.js";
import { OneLineText } from "./text.js";

const Mutating = { commandId: CommandId };
const AtWindow = { ...Mutating, windowId: Id };
/** Free text shown on screens: one line, hidden and bidi characters stripped (protocol/text.ts). */
const Reason = OneLineText(200);
const MissingDoc = OneLineText(100);

export const CommandSchemas = {
  "ticket:issue": z.object({
    ...Mutating,
    serviceId: Id,
    priority: Id.default("normal"),
    /** Kiosks always issue as "kiosk"; staff as "staff"; REST as "mobile". "appointment" tickets come only from a check-in (appointment:checkIn). */
    channel: Channel.optional(),
    /** 一件事: the services after `serviceId`, in order. */
    then: z.array(Id).max(10).default([]),
  }),
  "window:callNext": z.object(AtWindow),
  "window:recall": z.object(AtWindow),
  "ticket:start": z.object(AtWindow),
  "ticket:finish": z.object(AtWindow),
  "ticket:noShow": z.object(AtWindow),
  "ticket:park": z.object({ ...AtWindow, reason: Reason, missingDocs: z.array(MissingDoc).max(20).default([]) }),
  "ticket:resume": z.object({ ...Mutating, ticketId: z.string().min(1).max(64) }),
  /** The window's current ticket (or, for a manager, `ticketId`) moves to a service and/or one window. */
  "ticket:transfer": z
    .object({
      ...Mutating,
      windowId: Id.optional(),
      ticketId: z.string().min(1).max(64).optional(),
      toServiceId: Id.optional(),
      toWindowId: Id.optional(),
    })
    .refine((p) => p.toServiceId || p.toWindowId, { message: "toServiceId or toWindowId is required" })
    .refine((p) => p.windowId || p.ticketId, { message: "windowId or ticketId is required" }),
  "ticket:cancel": z.object({ ...Mutating, ticketId: z.string().min(1).max(64) }),
  /**
   * 好差评 at the window's pad: a ticket of one service finished here, or the step of a bundle that
   * ended here (`step`, as the pad asked; without it, the latest this window served).
   */
  "ticket:rate": z.object({ ...AtWindow, ticketId: z.string().min(1).max(64), rating: Rating, step: z.number().int().min(0).max(10).optional() }),
  "window:open": z.object(AtWindow),
  "window:pause": z.object({ ...AtWindow, reason: Reason }),
  "window:resume": z.object(AtWindow),
  "window:close": z.object(AtWindow),
  "window:setServing": z.object({ ...AtWindow, serving: z.array(Id).min(1).max(20) }),
  "balancer:setMode": z.object({ ...Mutating, mode: BalancerMode }),
  "balancer:decide": z.object({ ...Mutating, suggestionId: z.string().min(1).max(64), approve: z.boolean() }),
  /** 指定叫号: call one waiting ticket out of turn (a booked citizen who is present, one the manager names), with the reason. */
  "window:callTicket": z.object({ ...AtWindow, ticketId: z.string().min(1).max(64), reason: Reason }),
} as const;

/** The letters and digits of booking codes: none that a citizen mistakes for another (0/O, 1/I/L). */
export const BOOKING_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/**
 * A booking's code as the citizen holds it (printed, in the QR's link): the credential to its
 * booking. Typed in lower case it is the same code.
 */
export const BookingCode = z
  .string()
  .regex(/^[A-Za-z0-9]{8,32}$/, "a booking code: 8 to 32 letters and digits")
  .transform((code) => code.toUpperCase());

/**
 * Check in a booking at the kiosk (the code typed or scanned). Not a store command: the server
 * reads the booking, then the domain decides the ticket (it answers like ticket:issue).
 */
export const AppointmentCheckIn = z.object({ ...Mutating, code: BookingCode, priority: Id.default("normal") });
export type AppointmentCheckIn = z.input<typeof AppointmentCheckIn>;

export type CommandName = keyof typeof CommandSchemas;
export type CommandPayload<N extends CommandName> = z.output<(typeof CommandSchemas)[N]>;
export type CommandInput<N extends CommandName> = z.input<(typeof CommandSchemas)[N]>;
export const COMMAND_NAMES = Object.keys(CommandSchemas) as CommandName[];

/** Ack of every command: the data, or an error a client can act on. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: HallError };

/** What a mutating command returns: the event it caused (the ticket/window are in it). */
export type CommandResult = HallEvent;

export interface ClientToServerEvents {
  "hall:snapshot": (payload: Record<string, never>, ack: (res: Ack<HallSnapshot>) => void) => void;
  "ticket:get": (payload: { ticketId: string }, ack: (res: Ack<Ticket>) => void) => void;
  "ticket:issue": (payload: CommandInput<"ticket:issue">, ack: (res: Ack<CommandResult>) => void) => void;
  "window:callNext": (payload: CommandInput<"window:callNext">, ack: (res: Ack<CommandResult>) => void) => void;
  "window:recall": (payload: CommandInput<"window:recall">, ack: (res: Ack<CommandResult>) => void) => void;
  "ticket:start": (payload: CommandInput<"ticket:start">, ack: (res: Ack<CommandResult>) => void) => void;
  "ticket:finish": (payload: CommandInput<"ticket:finish">, ack: (res: Ack<CommandResult>) => void) => void;
  "ticket:noShow": (payload: CommandInput<"ticket:noShow">, ack: (res: Ack<CommandResult>) => void) => void;
  "ticket:park": (payload: CommandInput<"ticket:park">, ack: (res: Ack<CommandResult>) => void) => void;
  "ticket:resume": (payload: CommandInput<"ticket:resume">, ack: (res: Ack<CommandResult>) => void) => void;
  "ticket:transfer": (payload: CommandInput<"ticket:transfer">, ack: (res: Ack<CommandResult>) => void) => void;
  "ticket:cancel": (payload: CommandInput<"ticket:cancel">, ack: (res: Ack<CommandResult>) => void) => void;
  "ticket:rate": (payload: CommandInput<"ticket:rate">, ack: (res: Ack<CommandResult>) => void) => void;
  "window:open": (payload: CommandInput<"window:open">, ack: (res: Ack<CommandResult>) => void) => void;
  "window:pause": (payload: CommandInput<"window:pause">, ack: (res: Ack<CommandResult>) => void) => void;
  "window:resume": (payload: CommandInput<"window:resume">, ack: (res: Ack<CommandResult>) => void) => void;
  "window:close": (payload: CommandInput<"window:close">, ack: (res: Ack<CommandResult>) => void) => void;
  "window:setServing": (payload: CommandInput<"window:setServing">, ack: (res: Ack<CommandResult>) => void) => void;
  "balancer:setMode": (payload: CommandInput<"balancer:setMode">, ack: (res: Ack<CommandResult>) => void) => void;
  "balancer:decide": (payload: CommandInput<"balancer:decide">, ack: (res: Ack<CommandResult>) => void) => void;
  "window:callTicket": (payload: CommandInput<"window:callTicket">, ack: (res: Ack<CommandResult>) => void) => void;
  "appointment:checkIn": (payload: AppointmentCheckIn, ack: (res: Ack<CommandResult>) => void) => void;
  /** The counter at a window: the full name of the booking whose ticket is at it (protocol/appointments.ts). */
  "ticket:holder": (payload: { windowId: string }, ack: (res: Ack<TicketHolder>) => void) => void;
  /** Cases (工单) of the 办不成事 window (protocol/cases.ts). */
  "case:open": (payload: CaseOpen, ack: (res: Ack<CaseView>) => void) => void;
  "case:update": (payload: CaseUpdate, ack: (res: Ack<CaseView>) => void) => void;
  "case:close": (payload: CaseClose, ack: (res: Ack<CaseView>) => void) => void;
  "case:get": (payload: CaseGet, ack: (res: Ack<CaseView>) => void) => void;
  "case:list": (payload: CaseList, ack: (res: Ack<CaseView[]>) => void) => void;
  /** The `case` role's one request: its case as the public page shows it. */
  "case:public": (payload: Record<string, never>, ack: (res: Ack<PublicCase>) => void) => void;
}

export interface ServerToClientEvents {
  /** Every hall event, in `seq` order, to the rooms that care. */
  "hall:event": (event: HallEvent) => void;
  /** Expected waits; throttled per hall. */
  "hall:queue": (summary: QueueSummary) => void;
  /**
   * A staff connection is about to be closed by the server: SESSION_ENDED (expired, signed out,
   * account or role removed) or SESSION_REPLACED (another sign-in took this window, or this staff
   * member signed in at another window). The page signs in again instead of reconnecting.
   */
  "session:ended": (error: HallError) => void;
  /** A case changed: to its public page (role `case`), which reads it again. */
  "case:updated": (update: CaseUpdated) => void;
  /** A case changed: its staff view, to the hall's managers and the counters at its escalation windows. */
  "case:changed": (change: CaseChanged) => void;
}

/** The role a connection authenticated as; decides what it may send and which rooms it joins. */
export type Role = "display" | "kiosk" | "pad" | "counter" | "manager" | "tracker" | "case";

export interface SocketData {
  hallId: string;
  role: Role;
  staffId: string | null;
  /** Counter: the window it is signed in to. Display/pad devices: the window they belong to, if any. */
  windowId: string | null;
  /** Tracker: the one ticket it follows. */
  ticketId: string | null;
  /** Case: the key of the one case (工单) it follows. */
  caseKey?: string | null;
  /** Display, kiosk and pad devices: the device's name, as the audit trail names it. */
  device: string | null;
}
