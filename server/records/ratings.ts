/**
 * Every rating in the records, one row each, tied to what it rated (protocol/ratings.ts
 * ratedPart): a service event with its service, window and staff, or a 一件事 bundle's whole
 * matter. The archive's append keeps the ratings of the `ticket:rated` events it keeps; a late
 * rating written to the records (follow-ups.ts rateLate) keeps its own. A row is kept once per
 * ticket and part, so an event archived again (a repeated batch, a store that rebased) adds none.
 *
 *   yield* keepRatings(q, hallId, fresh);   // a step of the archive's append
 */
import type { Kysely } from "kysely";
import { ratedPart, type HallEvent } from "../../protocol/index.js";
import type { Plan } from "./records-store.js";
import type { RatingsTable, RecordsDatabase } from "./schema.js";

/** The row of a rating; `step` 0 stands for the whole matter, which has none. */
export const ratingRow = (r: Omit<RatingsTable, "step"> & { step: number | null }): RatingsTable => ({ ...r, step: r.step ?? 0 });

/** The insert of rating rows, a repeat left as it was. */
export const insertRatings = (q: Kysely<RecordsDatabase>, rows: readonly RatingsTable[]) =>
  q
    .insertInto("records_ratings")
    .values([...rows])
    .onConflict((oc) => oc.columns(["hall_id", "ticket_id", "scope", "step"]).doNothing());

/** A plan step of the archive's append: the ratings of the fresh `ticket:rated` events. */
export function* keepRatings(q: Kysely<RecordsDatabase>, hallId: string, events: readonly HallEvent[]): Plan {
  const rows: RatingsTable[] = [];
  for (const e of events) {
    if (e.type !== "ticket:rated") continue;
    const part = ratedPart(e);
    if (part.rating === null) continue;
    const t = e.ticket;
    rows.push(ratingRow({ hall_id: hallId, business_date: t.businessDate, ticket_id: t.id, scope: part.scope, step: part.step, service_id: part.serviceId, window_id: part.windowId, staff_id: part.staffId, issued_at: t.issuedAt, rating: part.rating, at: e.at }));
  }
  // Well under both databases' bound parameters per statement (11 columns a row).
  for (let i = 0; i < rows.length; i += 400) yield insertRatings(q, rows.slice(i, i + 400)).compile();
}
