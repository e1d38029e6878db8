/**
 * Simulator scenarios (shared/scenarios/*.json): the file format, checked with zod so a typo is
 * named by its path, and the one generic mapping from a scenario and a policy to a HallConfig.
 * Nothing here knows any particular scenario.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { invalidInput, TimeZone } from "../domain/validation.js";
import { Bilingual, EndHHMM, HHMM, Id } from "../../protocol/index.js";
import { BookingConfig, DEFAULT_PRIORITY_CLASSES, HallConfig, type HallConfigInput } from "../domain/config.js";

/** Minutes since midnight of "HH:MM" ("24:00", the day's end, is 1440). */
export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const ServiceTime = z.object({
  /** Mean minutes per citizen. */
  mean: z.number().positive(),
  /** Coefficient of variation (sd ÷ mean); ignored for "exponential" (always 1). */
  cv: z.number().min(0).max(5).default(0.5),
  dist: z.enum(["lognormal", "exponential"]).default("lognormal"),
});

export const ArrivalSegment = z.object({ from: HHMM, to: EndHHMM, perHour: z.number().min(0) });

/** A time the window's staff are away (lunch, a shift's end): from `from` it calls nobody new, from `to` it calls again. */
export const WindowAway = z.object({ from: HHMM, to: EndHHMM });

/**
 * Bookings (预约) of a service: a share of its demand books a slot ahead instead of walking in,
 * checks in around the slot start, or never comes.
 */
export const ScenarioAppointments = z.object({
  /** Share of the service's citizens who book (the rest walk in). */
  share: z.number().min(0).max(1),
  /** Slot length and seats per slot (the service's appointments config). */
  slotMin: z.number().int().min(5).max(240).default(30),
  capacity: z.number().int().min(1).max(100).default(2),
  /** Check-in minutes after the slot start (negative: early), normally distributed. */
  punctuality: z.object({ meanMin: z.number().min(-240).max(240).default(-5), sdMin: z.number().min(0).max(240).default(5) }).default({ meanMin: -5, sdMin: 5 }),
  /** Share of bookings never checked in (失约). */
  missed: z.number().min(0).max(1).default(0.1),
});

export const ScenarioService = z.object({
  id: Id,
  prefix: z.string().regex(/^[A-Z]$/, "one capital letter"),
  name: Bilingual,
  serviceMin: ServiceTime,
  targetWaitMin: z.number().positive(),
  /** Poisson arrivals, piecewise-constant rate per hour: every citizen of the service, booked or not. */
  arrivals: z.array(ArrivalSegment),
  /** Without it, walk-ins only. */
  appointments: ScenarioAppointments.optional(),
});

export const ScenarioWindow = z.object({
  id: Id,
  label: Bilingual,
  qualified: z.array(Id).min(1),
  initial: z.array(Id).min(1),
  /** Staff away within the day (午休 in turns, shifts); without it, staffed the whole day. */
  away: z.array(WindowAway).default([]),
});

