/**
 * What every transport handler shares: the store, hall configs, clock and signer, and `run`, the
 * one path by which a command reaches the store and its event reaches the rooms that care.
 */
import type { HallEvent } from "../../protocol/index.js";
import type { Clock } from "../domain/clock.js";
import type { Actor, StoreCommand } from "../domain/commands.js";
import type { HallConfig } from "../domain/config.js";
import type { Logger } from "../log.js";
import type { HallStore } from "../store/types.js";
import type { SessionSigner } from "./auth.js";
import type { HallMetrics } from "./metrics.js";

export type EventListener = (event: HallEvent) => void;

export class HallContext {
  private listeners: EventListener[] = [];
  /** Highest seq this node produced per hall: a repeated commandId returns an older event, which is not published again. */
  private produced = new Map<string, number>();

  constructor(
    readonly store: HallStore,
    readonly halls: Map<string, HallConfig>,
    readonly clock: Clock,
    readonly signer: SessionSigner,
    readonly metrics: HallMetrics,
    readonly log: Logger,
  ) {}

  /** Called with every event this node produced (broadcast, queue summaries, balancer). */
  onEvent(listener: EventListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Expected wait to print on a new ticket of a service (the hall's latest forecast), if known. */
  issueEta: (hallId: string, serviceId: string) => number | null = () => null;

  async run(hallId: string, cmd: StoreCommand, by: Actor, staffId: string | null): Promise<HallEvent> {
    const issueEtaSec = cmd.name === "ticket:issue" ? this.issueEta(hallId, cmd.payload.serviceId) : null;
    const event = await this.store.execute(hallId, cmd, { now: this.clock.now(), by, staffId, issueEtaSec });
    if (event.seq <= (this.produced.get(hallId) ?? 0)) return event;
    this.produced.set(hallId, event.seq);
    this.metrics.observeEvent(event);
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        this.log.error(`event listener failed on ${event.type}`, err);
      }
    }
    return event;
  }
}
