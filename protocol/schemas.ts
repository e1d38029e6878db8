/**
 * The shapes every HallCall participant agrees on. Server and clients both import these zod
 * schemas: they validate at runtime and the TypeScript types are inferred from them, so a type
 * cannot drift from its check.
 */
import { z } from "zod";

export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, "letters, digits, _ . : - only");

/** Each hall is its own Socket.IO namespace: a client connects to `/hall/<hallId>`. */
export const hallNamespace = (hallId: string): string => `/hall/${hallId}`;
/** Every hall's namespace; the first group is the hall id. */
export const HALL_NAMESPACE = /^\/hall\/([A-Za-z0-9_.:-]{1,64})$/;
export const CommandId = z.string().min(8).max(80);
export const Bilingual = z.object({ zh: z.string().min(1), en: z.string().min(1) });
export type Bilingual = z.infer<typeof Bilingual>;

export const Channel = z.enum(["kiosk", "mobile", "staff", "appointment"]);
export type Channel = z.infer<typeof Channel>;

export const TicketState = z.enum(["waiting", "called", "serving", "finished", "noShow", "parked", "cancelled"]);
export type TicketState = z.infer<typeof TicketState>;
/** States after which a ticket never moves again. */
export const ENDED_STATES: readonly TicketState[] = ["finished", "noShow", "cancelled"];

/** 好差评: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意. */
export const Rating = z.number().int().min(1).max(5);
export type Rating = z.infer<typeof Rating>;
export const RATING_LABELS: Record<number, Bilingual> = {
  5: { zh: "非常满意", en: "Very satisfied" },
  4: { zh: "满意", en: "Satisfied" },
  3: { zh: "基本满意", en: "Fairly satisfied" },
  2: { zh: "不满意", en: "Dissatisfied" },
  1: { zh: "非常不满意", en: "Very dissatisfied" },
};

/** What a rating is of: one service event (a ticket of one service, a bundle's step) or a bundle's whole matter (整件事). */
export const RatingScope = z.enum(["service", "whole"]);
export type RatingScope = z.infer<typeof RatingScope>;

export const WindowState = z.enum(["open", "paused", "closed"]);
export type WindowState = z.infer<typeof WindowState>;

export const BalancerMode = z.enum(["off", "suggest", "auto"]);
export type BalancerMode = z.infer<typeof BalancerMode>;

/** What clients see of a service (no secrets live here). */
export const ServiceInfo = z.object({
  id: Id,
  prefix: z.string().regex(/^[A-Z]$/),
  name: Bilingual,
  targetWaitMin: z.number().positive(),
  dailyQuota: z.number().int().positive(),
  /**
   * Hall-local, "HH:MM": the earliest opening and latest closing of the service's week. Whether it
   * is open now, and when it next opens, are the queue summary's `availability` and `notice`.
   */
  opens: z.string(),
  closes: z.string(),
  /** Mean service time used before there is a measured one. */
  serviceMin: z.number().positive(),
});
export type ServiceInfo = z.infer<typeof ServiceInfo>;

export const PriorityClassInfo = z.object({
  id: Id,
  /** Higher rank is called first; `normal` is 0. */
  rank: z.number().int().min(0).max(9),
  name: Bilingual,
});
export type PriorityClassInfo = z.infer<typeof PriorityClassInfo>;

export const Window = z.object({
  id: Id,
  label: Bilingual,
  qualified: z.array(Id),
  /** Services this window calls from now, in preference order (first = primary). */
  serving: z.array(Id),
  state: WindowState,
  pauseReason: z.string().nullable(),
  /** Ticket currently called or in service here. */
  ticketId: z.string().nullable(),
  staffId: z.string().nullable(),
  servedToday: z.number().int(),
  /** Ticket most recently finished here, for the rating pad. */
  lastFinishedId: z.string().nullable(),
  escalation: z.boolean(),
  /**
   * How many events have carried this window since the hall began: each one carries the next
   * revision, so a screen that follows one window sees a skipped revision as a missed event.
   */
  rev: z.number().int().nonnegative(),
});
export type Window = z.infer<typeof Window>;

