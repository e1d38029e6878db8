/**
 * The load test's proof that no ticket was dispatched twice or lost: reads every hall's event log
 * while the run goes on (so the log's trim never hides an event) and checks it at the end against
 * the halls' final snapshots. The log is read straight from Redis with a store of its own (no
 * load on the nodes under test), or for the memory store from the node over IPC.
 *
 * Runnable on its own against a Redis-backed run left standing (servers.ts --store redis):
 *   tsx scripts/loadtest/event-log.ts --redis redis://127.0.0.1:PORT --prefix lt --config halls.json
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { HallEvent, HallSnapshot } from "../../protocol/index.js";
import { parseHalls, type HallConfigInput } from "../../server/domain/config.js";
import type { HallCallNode } from "./servers.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LogReader {
  events(hallId: string, after: number, limit: number): Promise<HallEvent[]>;
  snapshot(hallId: string): Promise<HallSnapshot>;
  close(): Promise<void>;
}

/** A node's memory store, over IPC. */
export function nodeLogReader(node: HallCallNode): LogReader {
  return {
    events: (hallId, after, limit) => node.request<HallEvent[]>({ op: "events", hallId, after, limit }),
    snapshot: (hallId) => node.request<HallSnapshot>({ op: "snapshot", hallId }),
    close: async () => {},
  };
}

/** The halls' Redis keys, read with a store object of the checker's own. */
export async function redisLogReader(url: string, prefix: string, halls: HallConfigInput[]): Promise<LogReader> {
  const { createRedisStore } = await import("../../server/store/redis/redis-store.js");
  const { normalizePrefix } = await import("../../server/store/redis/wiring.js");
  const store = await createRedisStore({ url, prefix: normalizePrefix(prefix) });
  // Registers the halls with this store object; halls that exist keep their live state.
  for (const h of parseHalls({ halls })) await store.loadHall(h, Date.now());
  return {
    events: (hallId, after, limit) => store.eventsSince(hallId, after, limit),
    snapshot: (hallId) => store.snapshot(hallId),
    close: () => store.close(),
  };
}

export interface LogCheck {
  events: number;
  issued: number;
  /** Tickets with two non-recall `ticket:called` events, or two `ticket:issued`. */
  twice: number;
  /** Issued tickets never called and not waiting at the end. */
  lost: number;
  /** Pages of the log that did not start where the last one ended (trimmed before they were read). */
  holes: number;
  waitingAtEnd: number;
}

const PAGE = 2000;

/** Follows every hall's event log as it grows and keeps what the check needs. */
export class LogChecker {
  private after = new Map<string, number>();
  private issued = new Map<string, number>();
  private calls = new Map<string, number>();
  private events = 0;
  private holes = 0;
  private stopped = false;

  constructor(
    private readonly log: LogReader,
    private readonly halls: string[],
  ) {}

  /** Read what is new in every hall; resolves with how many events that was. */
  async pass(): Promise<number> {
    let got = 0;
    for (const hallId of this.halls) {
      for (;;) {
        const after = this.after.get(hallId) ?? 0;
        const page = await this.log.events(hallId, after, PAGE);
        if (!page.length) break;
        if (page[0]!.seq !== after + 1) this.holes++;
        for (const e of page) {
          if (e.type === "ticket:issued") this.issued.set(e.ticket.id, (this.issued.get(e.ticket.id) ?? 0) + 1);
          if (e.type === "ticket:called" && !e.recall) this.calls.set(e.ticket.id, (this.calls.get(e.ticket.id) ?? 0) + 1);
        }
        this.events += page.length;
        got += page.length;
        this.after.set(hallId, page[page.length - 1]!.seq);
        await sleep(5);
        if (page.length < PAGE) break;
      }
    }
    return got;
  }

  /** Keep reading every half second until `stop`. */
  async follow(): Promise<void> {
    while (!this.stopped) {
      await this.pass();
      await sleep(500);
    }
  }

  stop(): void {
    this.stopped = true;
  }

  async finish(): Promise<LogCheck> {
    while ((await this.pass()) > 0);
    const waiting = new Set<string>();
    for (const hallId of this.halls) for (const t of (await this.log.snapshot(hallId)).tickets) if (t.state === "waiting") waiting.add(t.id);
    let lost = 0;
    for (const id of this.issued.keys()) if (!this.calls.has(id) && !waiting.has(id)) lost++;
    const twice = [...this.calls.values()].filter((n) => n > 1).length + [...this.issued.values()].filter((n) => n > 1).length;
    return { events: this.events, issued: this.issued.size, twice, lost, holes: this.holes, waitingAtEnd: waiting.size };
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { redis: { type: "string" }, prefix: { type: "string", default: "lt" }, config: { type: "string" } } });
  if (!values.redis || !values.config) throw new Error("usage: event-log.ts --redis URL --prefix P --config halls.json");
  const halls = (JSON.parse(readFileSync(values.config, "utf8")) as { halls: HallConfigInput[] }).halls;
  const reader = await redisLogReader(values.redis, values.prefix!, halls);
  const result = await new LogChecker(reader, halls.map((h) => h.id)).finish();
  await reader.close();
  console.log(JSON.stringify(result, null, 2));
  process.exit(result.twice || result.lost || result.holes ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) main().catch((err) => {
  console.error(err);
  process.exit(1);
});
