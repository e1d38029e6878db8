/** The archiver on the embedded side: a memory store's halls into SQLite. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalHallLock } from "../server/balancer/lock.js";
import { ManualClock } from "../server/domain/clock.js";
import { Archiver } from "../server/records/archiver.js";
import { openRecords } from "../server/records/open.js";
import type { RecordsStore } from "../server/records/records-store.js";
import { MemoryStore } from "../server/store/memory/memory-store.js";
import { HallScript } from "./records.contract.js";
import { T0 } from "./store.contract.js";

const FAST = { intervalMs: 20, backoffMinMs: 20, backoffMaxMs: 100 };

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("archiver from the memory store to SQLite", () => {
  let records: RecordsStore;
  let hall: HallScript;
  let archivers: Archiver[];

  beforeEach(async () => {
    records = await openRecords({ sqlite: ":memory:" });
    hall = await new HallScript(new MemoryStore(), new ManualClock(T0)).load();
    await hall.run("window:open", { windowId: "w1" });
    archivers = [];
  });
  afterEach(async () => {
    await Promise.all(archivers.map((a) => a.stop()));
    await records.close();
    await hall.store.close();
  });

  const archiver = (more: Partial<ConstructorParameters<typeof Archiver>[0]> = {}) => {
    const a = new Archiver({ store: hall.store, records, halls: [hall.hallId], ...FAST, ...more });
    archivers.push(a);
    return a;
  };
  const caughtUp = async () => JSON.stringify(await records.events(hall.hallId)) === JSON.stringify(await hall.log());

  it("keeps the hall's whole log, and what is committed after, once", async () => {
    for (let i = 0; i < 3; i++) await hall.issue("social");
    const a = archiver();
    a.start();
    await until("the first tickets are archived", caughtUp);
    await hall.serve("w1");
    await until("the service is archived", caughtUp);
    expect(await records.events(hall.hallId)).toEqual(await hall.log());
  });

  it("reads the log in batches when it is longer than one", async () => {
    for (let i = 0; i < 25; i++) await hall.issue("social");
    await archiver({ batch: 7 }).archive(hall.hallId);
    expect(await records.events(hall.hallId)).toEqual(await hall.log());
  });

  it("a new archiver on the same records resumes from the cursor: no event twice, no service counted twice", async () => {
    const t = await hall.issue("social");
    await hall.run("window:callNext", { windowId: "w1" });
    await hall.run("ticket:start", { windowId: "w1" });
    await archiver().archive(hall.hallId);
    hall.clock.advance(5 * 60_000);
    await hall.run("ticket:finish", { windowId: "w1" });
    await archiver().archive(hall.hallId);
    await archiver().archive(hall.hallId);
    expect(await records.events(hall.hallId)).toEqual(await hall.log());
    const [row] = await records.tickets(hall.hallId, "2026-03-02", "2026-03-02");
    expect(row).toMatchObject({ ticket_id: t.id, outcome: "finished", service_sec: 300 });
  });

  it("with two nodes on one lock, only the holder of the hall's archive lock archives it", async () => {
    await hall.issue("social");
    const locks = new LocalHallLock(() => Date.now());
    const first = archiver({ lock: locks.holder() });
    const second = archiver({ lock: locks.holder() });
    await first.archive(hall.hallId);
    await hall.issue("social");
    await second.archive(hall.hallId);
    expect((await records.events(hall.hallId)).length).toBe((await hall.log()).length - 1);
    await first.archive(hall.hallId);
    expect(await records.events(hall.hallId)).toEqual(await hall.log());
  });

  it("takes a lock of its own, so the balancer's holder need not archive", async () => {
    const locks = new LocalHallLock(() => Date.now());
    const balancerNode = locks.holder();
    expect(await balancerNode.tryAcquire(hall.hallId, 60_000)).toBe(true);
    await hall.issue("social");
    await archiver({ lock: locks.holder() }).archive(hall.hallId);
    expect(await records.events(hall.hallId)).toEqual(await hall.log());
  });
});
