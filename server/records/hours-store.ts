/**
 * The hall's hours as managers edit them in the console (HoursStore, bookings.ts): every version
 * kept, numbered from 1 per hall. Two managers saving at once get two versions one after the
 * other, never one number twice (records-store.ts serialize).
 */
import type { HoursUpdate } from "../../protocol/index.js";
import type { HoursChangeRecord, HoursStore } from "./bookings.js";
import { query, serialize, type Plan, type RecordsParts } from "./records-store.js";
import type { HoursTable } from "./schema.js";

const toChange = (r: HoursTable): HoursChangeRecord => ({ version: Number(r.version), hallId: r.hall_id, hours: JSON.parse(r.hours) as HoursUpdate, by: r.by, at: Number(r.at) });

export class KyselyHours implements HoursStore {
  constructor(private readonly opts: RecordsParts) {}

  async saveHours(hallId: string, hours: HoursUpdate, by: string, now: number): Promise<HoursChangeRecord> {
    await this.opts.ready();
    const { db: q, kind } = this.opts;
    return this.opts.run(
      (function* (): Plan<HoursChangeRecord> {
        yield* serialize(q, kind, `hours\n${hallId}`);
        const [last] = yield* query(q.selectFrom("records_hours").select((eb) => eb.fn.max("version").as("version")).where("hall_id", "=", hallId));
        const row: HoursTable = { hall_id: hallId, version: Number(last?.version ?? 0) + 1, hours: JSON.stringify(hours), by, at: now };
        yield q.insertInto("records_hours").values(row).compile();
        return toChange(row);
      })(),
    );
  }

  async latestHours(hallId: string): Promise<HoursChangeRecord | null> {
    return (await this.hoursLog(hallId, 1))[0] ?? null;
  }

  async hoursLog(hallId: string, limit: number): Promise<HoursChangeRecord[]> {
    await this.opts.ready();
    const rows = await this.opts.db.selectFrom("records_hours").selectAll().where("hall_id", "=", hallId).orderBy("version", "desc").limit(limit).execute();
    return rows.map(toChange);
  }
}
