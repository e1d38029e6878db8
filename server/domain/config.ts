/**
 * Hall configuration as an operator writes it (config/*.json). Validated once at start; an error
 * names the bad field by its path so a typo is found without reading code.
 */
import { z } from "zod";
import { BalancerMode, Bilingual, Id } from "../../protocol/index.js";
import { invalidInput, TimeZone } from "./validation.js";

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as "HH:MM"');

export const ServiceConfig = z.object({
  id: Id,
  prefix: z.string().regex(/^[A-Z]$/, "one capital letter"),
  name: Bilingual,
  /** Minutes a citizen should wait at most; dispatch and alerts measure against it. */
  targetWaitMin: z.number().positive().default(20),
  /** 号源: tickets per business day. */
  dailyQuota: z.number().int().positive().default(500),
  opens: HHMM.default("09:00"),
  closes: HHMM.default("17:00"),
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
    /** The hall's retention rule (domain/retention.ts): personal data of a ticket is erased this many days after its business day. */
    retention: z.object({ personalDays: z.number().int().min(1).max(3650).default(180) }).default({ personalDays: 180 }),
    /**
     * Demo halls list their device links (with tokens) on the start page so anyone can try every
     * screen. Never set this for a real hall: anyone reaching the server could act as a kiosk.
     */
    publicDevices: z.boolean().default(false),
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
    if (!hall.priorityClasses.some((p) => p.id === "normal")) ctx.addIssue({ code: "custom", path: ["priorityClasses"], message: 'a class with id "normal" is required' });
    hall.windows.forEach((w, i) => {
      w.qualified.forEach((s, j) => {
        if (!services.has(s)) ctx.addIssue({ code: "custom", path: ["windows", i, "qualified", j], message: `unknown service "${s}"` });
      });
      (w.serving ?? []).forEach((s, j) => {
        if (!w.qualified.includes(s)) ctx.addIssue({ code: "custom", path: ["windows", i, "serving", j], message: `"${s}" is not among the window's qualified services` });
      });
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

/** The window's serving list at start: as configured, else its first qualified service. */
export const initialServing = (w: WindowConfig): string[] => (w.serving && w.serving.length ? [...w.serving] : [w.qualified[0]!]);