export const Scenario = z
  .object({
    name: z.string().min(1),
    description: z.string().default(""),
    timezone: TimeZone.default("Asia/Shanghai"),
    /** Hall-local business date the day is simulated on (any weekday; only the clock needs one). */
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).default("2025-03-03"),
    open: HHMM,
    /** "24:00" for a hall open until midnight. */
    close: EndHHMM,
    /** Share of called tickets whose citizen does not come. */
    noShowRate: z.number().min(0).max(1).default(0),
    /** Share of tickets per priority class (the rest are "normal"). */
    priorityShare: z.record(Id, z.number().min(0).max(1)).default({}),
    /** The hall's booking rules (check-in early/late minutes, late check-ins), as in a hall config. */
    booking: BookingConfig.default(BookingConfig.parse({})),
    services: z.array(ScenarioService).min(1),
    windows: z.array(ScenarioWindow).min(1),
  })
  .superRefine((sc, ctx) => {
    if (sc.open >= sc.close) ctx.addIssue({ code: "custom", path: ["close"], message: "must be after open" });
    const ids = new Set<string>();
    const prefixes = new Set<string>();
    sc.services.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: "custom", path: ["services", i, "id"], message: `duplicate ${s.id}` });
      if (prefixes.has(s.prefix)) ctx.addIssue({ code: "custom", path: ["services", i, "prefix"], message: `duplicate ${s.prefix}` });
      ids.add(s.id);
      prefixes.add(s.prefix);
      if (s.appointments && s.appointments.slotMin > minutesOf(sc.close) - minutesOf(sc.open)) ctx.addIssue({ code: "custom", path: ["services", i, "appointments", "slotMin"], message: `no slot fits within ${sc.open}–${sc.close}` });
      s.arrivals.forEach((a, j) => {
        if (a.from >= a.to) ctx.addIssue({ code: "custom", path: ["services", i, "arrivals", j, "to"], message: "must be after from" });
        if (a.from < sc.open || a.to > sc.close) ctx.addIssue({ code: "custom", path: ["services", i, "arrivals", j], message: `must lie within ${sc.open}–${sc.close}` });
      });
    });
    const windowIds = new Set<string>();
    sc.windows.forEach((w, i) => {
      if (windowIds.has(w.id)) ctx.addIssue({ code: "custom", path: ["windows", i, "id"], message: `duplicate ${w.id}` });
      windowIds.add(w.id);
      w.qualified.forEach((s, j) => {
        if (!ids.has(s)) ctx.addIssue({ code: "custom", path: ["windows", i, "qualified", j], message: `unknown service "${s}"` });
      });
      w.initial.forEach((s, j) => {
        if (!w.qualified.includes(s)) ctx.addIssue({ code: "custom", path: ["windows", i, "initial", j], message: `"${s}" is not among the window's qualified services` });
      });
      w.away.forEach((a, j) => {
        if (a.from >= a.to) ctx.addIssue({ code: "custom", path: ["windows", i, "away", j, "to"], message: "must be after from" });
        if (a.from < sc.open || a.to > sc.close) ctx.addIssue({ code: "custom", path: ["windows", i, "away", j], message: `must lie within ${sc.open}–${sc.close}` });
        if (j > 0 && a.from < w.away[j - 1]!.to) ctx.addIssue({ code: "custom", path: ["windows", i, "away", j], message: "times away are in order and do not overlap" });
      });
    });
    const total = Object.values(sc.priorityShare).reduce((a, b) => a + b, 0);
    if (total > 1) ctx.addIssue({ code: "custom", path: ["priorityShare"], message: "shares add up to more than 1" });
    if ("normal" in sc.priorityShare) ctx.addIssue({ code: "custom", path: ["priorityShare", "normal"], message: '"normal" is the remainder; do not list it' });
  });
export type Scenario = z.infer<typeof Scenario>;


/** Whether any service of the scenario takes bookings. */
export const hasAppointments = (sc: Scenario): boolean => sc.services.some((s) => s.appointments && s.appointments.share > 0);
export type ScenarioInput = z.input<typeof Scenario>;

/** Validate a parsed scenario; throws one Error naming every bad field by its path. */
export function parseScenario(json: unknown, source = "scenario"): Scenario {
  const res = Scenario.safeParse(json);
  if (!res.success) {
    throw invalidInput(source, res.error);
  }
  return res.data;
}

export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`cannot read scenario ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`scenario ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseScenario(json, `scenario ${file}`);
}

export const POLICIES = ["static", "dynamic", "pooled"] as const;
export type Policy = (typeof POLICIES)[number];

/**
 * The hall a scenario describes, under a policy:
 * - static: each window serves its `initial` services; balancer off;
 * - dynamic: windows start on `initial`, HallCall's balancer runs in auto mode;
 * - pooled: every window is qualified for and serves every service (its `initial` ones first).
 * Priority classes: HallCall's defaults, plus any class the scenario names that they lack.
 * The daily quota never binds (999 999), so neither does the bookings' share of it.
 */
export function hallConfigFor(sc: Scenario, policy: Policy): HallConfig {
  const all = sc.services.map((s) => s.id);
  const classes = [...DEFAULT_PRIORITY_CLASSES];
  for (const id of Object.keys(sc.priorityShare)) {
    if (!classes.some((c) => c.id === id)) classes.push({ id, rank: 2, name: { zh: id, en: id } });
  }
  const input: HallConfigInput = {
    id: "sim",
    name: { zh: sc.name, en: sc.name },
    timezone: sc.timezone,
    priorityClasses: classes,
    services: sc.services.map((s) => ({
      id: s.id,
      prefix: s.prefix,
      name: s.name,
      targetWaitMin: s.targetWaitMin,
      dailyQuota: 999_999,
      opens: sc.open,
      closes: sc.close,
      serviceMin: s.serviceMin.mean,
      appointments: s.appointments ? { slotMin: s.appointments.slotMin, capacity: s.appointments.capacity, quotaShare: 0.5 } : undefined,
    })),
    windows: sc.windows.map((w) => ({
      id: w.id,
      label: w.label,
      qualified: policy === "pooled" ? [...w.qualified, ...all.filter((s) => !w.qualified.includes(s))] : w.qualified,
      serving: policy === "pooled" ? [...w.initial, ...all.filter((s) => !w.initial.includes(s))] : w.initial,
    })),
    balancer: { mode: policy === "dynamic" ? "auto" : "off" },
    booking: sc.booking,
  };
  return HallConfig.parse(input);
}