/** A ticket a booking (预约) became at check-in. */
export const TicketAppointment = z.object({
  /** The booking's id (not its code, which is the citizen's credential). */
  bookingId: z.string(),
  /** Hall-local slot start "HH:MM" and its instant, ms. */
  slot: z.string(),
  slotStart: z.number(),
  /** The citizen's name, masked (张*); the handling counter asks for the full one. Null once the retention rule erased it. */
  name: z.string().nullable(),
  /** Checked in within the early/late minutes: queued from its slot start. Else a walk-in from check-in. */
  onTime: z.boolean(),
});
export type TicketAppointment = z.infer<typeof TicketAppointment>;

/**
 * One step of a 一件事 bundle as it was served (a service event): the service finished, at which
 * window, by whom, and the rating the window's pad took for it as the step ended (null until
 * then, or never). A bundle's steps are rated one by one; the whole matter is `Ticket.rating`.
 */
export const ServedStep = z.object({
  /** Its place in `bundle`, from 0. */
  step: z.number().int().nonnegative(),
  serviceId: Id,
  windowId: z.string(),
  staffId: z.string().nullable(),
  endedAt: z.number(),
  rating: Rating.nullable(),
});
export type ServedStep = z.infer<typeof ServedStep>;

export const Ticket = z.object({
  id: z.string(),
  number: z.string(),
  serviceId: Id,
  priority: Id,
  channel: Channel,
  state: TicketState,
  businessDate: z.string(),
  issuedAt: z.number(),
  /** Original arrival; kept through park, transfer and bundle steps. Orders the queue. */
  arrivedAt: z.number(),
  /** When it last entered a queue (issue, resume, transfer, next bundle step): its wait counts from here. */
  queuedAt: z.number(),
  calledAt: z.number().nullable(),
  servingAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  windowId: z.string().nullable(),
  /** Set when transferred to one window: only that window may call it. */
  targetWindowId: z.string().nullable(),
  recalls: z.number().int(),
  /** 一件事: ordered services; `bundleStep` indexes the current one. Empty when not a bundle. */
  bundle: z.array(Id),
  bundleStep: z.number().int(),
  parkReason: z.string().nullable(),
  missingDocs: z.array(z.string()),
  /**
   * 好差评 of a ticket of one service (at the pad, or late from the tracker). For a bundle, the
   * whole matter's (整件事), given on the tracker once every step is done; its steps' ratings are
   * in `served`.
   */
  rating: Rating.nullable(),
  /** 一件事: the steps served so far, in order, each with its pad rating. Empty for a ticket of one service. */
  served: z.array(ServedStep).default([]),
  staffId: z.string().nullable(),
  /** Expected wait shown when issued, seconds. */
  etaSec: z.number().nullable(),
  /** Set when the ticket is a checked-in booking (channel "appointment"). */
  appointment: TicketAppointment.nullable().default(null),
});
export type Ticket = z.infer<typeof Ticket>;

/** Per-staff figures for today. */
export const StaffStats = z.object({
  served: z.number().int(),
  serviceSecSum: z.number(),
  ratings: z.array(z.number().int()).length(5),
});
export type StaffStats = z.infer<typeof StaffStats>;

/** Upper bounds (minutes) of the wait histogram buckets; the last bucket is open-ended. */
export const WAIT_BUCKETS_MIN = [5, 10, 20, 30, 60] as const;

export const HallStats = z.object({
  issued: z.record(z.string(), z.number().int()),
  /** Of `issued`, the tickets checked in for a booking (they take the bookings' share of the quota). */
  booked: z.record(z.string(), z.number().int()).default({}),
  called: z.record(z.string(), z.number().int()),
  finished: z.record(z.string(), z.number().int()),
  noShows: z.record(z.string(), z.number().int()),
  /** Tickets issued per hall-local hour 0..23. */
  issuedByHour: z.array(z.number().int()).length(24),
  /** Counts of first-call waits per WAIT_BUCKETS_MIN bucket (+1 open bucket). */
  waitHistogram: z.array(z.number().int()).length(WAIT_BUCKETS_MIN.length + 1),
  waitSecSum: z.number(),
  waitCount: z.number().int(),
  /** ratings[i] = count of rating i+1, of services (each step of a bundle; not a bundle's whole matter, which is no window's). */
  ratings: z.array(z.number().int()).length(5),
  byStaff: z.record(z.string(), StaffStats),
});
export type HallStats = z.infer<typeof HallStats>;

