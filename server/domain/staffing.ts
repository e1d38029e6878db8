/**
 * Staffing advice for the manager console: for the next hour, how many windows each service needs
 * to keep its mean wait under target, against how many serve it now.
 *
 * The next hour is read as the measured present: the arrival rate's moving average plus the
 * tickets already waiting (to be cleared within the hour), the measured occupancy per call as
 * the service time, and Erlang C (M/M/c) for the windows needed. A window serving several
 * services counts as a share of one for each (1 ÷ how many it serves), so "serving now" is what
 * the service really gets at most.
 */
import type { HallSnapshot } from "../../protocol/index.js";
import { erlangCMeanWait, serversNeeded } from "./erlang.js";
import type { RatesView } from "./rates.js";

export interface StaffingAdvice {
  serviceId: string;
  /** Arrivals per hour expected next hour (measured rate + the waiting backlog). */
  arrivalsPerHour: number;
  /** Mean minutes per call (measured). */
  serviceMin: number;
  /** Offered load, windows kept busy on average. */
  load: number;
  targetWaitMin: number;
  /** Windows needed for the mean wait to stay under target (Erlang C). */
  needed: number;
  /** Open windows serving it now, each shared among what it serves. */
  servingNow: number;
  /** Open windows that list it at all. */
  windowsListing: number;
  /** needed − servingNow, rounded up: positive means short of windows. */
  shortBy: number;
  /** Erlang C mean wait with the current share (minutes); Infinity when it cannot keep up. */
  expectedWaitMin: number;
}

export function staffingAdvice(snapshot: HallSnapshot, rates: RatesView): StaffingAdvice[] {
  const open = snapshot.windows.filter((w) => w.state === "open");
  return snapshot.services.map((s) => {
    const waiting = snapshot.tickets.filter((t) => t.state === "waiting" && t.serviceId === s.id).length;
    const perHour = rates.arrivalPerSec(s.id) * 3600 + waiting;
    const serviceMin = rates.occupancySec(s.id) / 60;
    const perMin = perHour / 60;
    const needed = serversNeeded(perMin, serviceMin, s.targetWaitMin);
    let servingNow = 0;
    let windowsListing = 0;
    for (const w of open) {
      if (!w.serving.includes(s.id)) continue;
      windowsListing++;
      servingNow += 1 / w.serving.length;
    }
    // Erlang C needs whole windows: count only the windows' shares that add up to a whole one.
    const expected = erlangCMeanWait(Math.floor(servingNow + 1e-9), perMin, serviceMin);
    return {
      serviceId: s.id,
      arrivalsPerHour: perHour,
      serviceMin,
      load: perMin * serviceMin,
      targetWaitMin: s.targetWaitMin,
      needed,
      servingNow: Math.round(servingNow * 100) / 100,
      windowsListing,
      shortBy: Math.max(0, Math.ceil(needed - servingNow - 1e-9)),
      expectedWaitMin: expected,
    };
  });
}
