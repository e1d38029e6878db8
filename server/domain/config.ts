/**
 * Hall configuration as an operator writes it (config/*.json). Validated once at start; an error
 * names the bad field by its path so a typo is found without reading code.
 */
import { z } from "zod";
import { BalancerMode, Bilingual, CaseCategory, Calendar, EndHHMM, HHMM, Id, Schedule, WebhookEventType, type HoursUpdate } from "../../protocol/index.js";
import { invalidInput, TimeZone } from "./validation.js";
import { everyDay, WEEKDAYS, type ServiceHours, type WeeklySchedule } from "./calendar.js";

/** Booking (预约) for one service: slots of `slotMin` minutes where the schedule is open, `capacity` citizens each. */
export const AppointmentsConfig = z.object({
  slotMin: z.number().int().min(5).max(240).default(30),
  capacity: z.number().int().min(1).max(100).default(2),
  /** Share of the daily quota (号源) reserved for bookings; walk-ins get the rest. */
  quotaShare: z.number().min(0).max(1).default(0.3),
});
export type AppointmentsConfig = z.infer<typeof AppointmentsConfig>;

export const ServiceConfig = z.object({
  id: Id,
  prefix: z.string().regex(/^[A-Z]$/, "one capital letter"),
  name: Bilingual,
  /** Minutes a citizen should wait at most; dispatch and alerts measure against it. */
  targetWaitMin: z.number().positive().default(20),
  /** 号源: tickets per business day. */
  dailyQuota: z.number().int().positive().default(500),
  /** Shorthand for the same hours every day of the week, when there is no `schedule`. */
  opens: HHMM.default("09:00"),
  closes: EndHHMM.default("17:00"),
  /** Weekly hours with several intervals a day (a lunch break); wins over opens/closes. */
  schedule: Schedule.optional(),
  /** Open at every hour of every day, holidays included. */
  roundTheClock: z.boolean().default(false),
  /** Takes bookings; without it, walk-ins only. */
  appointments: AppointmentsConfig.optional(),
  /** Mean minutes per citizen, until measured service times take over. */
  serviceMin: z.number().positive().default(8),
});
export type ServiceConfig = z.infer<typeof ServiceConfig>;

export const WindowConfig = z.object({
  id: Id,
  label: Bilingual,
  qualified: z.array(Id).min(1),
  /** Services served at start; defaults to the first qualified one. */
  serving: z.array(Id).optional(),
  /** 办不成事窗口: its tickets are followed up. */
  escalation: z.boolean().default(false),
});
export type WindowConfig = z.infer<typeof WindowConfig>;

export const StaffConfig = z.object({
  id: Id,
  name: z.string().min(1),
  /** `scrypt$<salt b64>$<hash b64>`, made by `npm run hash-password`. */
  passwordHash: z.string().regex(/^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, "a hash from `npm run hash-password`"),
  roles: z.array(z.enum(["counter", "manager"])).min(1),
});
export type StaffConfig = z.infer<typeof StaffConfig>;

export const DeviceConfig = z.object({
  /** Secret the device presents in its handshake; at least 16 characters. */
  token: z.string().min(16),
  role: z.enum(["display", "kiosk", "pad"]),
  /** A window strip or rating pad belongs to one window. */
  windowId: Id.optional(),
  name: z.string().default(""),
});
export type DeviceConfig = z.infer<typeof DeviceConfig>;

export const PriorityClassConfig = z.object({ id: Id, rank: z.number().int().min(0).max(9), name: Bilingual });

export const DEFAULT_PRIORITY_CLASSES = [
  { id: "normal", rank: 0, name: { zh: "普通", en: "Normal" } },
  { id: "elderly", rank: 2, name: { zh: "老年人", en: "Elderly" } },
  { id: "disabled", rank: 2, name: { zh: "残疾人", en: "Disabled" } },
  { id: "pregnant", rank: 2, name: { zh: "孕妇", en: "Pregnant" } },
  { id: "urgent", rank: 3, name: { zh: "急办", en: "Urgent" } },
];

/** The hall's booking rules (预约), for every service that takes bookings. */
export const BookingConfig = z.object({
  /** A slot can be booked from this many days ahead (today counts as 0). */
  openDaysAhead: z.number().int().min(0).max(90).default(7),
  /** Booking a slot closes this many minutes before it starts. */
  closeMinBefore: z.number().int().min(0).max(24 * 60).default(30),
  /** Check-in opens this many minutes before the slot starts … */
  earlyMin: z.number().int().min(0).max(240).default(30),
  /** … and is on time until this many minutes after. */
  lateMin: z.number().int().min(0).max(240).default(15),
  /** A later check-in: a walk-in with its own arrival time, or refused. */
  late: z.enum(["walkIn", "refuse"]).default("walkIn"),
  /** 失约: this many missed bookings within `noShowWindowDays` block booking for `blockDays`. */
  noShowLimit: z.number().int().min(1).max(100).default(2),
  noShowWindowDays: z.number().int().min(1).max(3650).default(30),
  blockDays: z.number().int().min(1).max(3650).default(30),
});
export type BookingConfig = z.infer<typeof BookingConfig>;

