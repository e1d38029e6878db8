/**
 * Staffing advice for the manager console: for the next hour, how many windows each service needs
 * to keep its mean wait under target, against how many serve it now.
 *
 * The next hour is read as the measured present: the walk-in rate's moving average, the bookings
 * whose slot starts within the hour (each by its likelihood of coming), plus the tickets already
 * waiting (to be cleared within the hour), the measured occupancy per call as
 * the service time, and Erlang C (M/M/c) for the windows needed. A window serving several
 * services counts as a share of one for each (1 ÷ how many it serves), so "serving now" is what
 * the service really gets at most.
 */
import type { HallSnapshot, StaffingAdvice } from "../../protocol/index.js";
import { erlangCMeanWait, serversNeeded } from "./erlang.js";
import type { BookedArrival } from "./eta.js";
import { bookedPerSec, type RatesView } from "./rates.js";

/** `booked`: the day's bookings still to come (rates.ts `bookedArrivals`), counted from `now`. */
export function staffingAdvice(snapshot: HallSnapshot, rates: RatesView, booked: readonly BookedArrival[] = [], now = snapshot.at): StaffingAdvice[] {
  const open = snapshot.windows.filter((w) => w.state === "open");
  return snapshot.services.map((s) => {
    const waiting = snapshot.tickets.filter((t) => t.state === "waiting" && t.serviceId === s.id).length;
    const perHour = (rates.arrivalPerSec(s.id) + bookedPerSec(booked, s.id, now)) * 3600 + waiting;
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
      expectedWaitMin: Number.isFinite(expected) ? expected : null,
    };
  });
}

export type { StaffingAdvice };
