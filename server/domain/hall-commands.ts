/**
 * Commands as the store receives them: the validated wire payloads plus the few commands only the
 * server itself issues (a counter signing in, the balancer suggesting, a new day). `by` says who acted.
 */
import type { Bilingual, CommandName, CommandPayload, HallEvent, Rating } from "../../protocol/index.js";

export type Actor = "staff" | "manager" | "balancer" | "kiosk" | "citizen" | "pad" | "display" | "system";

export type WireCommand = { [N in CommandName]: { name: N; payload: CommandPayload<N> } }[CommandName];

export type ServerCommand =
  | { name: "window:signIn"; payload: { windowId: string; staffId: string } }
  | { name: "balancer:suggest"; payload: { commandId?: string; suggestionId: string; windowId: string; serving: string[]; reason: Bilingual } }
  /** The balancer in auto mode (or an approved suggestion) changes what a window serves. */
  | { name: "balancer:apply"; payload: { commandId?: string; windowId: string; serving: string[]; reason: Bilingual } }
  /** A new business day, decided on the clock: at the hall's local midnight, or before the first command after it. */
  | { name: "hall:startDay"; payload: { commandId?: string } }
  /** A booking checked in (at the kiosk or by REST): the server read it from the bookings store; the domain decides its ticket. */
  | { name: "ticket:checkIn"; payload: { commandId: string; priority: string; booking: CheckInBooking } }
  /** A 一件事 bundle's whole matter (整件事), rated from the tracker link (the late-rating route) once every step is done. */
  | { name: "ticket:rateWhole"; payload: { commandId: string; ticketId: string; rating: Rating } };

/** What the domain needs of a booking to check it in. */
export interface CheckInBooking {
  id: string;
  serviceId: string;
  /** Business date and hall-local slot start "HH:MM". */
  date: string;
  slot: string;
  /** Masked (张*). */
  name: string;
}

export type StoreCommand = WireCommand | ServerCommand;

export interface CommandContext {
  now: number;
  by: Actor;
  /** Staff member acting, when a person signed in acts. */
  staffId: string | null;
  /** The device acting (its configured name), when a kiosk, pad or display acts. */
  device?: string | null;
  /** Fresh unguessable id, used when the command issues a ticket. */
  newTicketId?: string;
  /** Expected wait to print on a ticket being issued, seconds (from the hall's latest forecast). */
  issueEtaSec?: number | null;
}

/** An event before the store stamps it with hall, sequence number, epoch, time and actor. */
export type EventBody = HallEvent extends infer E ? (E extends HallEvent ? Omit<E, "hallId" | "seq" | "epoch" | "at" | "actor"> : never) : never;

/** Who an event of this command is by: the staff member, or the device, or nobody named. */
export const actorOf = (ctx: Pick<CommandContext, "by" | "staffId" | "device">): { kind: Actor; id: string | null } => ({ kind: ctx.by, id: ctx.staffId ?? ctx.device ?? null });

export const commandIdOf = (cmd: StoreCommand): string | undefined => (cmd.payload as { commandId?: string }).commandId;
