/**
 * The hall's retention rule: what a ticket holds about a citizen beyond the anonymous figures, and
 * from which business date it is erased. Today that is the free text staff type about a citizen
 * (a park reason, the missing documents), which may name them; names and phone numbers join it
 * with appointments. Numbers, services, times, waits, windows, staff and ratings stay: they are
 * the hall's figures.
 */
import type { HallEvent, Ticket } from "../../protocol/index.js";

export const holdsPersonal = (t: Ticket): boolean => t.parkReason !== null || t.missingDocs.length > 0;

export const withoutPersonal = (t: Ticket): Ticket => ({ ...t, parkReason: null, missingDocs: [] });

/** The event as kept after the retention period: its ticket without personal data. */
export const eventWithoutPersonal = (e: HallEvent): HallEvent => ("ticket" in e ? ({ ...e, ticket: withoutPersonal(e.ticket) } as HallEvent) : e);

/** The first business date whose personal data is still kept: `personalDays` before `today`. */
export function retentionCutoff(today: string, personalDays: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) - personalDays * 86_400_000).toISOString().slice(0, 10);
}