/** An outbound webhook (protocol/webhooks.ts): the hall's events it gets, signed with its secret. */
export const WebhookConfig = z.object({
  url: z.url({ protocol: /^https?$/, error: "an http(s) URL" }),
  events: z.array(WebhookEventType).min(1),
  /** The HMAC-SHA256 key the receiver checks signatures with; a short one could be found by trying keys. */
  secret: z.string().min(16),
});
export type WebhookConfig = z.infer<typeof WebhookConfig>;

/** The categories a hall starts with: each with the working days its cases are due in. */
export const DEFAULT_CASE_CATEGORIES: CaseCategory[] = [
  { id: "policy", name: { zh: "政策咨询", en: "Policy question" }, workingDays: 3 },
  { id: "documents", name: { zh: "材料问题", en: "Documents" }, workingDays: 5 },
  { id: "coordination", name: { zh: "跨部门协调", en: "Cross-department" }, workingDays: 10 },
  { id: "system", name: { zh: "系统故障", en: "System fault" }, workingDays: 2 },
  { id: "other", name: { zh: "其他", en: "Other" }, workingDays: 5 },
];

/** 办不成事 cases (domain/case.ts): their readable numbers, categories and how a citizen appeals. */
export const CasesConfig = z.object({
  /** The readable number's prefix: BB-20261202-007. */
  prefix: z.string().regex(/^[A-Z]{1,6}$/, "1 to 6 capital letters").default("BB"),
  categories: z.array(CaseCategory).min(1).default(DEFAULT_CASE_CATEGORIES),
  /** What the public progress page says about appealing (申诉). */
  appeal: Bilingual.default({
    zh: "对办理结果有异议的，可拨打12345政务服务便民热线或向大厅管理办公室申诉。",
    en: "If you disagree with the outcome, call the 12345 hotline or appeal to the hall's management office.",
  }),
});
export type CasesConfig = z.infer<typeof CasesConfig>;

export const HallConfig = z
  .object({
    id: Id,
    name: Bilingual,
    /** IANA zone; business dates and opening hours are read in it. */
    timezone: TimeZone.default("Asia/Shanghai"),
    priorityClasses: z.array(PriorityClassConfig).min(1).default(DEFAULT_PRIORITY_CLASSES),
    services: z.array(ServiceConfig).min(1),
    windows: z.array(WindowConfig).min(1),
    staff: z.array(StaffConfig).default([]),
    devices: z.array(DeviceConfig).default([]),
    dispatch: z
      .object({
        /**
         * Extra weight for a window's first-listed (primary) service when comparing how long
         * tickets have waited against their targets: 0.2 means a primary-service ticket counts as
         * having waited 20% longer. Priority class always comes first.
         */
        primaryPreference: z.number().min(0).max(5).default(0.2),
      })
      .default({ primaryPreference: 0.2 }),
    balancer: z.object({ mode: BalancerMode.default("off") }).default({ mode: "off" }),
    /** Public holidays and make-up workdays (调休) in the hall's zone; a config file may `include` shipped ones (config/calendar-cn-2026.json). */
    /** Calendar files read into `calendar` with the config file (server/hall-file.ts), e.g. ["calendar-cn-2026.json"]. */
    calendarFiles: z.array(z.string()).default([]),
    calendar: Calendar.default({ holidays: [], workdays: [], makeUpDayAs: "mon" }),
    booking: BookingConfig.default(BookingConfig.parse({})),
    /** 差评回访整改 (domain/follow-up.ts): a 不满意 or 非常不满意 rating is followed up within this many working days of its business day. */
    followUp: z.object({ workingDays: z.number().int().min(1).max(60).default(5) }).default({ workingDays: 5 }),
    /** A citizen who did not rate at the pad may rate from the tracker link this many days after the ticket's business day (domain/late-rating.ts). */
    rating: z.object({ lateDays: z.number().int().min(0).max(90).default(7) }).default({ lateDays: 7 }),
    /** The hall's retention rule (domain/retention.ts): personal data of a ticket is erased this many days after its business day. */
    retention: z.object({ personalDays: z.number().int().min(1).max(3650).default(180) }).default({ personalDays: 180 }),
    /**
     * Demo halls list their device links (with tokens) on the start page so anyone can try every
     * screen. Never set this for a real hall: anyone reaching the server could act as a kiosk.
     */
    publicDevices: z.boolean().default(false),
    /** Receivers of the hall's events (server/transport/webhook-sender.ts); one per URL. */
    webhooks: z.array(WebhookConfig).default([]),
    cases: CasesConfig.default(CasesConfig.parse({})),
  })
  .superRefine((hall, ctx) => {
    const services = new Set(hall.services.map((s) => s.id));
    const dup = <T>(items: T[], key: (t: T) => string, path: string) => {
      const seen = new Set<string>();
      items.forEach((it, i) => {
        const k = key(it);
        if (seen.has(k)) ctx.addIssue({ code: "custom", path: [path, i], message: `duplicate ${k}` });
        seen.add(k);
      });
    };
    dup(hall.services, (s) => s.id, "services");
    dup(hall.services, (s) => s.prefix, "services");
    dup(hall.windows, (w) => w.id, "windows");
    dup(hall.staff, (s) => s.id, "staff");
    dup(hall.devices, (d) => d.token, "devices");
    dup(hall.webhooks, (w) => w.url, "webhooks");
    dup(hall.cases.categories, (c) => c.id, "cases");
    if (!hall.priorityClasses.some((p) => p.id === "normal")) ctx.addIssue({ code: "custom", path: ["priorityClasses"], message: 'a class with id "normal" is required' });
    hall.windows.forEach((w, i) => {
      w.qualified.forEach((s, j) => {
        if (!services.has(s)) ctx.addIssue({ code: "custom", path: ["windows", i, "qualified", j], message: `unknown service "${s}"` });
      });
      (w.serving ?? []).forEach((s, j) => {
        if (!w.qualified.includes(s)) ctx.addIssue({ code: "custom", path: ["windows", i, "serving", j], message: `"${s}" is not among the window's qualified services` });
      });
    });
    hall.services.forEach((s, i) => {
      if (s.opens >= s.closes && !s.schedule) ctx.addIssue({ code: "custom", path: ["services", i, "closes"], message: "closes after it opens" });
    });
    hall.devices.forEach((d, i) => {
      if (d.windowId && !hall.windows.some((w) => w.id === d.windowId)) ctx.addIssue({ code: "custom", path: ["devices", i, "windowId"], message: `unknown window "${d.windowId}"` });
      if (d.role === "pad" && !d.windowId) ctx.addIssue({ code: "custom", path: ["devices", i, "windowId"], message: "a rating pad needs its window" });
    });
  });
