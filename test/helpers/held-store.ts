/**
 * A real MemoryStore whose next commands of one name can be held, as a store that does not answer
 * in time would hold them (Redis restarting, a slow shard): `stall` keeps a command from running
 * until `release` (it takes effect late), `loseAnswers` runs it now and keeps its answer until
 * `release` (it took effect, the answer is late), `stallSnapshots` keeps snapshot reads waiting
 * the same way (a screen's resync). The server's store deadline then answers
 * STORE_UNAVAILABLE, as it does in production. Nothing of the protocol is faked.
 */
import type { HallEvent, HallSnapshot, Ticket } from "../../protocol/index.js";
import type { HallConfig } from "../../server/domain/config.js";
import { commandIdOf, type CommandContext, type StoreCommand } from "../../server/domain/hall-commands.js";
import { MemoryStore } from "../../server/store/memory/memory-store.js";
import type { Executed, HallStore } from "../../server/store/types.js";

export class HeldStore implements HallStore {
  readonly kind = "memory" as const;
  /** Every command the store received, in order: its name and commandId. */
  readonly received: { name: string; commandId: string | undefined }[] = [];
  private held: { name: string; stall: number; lose: number } | null = null;
  private snapshotsHeld = false;
  private gate!: Promise<void>;
  private closed = false;
  private open!: () => void;

  constructor(readonly inner = new MemoryStore()) {
    this.closeGate();
  }

  /** The next `n` commands called `name` wait for `release()` before the store decides them. */
  stall(name: string, n = 1): void {
    this.closeGate();
    this.held = { name, stall: n, lose: 0 };
  }

  /** The next `n` commands called `name` are decided and committed now; their answers wait for `release()`. */
  loseAnswers(name: string, n = 1): void {
    this.closeGate();
    this.held = { name, stall: 0, lose: n };
  }

  /** Snapshot reads wait for `release()`, as with a database that does not answer. */
  stallSnapshots(): void {
    this.closeGate();
    this.snapshotsHeld = true;
  }

  /** Lets every held command, answer and read go on. */
  release(): void {
    this.held = null;
    this.snapshotsHeld = false;
    this.open();
  }

  async execute(hallId: string, cmd: StoreCommand, ctx: CommandContext): Promise<Executed> {
    this.received.push({ name: cmd.name, commandId: commandIdOf(cmd) });
    const h = this.held;
    if (!h || cmd.name !== h.name) return this.inner.execute(hallId, cmd, ctx);
    const gate = this.gate;
    if (h.stall > 0) {
      h.stall -= 1;
      await gate;
      return this.inner.execute(hallId, cmd, ctx);
    }
    if (h.lose > 0) {
      h.lose -= 1;
      const done = await this.inner.execute(hallId, cmd, ctx);
      await gate;
      return done;
    }
    return this.inner.execute(hallId, cmd, ctx);
  }

  loadHall(config: HallConfig, now: number): Promise<void> {
    return this.inner.loadHall(config, now);
  }
  async snapshot(hallId: string): Promise<HallSnapshot> {
    if (this.snapshotsHeld) await this.gate;
    return this.inner.snapshot(hallId);
  }
  ticket(hallId: string, ticketId: string): Promise<Ticket | null> {
    return this.inner.ticket(hallId, ticketId);
  }
  eventsSince(hallId: string, afterSeq: number, limit?: number): Promise<HallEvent[]> {
    return this.inner.eventsSince(hallId, afterSeq, limit);
  }
  close(): Promise<void> {
    this.open();
    return this.inner.close();
  }

  /** A new gate unless one is closed already (what waits on it keeps waiting for the same release). */
  private closeGate(): void {
    if (this.closed) return;
    this.closed = true;
    this.gate = new Promise<void>((resolve) => (this.open = () => ((this.closed = false), resolve())));
  }
}
