/**
 * One hall as a store holds it in process: the snapshot folded from the event log with the
 * shared reducer, plus the tickets of the day by id (ended ones included, which the snapshot
 * leaves out). The domain decides on it; the store commits what was decided, then applies it here.
 * The memory store's replica is the hall itself; the Redis store keeps one per hall per node and
 * catches it up from the log when a commit finds that another node moved the hall on.
 */
import { applyEvent, type HallEvent, type HallSnapshot, type Ticket } from "../../protocol/index.js";
import { actorOf, type CommandContext, type EventBody, type StoreCommand } from "../domain/hall-commands.js";
import type { HallConfig } from "../domain/config.js";
import { dayEpoch, keptOn, withConfig } from "../domain/hall.js";
import { dayDue, decide, walkInsIssued, type HallView } from "../domain/transitions.js";

/** What a command commits, in order, and the event that answers it. */
export interface Decided {
  events: HallEvent[];
  answer: HallEvent;
}

export class HallReplica {
  private constructor(
    private current: HallSnapshot,
    private readonly tickets: Map<string, Ticket>,
    private config: HallConfig,
    /** For a fork: the replica it decides ahead of. */
    private readonly parent: HallReplica | null = null,
  ) {}

  /** For a fork that applied a new business day: the parent's tickets it no longer finds. */
  private startedDay: string | null = null;

  /** A replica of `snapshot` under `config` (which names the services and labels the windows). */
  static of(config: HallConfig, snapshot: HallSnapshot): HallReplica {
    return new HallReplica(withConfig(snapshot, config), new Map(snapshot.tickets.map((t) => [t.id, t])), config);
  }

  get snapshot(): HallSnapshot {
    return this.current;
  }

  get seq(): number {
    return this.current.seq;
  }

  /** A ticket the replica knows: live, or ended today and seen by it. */
  ticket(id: string): Ticket | undefined {
    const own = this.tickets.get(id);
    if (own || !this.parent) return own;
    const t = this.parent.ticket(id);
    return t && (!this.startedDay || keptOn(t, this.startedDay, this.config.timezone)) ? t : undefined;
  }

  /**
   * A scratch copy to decide several commands on, one after another, before any is committed:
   * applying to it leaves this replica as it is. Costs nothing to make.
   */
  fork(): HallReplica {
    return new HallReplica(this.current, new Map(), this.config, this);
  }

  /** Learn a ticket the replica has not seen (one that ended before it was built). */
  remember(t: Ticket): void {
    const cur = this.tickets.get(t.id);
    if (!cur && keptOn(t, this.current.businessDate, this.config.timezone)) this.tickets.set(t.id, t);
  }

  reconfigure(config: HallConfig): void {
    this.config = config;
    this.current = withConfig(this.current, config);
  }

  /** Apply the next event of the log; false (and nothing changed) when it is not the next one. */
  apply(e: HallEvent): boolean {
    const res = applyEvent(this.current, e);
    if (!res.ok) return false;
    this.current = res.snapshot;
    if ("ticket" in e) this.tickets.set(e.ticket.id, e.ticket);
    if (e.type === "hall:dayStarted") {
      for (const [id, t] of this.tickets) if (!keptOn(t, e.businessDate, this.config.timezone)) this.tickets.delete(id);
      if (this.parent) this.startedDay = e.businessDate;
    }
    return true;
  }

  /**
   * The events a command commits, stamped with the hall's next sequence numbers: a new business
   * day first when `now` is past the hall's, then the command's own (its first is the answer).
   * Throws the domain's refusal; the replica itself does not change.
   */
  decide(cmd: StoreCommand, ctx: CommandContext): Decided {
    const hallId = this.current.hallId;
    // A new day's start begins the next epoch; every other event counts in the one it is decided in.
    // A new day started before a command is the server's; the command's own events are its sender's.
    const stamp = (bodies: EventBody[], on: HallSnapshot, actor = actorOf(ctx)): HallEvent[] =>
      bodies.map((body, i) => ({ ...body, hallId, seq: on.seq + i + 1, epoch: body.type === "hall:dayStarted" ? dayEpoch(body.businessDate, ctx.now) : on.epoch, at: ctx.now, actor }) as HallEvent);
    if (cmd.name === "hall:startDay" || !dayDue(this.view(), ctx.now)) {
      const events = stamp(decide(this.view(), cmd, ctx), this.current);
      return { events, answer: events[0]! };
    }
    const dayStarted = stamp(decide(this.view(), { name: "hall:startDay", payload: {} }, ctx), this.current, { kind: "system", id: null });
    const next = this.fork();
    dayStarted.forEach((e) => next.apply(e));
    const own = stamp(decide(next.view(), cmd, ctx), next.current);
    return { events: [...dayStarted, ...own], answer: own[0]! };
  }

  view(): HallView {
    const s = this.current;
    return {
      config: this.config,
      businessDate: s.businessDate,
      window: (id) => s.windows.find((w) => w.id === id),
      ticket: (id) => this.ticket(id),
      waiting: () => s.tickets.filter((t) => t.state === "waiting"),
      live: () => s.tickets,
      issuedToday: (serviceId) => s.stats.issued[serviceId] ?? 0,
      walkInsToday: (serviceId) => walkInsIssued(s.stats, serviceId),
      suggestion: (id) => s.balancer.suggestions.find((x) => x.id === id),
      suggestions: () => s.balancer.suggestions,
    };
  }
}