export type HallConfig = z.infer<typeof HallConfig>;
export type HallConfigInput = z.input<typeof HallConfig>;

export const HallsFile = z.object({ halls: z.array(HallConfig).min(1) });

/** Parse a hall config; throws one Error listing every bad field by path. */
export function parseHalls(json: unknown, source = "hall config"): HallConfig[] {
  const res = HallsFile.safeParse(json);
  if (!res.success) {
    throw invalidInput(source, res.error);
  }
  const ids = new Set<string>();
  for (const h of res.data.halls) {
    if (ids.has(h.id)) throw new Error(`${source} is invalid:\n  halls: duplicate hall id ${h.id}`);
    ids.add(h.id);
  }
  return res.data.halls;
}

export function parseHall(json: unknown): HallConfig {
  return parseHalls({ halls: [json] })[0]!;
}

/** A service's weekly hours: its schedule, else opens–closes every day of the week. */
export function serviceHours(s: Pick<ServiceConfig, "schedule" | "opens" | "closes" | "roundTheClock">): ServiceHours {
  const schedule: WeeklySchedule = s.schedule ? (Object.fromEntries(WEEKDAYS.map((d) => [d, s.schedule![d] ?? []])) as unknown as WeeklySchedule) : everyDay([s.opens, s.closes]);
  return { schedule, roundTheClock: s.roundTheClock };
}

/** The config with the hours a manager set in the console (records): the whole calendar, and each named service's schedule. */
export function withHours(config: HallConfig, hours: HoursUpdate): HallConfig {
  return {
    ...config,
    calendar: hours.calendar,
    services: config.services.map((s) => {
      const h = hours.services[s.id];
      return h ? { ...s, schedule: h.schedule, roundTheClock: h.roundTheClock } : s;
    }),
  };
}

/** The hours in force, as the console edits them. */
export function hoursOf(config: HallConfig): HoursUpdate {
  return { calendar: config.calendar, services: Object.fromEntries(config.services.map((s) => [s.id, { schedule: serviceHours(s).schedule as HoursUpdate["services"][string]["schedule"], roundTheClock: s.roundTheClock }])) };
}

/** The window's serving list at start: as configured, else its first qualified service. */
export const initialServing = (w: WindowConfig): string[] => (w.serving && w.serving.length ? [...w.serving] : [w.qualified[0]!]);
