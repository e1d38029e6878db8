import { describe, expect, it } from "vitest";
import type { HallEvent } from "../protocol/index.js";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import type { StoreCommand } from "../server/domain/hall-commands.js";
import { HallFollower } from "../server/store/hall-follower.js";
import type { HallStore } from "../server/store/types.js";
import { testHall } from "./helpers/hall.js";
import { bothStores } from "./helpers/stores.js";
import { comparable } from "./store.contract.js";

const HALL = "t1";

/** The store as the follower sees it, counting the whole-hall reads it asks for. */
function counted(store: HallStore): HallStore & { snapshots: number } {
  const seen = Object.create(store) as HallStore & { snapshots: number };
  seen.snapshots = 0;
  seen.snapshot = (hallId) => {
    seen.snapshots++;
    return store.snapshot(hallId);
  };
  return seen;
}

describe.each(bothStores("follow"))("a hall followed on %s", (_name, makeStore) => {
  async function hall() {
    const clock = new ManualClock(instantOf("2026-11-23", "10:00", "Asia/Shanghai"));
    const store = await makeStore();
    await store.loadHall(testHall(), clock.now());
    let n = 0;
    const run = (cmd: Omit<StoreCommand, "payload"> & { payload: Record<string, unknown> }) =>
      store.execute(HALL, { ...cmd, payload: { commandId: `cmd-${++n}`, ...cmd.payload } } as StoreCommand, { now: clock.now(), by: "staff", staffId: "alice" }).then((r) => r.event);
    const issue = () => run({ name: "ticket:issue", payload: { serviceId: "social", priority: "normal", then: [] } });
    const seen = counted(store);
    return { clock, store, run, issue, seen, follower: new HallFollower(seen, HALL) };
  }

  it("shows the hall as the store has it, reading the whole hall only once", async () => {
    const { store, run, issue, seen, follower } = await hall();
    await run({ name: "window:open", payload: { windowId: "1" } });
    await issue();
    await follower.current();
    await issue();
    await run({ name: "window:callNext", payload: { windowId: "1" } });
    const view = await follower.current();
    expect(comparable(view)).toEqual(comparable(await store.snapshot(HALL)));
    expect(seen.snapshots).toBe(1);
  });

  it("tells its listeners every logged event once, in order", async () => {
    const { store, issue, follower } = await hall();
    const heard: HallEvent[] = [];
    follower.onEvent((e) => heard.push(e));
    await issue();
    await follower.current();
    await issue();
    await issue();
    await Promise.all([follower.current(), follower.current()]);
    await follower.current();
    expect(heard).toEqual(await store.eventsSince(HALL, 0));
  });

  it("a caller who asks while a read is under way gets the events committed before it asked", async () => {
    const { issue, follower } = await hall();
    await follower.current();
    const first = follower.current();
    const issued = await issue();
    const second = follower.current();
    await first;
    expect((await second).seq).toBe(issued.seq);
  });

  it("follows the hall into a new business day from the log, and its listeners hear the day start", async () => {
    const { clock, run, issue, seen, follower } = await hall();
    const heard: string[] = [];
    follower.onEvent((e) => heard.push(e.type));
    const carried = await issue();
    await follower.current();
    clock.advance(24 * 3600_000);
    await run({ name: "hall:startDay", payload: {} });
    const view = await follower.current();
    expect(view.businessDate).toBe("2026-11-24");
    expect(view.tickets.map((t) => t.id)).toEqual([carried.type === "ticket:issued" ? carried.ticket.id : ""]);
    expect(heard).toEqual(["ticket:issued", "hall:dayStarted"]);
    expect(seen.snapshots).toBe(1);
  });
});
