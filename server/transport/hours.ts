/**
 * Live hours: the hours a manager edits in the console (PUT …/hours) take effect without a
 * restart, on every node. The hall's config file stays the base; what is in force is the base
 * with the latest stored version's hours (`withHours`). Applied at startup, at once after a
 * change on this node, and by a poll (every 10 s) for changes made on other nodes: until a node
 * has polled, it still decides on the hours before (at most `pollMs` behind).
 *
 * Applying replaces the hall's config where the server reads it (`ctx.halls`: REST, sockets, the
 * day watcher, the balancer runner's summaries) and in the store's replica (`loadHall`), which
 * decides SERVICE_CLOSED; `onApplied` lets the server push a fresh queue summary.
 */
import { HallCallError, type HoursChange, type HoursUpdate, type HoursView } from "../../protocol/index.js";
import { canonicalJson } from "../store/idempotency.js";
import { hoursOf, withHours, type HallConfig } from "../domain/config.js";
import type { HoursChangeRecord, HoursStore } from "../records/bookings.js";
import type { HallContext } from "./context.js";

export interface LiveHoursOptions {
  ctx: HallContext;
  hours: HoursStore;
  /** The halls as their config file has them. */
  halls: readonly HallConfig[];
  /** How often other nodes' changes are looked for, ms. */
  pollMs?: number;
  /** A hall's hours changed here (the queue summary is due again). */
  onApplied?: (hallId: string) => void;
  /**
   * How long startup waits for the stored hours, ms: a records database that does not answer must
   * not keep the halls from opening (they open on the file's hours, and the poll carries on).
   */
  startupWaitMs?: number;
}

export const DEFAULT_HOURS_POLL_MS = 10_000;

export class LiveHours {
  private readonly base: Map<string, HallConfig>;
  /** The version in force per hall; absent while the file's hours hold. */
  private readonly inForce = new Map<string, HoursChangeRecord>();
  /** Each hall's applications, one after another, so that an older version never lands last. */
  private readonly chains = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;

  constructor(private readonly opts: LiveHoursOptions) {
    this.base = new Map(opts.halls.map((h) => [h.id, h]));
  }

  /** Applies the stored hours now (waiting at most `startupWaitMs`), then polls. A records database away now is retried by the poll. */
  async start(): Promise<void> {
    let waited: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => (waited = setTimeout(() => resolve("late"), this.opts.startupWaitMs ?? 5_000)));
    const first = await Promise.race([this.poll(), late]);
    clearTimeout(waited);
    if (first === "late") this.opts.ctx.log.warn("hours: the records did not answer at startup; the halls open on their config file's hours until they do");
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs ?? DEFAULT_HOURS_POLL_MS);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
    await Promise.all(this.chains.values());
  }

  /** Looks for a newer version of every hall's hours and applies it. */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    for (const hallId of this.base.keys()) {
      try {
        const latest = await this.opts.hours.latestHours(hallId);
        if (latest) await this.apply(latest);
      } catch (err) {
        this.opts.ctx.log.warn(`hours: reading ${hallId}'s hours failed; the hours in force stay until the next poll`, err);
      }
    }
  }

  /**
   * A manager's change: checked against the hall (every service named exists), kept as the next
   * version, and in force on this node before it answers.
   */
  async save(hallId: string, update: HoursUpdate, by: string): Promise<HoursChangeRecord> {
    const base = this.baseOf(hallId);
    const unknown = Object.keys(update.services).filter((id) => !base.services.some((s) => s.id === id));
    if (unknown.length) throw new HallCallError("UNKNOWN_SERVICE", `No service ${unknown.map((id) => `"${id}"`).join(", ")} in this hall.`);
    const record = await this.opts.hours.saveHours(hallId, update, by, this.opts.ctx.clock.now());
    await this.apply(record);
    return record;
  }

  /** The hours in force, and who set them. */
  view(hallId: string): HoursView {
    const config = this.opts.ctx.halls.get(hallId) ?? this.baseOf(hallId);
    const record = this.inForce.get(hallId) ?? null;
    return { ...hoursOf(config), version: record?.version ?? null, changedBy: record?.by ?? null, changedAt: record?.at ?? null };
  }

  /** The hall's changes, newest first, each with what it changed from the version before it. */
  async log(hallId: string, limit: number): Promise<HoursChange[]> {
    const base = this.baseOf(hallId);
    // One more than shown: the oldest shown is told against the version before it.
    const records = await this.opts.hours.hoursLog(hallId, limit + 1);
    return records.slice(0, limit).map((r, i) => {
      const before = records[i + 1];
      const previous = before ? before.hours : r.version === 1 ? hoursOf(base) : null;
      return { version: r.version, by: r.by, at: r.at, hours: r.hours, summary: hoursSummary(base, previous, r.hours) };
    });
  }

  /** The hall as its file has it. */
  baseOf(hallId: string): HallConfig {
    return this.base.get(hallId) ?? fail(hallId);
  }

  private apply(record: HoursChangeRecord): Promise<void> {
    const hallId = record.hallId;
    const next = (this.chains.get(hallId) ?? Promise.resolve()).then(async () => {
      if ((this.inForce.get(hallId)?.version ?? 0) >= record.version) return;
      const config = withHours(this.baseOf(hallId), record.hours);
      // The store first: once REST and sockets read the new config, commands are decided on it too.
      await this.opts.ctx.store.loadHall(config, this.opts.ctx.clock.now());
      this.opts.ctx.halls.set(hallId, config);
      this.inForce.set(hallId, record);
      this.opts.onApplied?.(hallId);
    });
    // A failed application leaves the chain usable for the next one; the caller still hears of it.
    this.chains.set(
      hallId,
      next.catch(() => {}),
    );
    return next;
  }
}

function fail(hallId: string): never {
  throw new HallCallError("UNKNOWN_HALL", `No hall "${hallId}".`);
}

/**
 * What a change did, in a line for the console's log: whose hours changed and the calendar's
 * counts, Chinese then English. `previous` null: the version before is no longer known.
 */
export function hoursSummary(base: HallConfig, previous: HoursUpdate | null, next: HoursUpdate): string {
  const after = hoursOf(withHours(base, next));
  const before = previous ? hoursOf(withHours(base, previous)) : null;
  const changed = base.services.filter((s) => !before || canonicalJson(before.services[s.id]) !== canonicalJson(after.services[s.id]));
  const zh: string[] = [];
  const en: string[] = [];
  if (changed.length) {
    zh.push(`${changed.map((s) => s.name.zh).join("、")}的办理时间`);
    en.push(`hours of ${changed.map((s) => s.name.en).join(", ")}`);
  }
  if (!before || canonicalJson(before.calendar) !== canonicalJson(after.calendar)) {
    const { holidays, workdays } = after.calendar;
    zh.push(`日历（${holidays.length} 个节假日、${workdays.length} 个调休上班日）`);
    en.push(`the calendar (${holidays.length} holiday${holidays.length === 1 ? "" : "s"}, ${workdays.length} make-up workday${workdays.length === 1 ? "" : "s"})`);
  }
  if (!zh.length) return "未改动 / No change";
  return `改了${zh.join("；")} / Changed ${en.join("; ")}`;
}