export const BalancerSuggestion = z.object({
  id: z.string(),
  windowId: Id,
  serving: z.array(Id),
  reason: Bilingual,
  at: z.number(),
});
export type BalancerSuggestion = z.infer<typeof BalancerSuggestion>;

/** The whole live state of one hall at `seq`. Ended tickets are not included (see stats). */
export const HallSnapshot = z.object({
  hallId: Id,
  name: Bilingual,
  timezone: z.string(),
  seq: z.number().int(),
  /**
   * Which run of the hall's log `seq` counts in: a new one each business day and whenever a store
   * finds its log went back (a restore). An event of another epoch means the screen must resync.
   */
  epoch: z.string(),
  businessDate: z.string(),
  at: z.number(),
  services: z.array(ServiceInfo),
  priorityClasses: z.array(PriorityClassInfo),
  windows: z.array(Window),
  /** Every ticket that is not ended: waiting, called, serving, parked. */
  tickets: z.array(Ticket),
  /** Recent calls, newest first (for the board's "last calls"). */
  recentCalls: z.array(z.object({ ticketId: z.string(), number: z.string(), windowId: z.string(), at: z.number(), /** A checked-in booking (the board's 预约 tag, after its ticket left the snapshot). */ booked: z.boolean().default(false) })),
  stats: HallStats,
  balancer: z.object({ mode: BalancerMode, suggestions: z.array(BalancerSuggestion) }),
});
export type HallSnapshot = z.infer<typeof HallSnapshot>;

/**
 * Who caused an event (the audit trail): a signed-in staff member at a counter (`staff`) or in the
 * console (`manager`) by staff id; a kiosk, pad or display by its device name; the balancer; a
 * citizen's phone; the server itself (`system`: a new day). Absent on events logged before actors were.
 */
export const EventActor = z.object({ kind: z.enum(["staff", "manager", "kiosk", "pad", "display", "balancer", "citizen", "system"]), id: z.string().nullable() });
export type EventActor = z.infer<typeof EventActor>;

const EventBase = { hallId: Id, seq: z.number().int().positive(), epoch: z.string(), at: z.number(), actor: EventActor.optional() };
const WithTicket = { ...EventBase, ticket: Ticket };

export const HallEvent = z.discriminatedUnion("type", [
  /** `ahead`: tickets of its service that would be called before it, at the moment it was issued (printed on the ticket). */
  z.object({ type: z.literal("ticket:issued"), ...WithTicket, ahead: z.number().int() }),
  /** `chosen`: called out of turn (指定叫号) by name, with the reason and who chose it. */
  z.object({ type: z.literal("ticket:called"), ...WithTicket, window: Window, recall: z.boolean(), waitSec: z.number(), chosen: z.object({ reason: z.string(), staffId: z.string().nullable() }).nullable().default(null) }),
  z.object({ type: z.literal("ticket:started"), ...WithTicket, window: Window }),
  /** For a bundle with steps left, `ticket` is already waiting for its next service. */
  z.object({ type: z.literal("ticket:finished"), ...WithTicket, window: Window, serviceId: Id, serviceSec: z.number() }),
  z.object({ type: z.literal("ticket:noShow"), ...WithTicket, window: Window }),
  z.object({ type: z.literal("ticket:parked"), ...WithTicket, window: Window.nullable() }),
  z.object({ type: z.literal("ticket:resumed"), ...WithTicket }),
  z.object({ type: z.literal("ticket:transferred"), ...WithTicket, window: Window.nullable(), fromServiceId: Id }),
  z.object({ type: z.literal("ticket:cancelled"), ...WithTicket, window: Window.nullable() }),
  /**
   * `scope` "service": one service event rated at its window's pad (or, for a ticket of one
   * service, late from the tracker): a bundle's step `step` (in `ticket.served`), or with `step`
   * null the ticket's own service. "whole": a bundle's whole matter (`ticket.rating`). Events
   * logged before steps were rated have neither: the ticket's own service.
   */
  z.object({ type: z.literal("ticket:rated"), ...WithTicket, scope: RatingScope.default("service"), step: z.number().int().nonnegative().nullable().default(null) }),
  z.object({
    type: z.literal("window:changed"),
    ...EventBase,
    window: Window,
    change: z.enum(["opened", "paused", "resumed", "closed", "servingChanged", "signedIn"]),
    /** Why (for servingChanged by the balancer: its human-readable reason). */
    reason: Bilingual.nullable(),
    by: z.enum(["staff", "manager", "balancer"]),
  }),
  z.object({ type: z.literal("balancer:modeChanged"), ...EventBase, mode: BalancerMode }),
  z.object({ type: z.literal("balancer:suggested"), ...EventBase, suggestion: BalancerSuggestion }),
  /** An approved suggestion is applied in the same step: `window` then serves the suggested services. */
  z.object({ type: z.literal("balancer:suggestionClosed"), ...EventBase, suggestionId: z.string(), outcome: z.enum(["approved", "rejected", "expired"]), window: Window.nullable() }),
  /** A new business day began: numbers and figures restart; live tickets carry over (reducer's startDay). */
  z.object({ type: z.literal("hall:dayStarted"), ...EventBase, businessDate: z.string() }),
]);
export type HallEvent = z.infer<typeof HallEvent>;
export type HallEventType = HallEvent["type"];

