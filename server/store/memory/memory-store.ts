/**
 * The embedded store: one hall's state in process memory, each command one synchronous step of
 * the domain followed by the shared reducer, so it cannot interleave with another. The default
 * when no REDIS_URL is given; the simulator runs on it.
 */
import { applyEvent, ENDED_STATES, HallCallError, type HallEvent, type HallSnapshot, type Ticket } from "../../../protocol/index.js";
import { businessDate } from "../../domain/clock.js";
import { commandIdOf, type CommandContext, type StoreCommand } from "../../domain/commands.js";
import type { HallConfig } from "../../domain/config.js";
import { initialSnapshot, mergeWindows, serviceInfos, startDay } from "../../domain/hall.js";
import { decide, type HallView } from "../../domain/transitions.js";
import { newTicketId } from "../ids.js";
import { EVENT_LOG_MAX, IDEMPOTENCY_TTL_MS, type HallStore } from "../types.js";

interface MemoryHall {
  config: HallConfig;
  snapshot: HallSnapshot;
  /** Today's tickets by id, ended ones included (the snapshot keeps only live ones). */
  tickets: Map<string, Ticket>;
  events: HallEvent[];
  results: Map<string, { event: HallEvent; expires: number }>;
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
    if (!cur) {
      this.halls.set(config.id, { config, snapshot: initialSnapshot(config, now), tickets: new Map(), events: [], results: new Map() });
      return;
    }
    cur.config = config;
    cur.snapshot = { ...cur.snapshot, name: config.name, services: serviceInfos(config), priorityClasses: config.priorityClasses, windows: mergeWindows(config, cur.snapshot.windows) };
  }

  async execute(hallId: string, cmd: StoreCommand, ctx: CommandContext): Promise<HallEvent> {
    return this.executeSync(hallId, cmd, ctx);
  }

  executeSync(hallId: string, cmd: StoreCommand, ctx: CommandContext): HallEvent {
    const hall = this.hall(hallId);
    this.rollDay(hall, ctx.now);
    const commandId = commandIdOf(cmd);
    if (commandId) {
      const prior = hall.results.get(commandId);
      if (prior && prior.expires > ctx.now) return prior.event;
    }
    const body = decide(this.view(hall), cmd, { ...ctx, newTicketId: ctx.newTicketId ?? newTicketId() });
    const event = { ...body, hallId, seq: hall.snapshot.seq + 1, at: ctx.now } as HallEvent;
    this.append(hall, event);
    if (commandId) {
      hall.results.set(commandId, { event, expires: ctx.now + IDEMPOTENCY_TTL_MS });
      // Forget expired results now and then, in insertion (= expiry) order, so memory stays bounded.
      for (const [id, r] of hall.results) {
        if (r.expires > ctx.now) break;
        hall.results.delete(id);
      }
    }
    return event;
  }

  async snapshot(hallId: string, now: number): Promise<HallSnapshot> {
    return this.snapshotSync(hallId, now);
  }

  snapshotSync(hallId: string, now: number): HallSnapshot {
    const hall = this.hall(hallId);
    this.rollDay(hall, now);
    return hall.snapshot;
  }

  async ticket(hallId: string, ticketId: string): Promise<Ticket | null> {
    return this.hall(hallId).tickets.get(ticketId) ?? null;
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

  private view(hall: MemoryHall): HallView {
    const s = hall.snapshot;
    return {
      config: hall.config,
      businessDate: s.businessDate,
      window: (id) => s.windows.find((w) => w.id === id),
      ticket: (id) => hall.tickets.get(id),
      waiting: () => s.tickets.filter((t) => t.state === "waiting"),
      issuedToday: (serviceId) => s.stats.issued[serviceId] ?? 0,
      suggestion: (id) => s.balancer.suggestions.find((x) => x.id === id),
    };
  }

  private append(hall: MemoryHall, event: HallEvent): void {
    const res = applyEvent(hall.snapshot, event);
    if (!res.ok) throw new Error(`memory store could not apply its own event: ${res.reason}`);
    hall.snapshot = res.snapshot;
    if ("ticket" in event) hall.tickets.set(event.ticket.id, event.ticket);
    hall.events.push(event);
    if (hall.events.length > EVENT_LOG_MAX * 1.1) hall.events.splice(0, hall.events.length - EVENT_LOG_MAX);
  }

  private rollDay(hall: MemoryHall, now: number): void {
    const date = businessDate(now, hall.config.timezone);
    if (date <= hall.snapshot.businessDate) return;
    const seq = hall.snapshot.seq + 1;
    hall.snapshot = { ...startDay(hall.snapshot, date), seq, at: now };
    for (const [id, t] of hall.tickets) if (ENDED_STATES.includes(t.state) || t.businessDate < date) hall.tickets.delete(id);
    hall.events.push({ type: "hall:dayStarted", hallId: hall.config.id, seq, at: now, businessDate: date });
  }
}
