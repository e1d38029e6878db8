/**
 * What every transport handler shares: the store, hall configs, clock, signer and signed-out
 * sessions, and `run`, the one path by which a command reaches the store and its event reaches
 * the rooms that care.
 */
import type { HallEvent } from "../../protocol/index.js";
import type { Clock } from "../domain/clock.js";
import type { Actor, StoreCommand } from "../domain/hall-commands.js";
import type { HallConfig } from "../domain/config.js";
import type { Logger } from "../log.js";
import { DEFAULT_STORE_DEADLINE_MS, withinDeadline } from "../store/deadline.js";
import type { HallStore } from "../store/types.js";
import type { SessionSigner } from "./auth.js";
import type { HallMetrics } from "./metrics.js";
import { MemorySessionRegistry, type SessionRegistry } from "./sessions.js";

export type EventListener = (event: HallEvent) => void;

export class HallContext {
  private listeners: EventListener[] = [];

  constructor(
    readonly store: HallStore,
    readonly halls: Map<string, HallConfig>,
    readonly clock: Clock,
    readonly signer: SessionSigner,
    readonly metrics: HallMetrics,
    readonly log: Logger,
    /** Signed-out staff sessions: every staff check asks it, on every node. */
    readonly sessions: SessionRegistry = new MemorySessionRegistry(() => clock.now()),
  ) {}

  /** Called with every event this node committed (broadcast, queue summaries, balancer). */
  onEvent(listener: EventListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Expected wait to print on a new ticket of a service (the hall's latest forecast), if known. */
  issueEta: (hallId: string, serviceId: string) => number | null = () => null;

  /** How long a command may wait for the store before it is answered STORE_UNAVAILABLE, ms. */
  commandDeadlineMs = DEFAULT_STORE_DEADLINE_MS;

  /**
   * Runs a command and answers with its event. What it committed (a new day's start first, when
   * it was due) goes to the listeners; a repeated commandId committed nothing, so nothing is
   * broadcast or counted again, on whichever node the first run happened. Past the deadline the
   * caller is answered STORE_UNAVAILABLE, but a commit that lands later is still broadcast: the
   * other screens learn of it as of any other, the caller from its retry.
   */
  run(hallId: string, cmd: StoreCommand, by: Actor, staffId: string | null, device: string | null = null): Promise<HallEvent> {
    const issueEtaSec = cmd.name === "ticket:issue" ? this.issueEta(hallId, cmd.payload.serviceId) : null;
    const executing = this.store.execute(hallId, cmd, { now: this.clock.now(), by, staffId, device, issueEtaSec }).then(({ event, committed }) => {
      this.publish(committed);
      return event;
    });
    return withinDeadline(executing, this.commandDeadlineMs, cmd.name);
  }

  private publish(committed: HallEvent[]): void {
    for (const e of committed) {
      this.metrics.observeEvent(e);
      for (const l of this.listeners) {
        try {
          l(e);
        } catch (err) {
          this.log.error(`event listener failed on ${e.type}`, err);
        }
      }
    }
  }
}
