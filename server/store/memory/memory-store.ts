/**
 * The embedded store: each hall a HallReplica in process memory with its event log and the
 * results of its commandIds. A command is one synchronous step (decide on the replica, append,
 * apply), so it cannot interleave with another. The default when no REDIS_URL is given; the
 * simulator runs on it.
 */
import { HallCallError, type HallEvent, type HallSnapshot, type Ticket } from "../../../protocol/index.js";
import { commandIdOf, type CommandContext, type StoreCommand } from "../../domain/hall-commands.js";
import type { HallConfig } from "../../domain/config.js";
import { initialSnapshot } from "../../domain/hall.js";
import { recordOf, replayOf, type CommandRecord } from "../idempotency.js";
import { newTicketId, withTicketId } from "../ids.js";
import { HallReplica } from "../replica.js";
import { EVENT_LOG_MAX, IDEMPOTENCY_TTL_MS, type Executed, type HallStore } from "../types.js";

interface MemoryHall {
  replica: HallReplica;
  events: HallEvent[];
  results: Map<string, { record: CommandRecord; event: HallEvent; expires: number }>;
}

export { newTicketId };

export class MemoryStore implements HallStore {
  readonly kind = "memory" as const;
  private halls = new Map<string, MemoryHall>();

  async loadHall(config: HallConfig, now: number): Promise<void> {
    this.loadHallSync(config, now);
  }

  /** Synchronous variant for the simulator, which runs on a virtual clock without awaiting. */
  loadHallSync(config: HallConfig, now: number): void {
    const cur = this.halls.get(config.id);
    if (cur) cur.replica.reconfigure(config);
    else this.halls.set(config.id, { replica: HallReplica.of(config, initialSnapshot(config, now)), events: [], results: new Map() });
  }

  async execute(hallId: string, cmd: StoreCommand, ctx: CommandContext): Promise<Executed> {
    return this.executeSync(hallId, cmd, ctx);
  }

  executeSync(hallId: string, cmd: StoreCommand, ctx: CommandContext): Executed {
    const hall = this.hall(hallId);
    const commandId = commandIdOf(cmd);
    const record = commandId ? recordOf(cmd, ctx) : null;
    if (commandId && record) {
      const prior = hall.results.get(commandId);
      if (prior && prior.expires > ctx.now) return { event: replayOf(commandId, prior, record), replayed: true, committed: [] };
    }
    const { events: committed, answer: event } = hall.replica.decide(cmd, withTicketId(cmd, ctx));
    for (const e of committed) this.append(hall, e);
    if (commandId && record) {
      hall.results.set(commandId, { record, event, expires: ctx.now + IDEMPOTENCY_TTL_MS });
      // Forget expired results now and then, in insertion (= expiry) order, so memory stays bounded.
      for (const [id, r] of hall.results) {
        if (r.expires > ctx.now) break;
        hall.results.delete(id);
      }
    }
    return { event, replayed: false, committed };
  }

  async snapshot(hallId: string): Promise<HallSnapshot> {
    return this.snapshotSync(hallId);
  }

  snapshotSync(hallId: string): HallSnapshot {
    return this.hall(hallId).replica.snapshot;
  }

  async ticket(hallId: string, ticketId: string): Promise<Ticket | null> {
    return this.hall(hallId).replica.ticket(ticketId) ?? null;
  }

  async eventsSince(hallId: string, afterSeq: number, limit = 1000): Promise<HallEvent[]> {
    const events = this.hall(hallId).events;
    const first = events.findIndex((e) => e.seq > afterSeq);
    return first === -1 ? [] : events.slice(first, first + limit);
  }

  async close(): Promise<void> {
    this.halls.clear();
  }

  private hall(hallId: string): MemoryHall {
    const hall = this.halls.get(hallId);
    if (!hall) throw new HallCallError("UNKNOWN_HALL", `No hall "${hallId}".`);
    return hall;
  }

  private append(hall: MemoryHall, event: HallEvent): void {
    if (!hall.replica.apply(event)) throw new Error(`memory store could not apply its own event ${event.type} #${event.seq}`);
    hall.events.push(event);
    if (hall.events.length > EVENT_LOG_MAX * 1.1) hall.events.splice(0, hall.events.length - EVENT_LOG_MAX);
  }
}
