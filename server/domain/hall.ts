/**
 * A hall's state derived from its configuration: the snapshot a new hall starts from, the public
 * view of its services, and how live state takes a reloaded config.
 */
import { emptyStats, ENDED_STATES, type HallSnapshot, type ServiceInfo, type Ticket, type Window } from "../../protocol/index.js";
import { businessDate } from "./clock.js";
import { initialServing, serviceHours, type HallConfig } from "./config.js";

export function serviceInfos(config: HallConfig): ServiceInfo[] {
  return config.services.map((s) => ({ id: s.id, prefix: s.prefix, name: s.name, targetWaitMin: s.targetWaitMin, dailyQuota: s.dailyQuota, ...widestHours(s), serviceMin: s.serviceMin }));
}

/** The earliest opening and latest closing of a service's week (a day's own hours and holidays: the queue summary's availability and notice). */
function widestHours(s: HallConfig["services"][number]): { opens: string; closes: string } {
  const intervals = Object.values(serviceHours(s).schedule).flat();
  if (s.roundTheClock) return { opens: "00:00", closes: "24:00" };
  if (!intervals.length) return { opens: s.opens, closes: s.closes };
  return { opens: intervals.map((i) => i[0]).sort()[0]!, closes: intervals.map((i) => i[1]).sort().at(-1)! };
}

export function initialWindows(config: HallConfig): Window[] {
  return config.windows.map((w) => ({
    id: w.id,
    label: w.label,
    qualified: w.qualified,
    serving: initialServing(w),
    state: "closed",
    pauseReason: null,
    ticketId: null,
    staffId: null,
    servedToday: 0,
    lastFinishedId: null,
    escalation: w.escalation,
    rev: 0,
  }));
}

/** Keep live window state, take labels and qualifications from config; drop what config dropped. */
export function mergeWindows(config: HallConfig, live: Window[]): Window[] {
  return initialWindows(config).map((fresh) => {
    const cur = live.find((w) => w.id === fresh.id);
    if (!cur) return fresh;
    const serving = cur.serving.filter((s) => fresh.qualified.includes(s));
    return { ...cur, label: fresh.label, qualified: fresh.qualified, escalation: fresh.escalation, serving: serving.length ? serving : fresh.serving };
  });
}

/** The epoch of a run of a hall's log that begins at `now` on `date`: distinct for each start. */
export const dayEpoch = (date: string, now: number): string => `${date}.${now.toString(36)}`;

export function initialSnapshot(config: HallConfig, now: number): HallSnapshot {
  return {
    hallId: config.id,
    name: config.name,
    timezone: config.timezone,
    seq: 0,
    epoch: dayEpoch(businessDate(now, config.timezone), now),
    businessDate: businessDate(now, config.timezone),
    at: now,
    services: serviceInfos(config),
    priorityClasses: config.priorityClasses,
    windows: initialWindows(config),
    tickets: [],
    recentCalls: [],
    stats: emptyStats(),
    balancer: { mode: config.balancer.mode, suggestions: [] },
  };
}

/** A hall's live state under (new) config: its name, services, priority classes and window labels. */
export function withConfig(s: HallSnapshot, config: HallConfig): HallSnapshot {
  return { ...s, name: config.name, timezone: config.timezone, services: serviceInfos(config), priorityClasses: config.priorityClasses, windows: mergeWindows(config, s.windows) };
}

/** Whether a ticket is still found by id: live ones always, ended ones until the next business day starts. */
export function keptOn(t: Ticket, date: string, timezone: string): boolean {
  return !ENDED_STATES.includes(t.state) || (t.endedAt !== null && businessDate(t.endedAt, timezone) >= date);
}