/** Whether a ticket can be taken for a service now: within its opening hours, and its daily quota (号源) not used up. */
export const Availability = z.enum(["open", "closed", "quotaExhausted"]);
export type Availability = z.infer<typeof Availability>;

/** For the next hour, the windows a service needs to keep its mean wait under target, against those serving it now. */
export const StaffingAdvice = z.object({
  serviceId: Id,
  /** Arrivals per hour expected next hour (measured rate + the waiting backlog). */
  arrivalsPerHour: z.number(),
  /** Mean minutes per call (measured). */
  serviceMin: z.number(),
  /** Offered load: windows kept busy on average. */
  load: z.number(),
  targetWaitMin: z.number(),
  /** Windows needed for the mean wait to stay under target (Erlang C). */
  needed: z.number().int(),
  /** Open windows serving it now, each shared among what it serves. */
  servingNow: z.number(),
  /** Open windows that list it at all. */
  windowsListing: z.number().int(),
  /** needed − servingNow, rounded up: positive means short of windows. */
  shortBy: z.number().int(),
  /** Erlang C mean wait with the current share, minutes; null when it cannot keep up. */
  expectedWaitMin: z.number().nullable(),
});
export type StaffingAdvice = z.infer<typeof StaffingAdvice>;

/** Expected waits, published at most once a second per hall when queues change (not one message per ticket). */
export const QueueSummary = z.object({
  hallId: Id,
  seq: z.number().int(),
  at: z.number(),
  services: z.record(
    z.string(),
    z.object({
      waiting: z.number().int(),
      windows: z.number().int(),
      /** Expected wait for a ticket issued now, seconds; null when no open window can serve it. */
      newTicketEtaSec: z.number().nullable(),
      /** Waiting ticket numbers in expected call order, with each one's expected wait (seconds; null as above). */
      order: z.array(z.string()),
      etaSec: z.array(z.number().nullable()),
      availability: Availability,
      /** Walk-in tickets still to be issued today under the daily quota (less the bookings' share). */
      quotaLeft: z.number().int(),
      /** When closed: the next opening (ms), null when none within a year or while open. */
      opensAt: z.number().nullable().default(null),
      /** When closed, what kiosk, phone and board show: 暂停取号，周六 09:00 开始办理. */
      notice: Bilingual.nullable().default(null),
      /** How long the longest-waiting ticket has waited, seconds (0 when none waits). */
      oldestWaitSec: z.number(),
      /** The longest wait or a new ticket's expected wait is past the target, or tickets wait with no window serving them. */
      overTarget: z.boolean(),
    }),
  ),
  /** Waiting tickets transferred to one window (转给本窗口), by window id; windows with none are left out. */
  sentTo: z.record(z.string(), z.number().int()),
  /** Staffing advice for the manager console, with the same forecast. */
  staffing: z.array(StaffingAdvice),
});
export type QueueSummary = z.infer<typeof QueueSummary>;
