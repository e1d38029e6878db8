/**
 * The hall's retention rule: what a ticket holds about a citizen beyond the anonymous figures, and
 * from which business date it is erased: the free text staff type about a citizen (a park reason,
 * the missing documents), which may name them, and a booking's (masked) name. The booking's full
 * name and phone live in the records' bookings and are erased there by the same rule. Numbers, services, times, waits, windows, staff and ratings stay: they are
 * the hall's figures.
 */
import type { HallEvent, Ticket } from "../../protocol/index.js";

export const holdsPersonal = (t: Ticket): boolean => t.parkReason !== null || t.missingDocs.length > 0 || (t.appointment?.name ?? null) !== null;

export const withoutPersonal = (t: Ticket): Ticket => ({ ...t, parkReason: null, missingDocs: [], appointment: t.appointment && { ...t.appointment, name: null } });

/**
 * What a stored event or ticket's JSON looks like while it still holds personal data, for the
 * stores' SQL to find the rows to rewrite: a park reason, missing documents, a booking's name
 * (the only "name" key a ticket's events carry). Erased rows no longer match.
 */
export const PERSONAL_JSON_PATTERNS = ['%"parkReason":"%', '%"missingDocs":["%', '%"name":"%'] as const;

/** The event as kept after the retention period: its ticket without personal data. */
export const eventWithoutPersonal = (e: HallEvent): HallEvent => ("ticket" in e ? ({ ...e, ticket: withoutPersonal(e.ticket) } as HallEvent) : e);

/** The first business date whose personal data is still kept: `personalDays` before `today`. */
export function retentionCutoff(today: string, personalDays: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) - personalDays * 86_400_000).toISOString().slice(0, 10);
}
