/**
 * The embedded SQLite store through its own execute: a busy day of a hall (1,500 tickets issued,
 * called, started and finished, one fsynced transaction per command), then the time to open the
 * file again and rebuild the hall (what a restart costs), and to read the whole log back.
 *
 *   npm run bench:sqlite [-- --tickets 1500]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { HallEvent } from "../protocol/index.js";
import { instantOf } from "../server/domain/clock.js";
import type { Actor, StoreCommand } from "../server/domain/hall-commands.js";
import { createSqliteStore } from "../server/store/sqlite/sqlite-store.js";
import { newCommandId } from "../protocol/command-retry.js";
import { testHall } from "../test/helpers/hall.js";

const { values } = parseArgs({ options: { tickets: { type: "string", default: "1500" } } });
const TICKETS = Number(values.tickets);
const hall = testHall({ services: testHall().services.map((s) => ({ ...s, dailyQuota: 100_000 })) });
const dir = mkdtempSync(path.join(tmpdir(), "hallcall-bench-sqlite-"));
let now = instantOf("2026-03-02", "08:00", hall.timezone);
const ctx = (by: Actor) => ({ now, by, staffId: null });
const at = (windowId: string, name: "window:callNext" | "ticket:start" | "ticket:finish"): StoreCommand => ({ name, payload: { commandId: newCommandId(), windowId } });

const store = createSqliteStore(dir);
await store.loadHall(hall, now);
for (const [windowId, staffId] of [["1", "alice"], ["4", "bob"]] as const) await store.execute(hall.id, { name: "window:signIn", payload: { windowId, staffId } }, ctx("staff"));
let commands = 0;
const started = performance.now();
for (let i = 0; i < TICKETS; i++) {
  now += 1_000;
  await store.execute(hall.id, { name: "ticket:issue", payload: { commandId: newCommandId(), serviceId: i % 2 ? "social" : "medical", priority: "normal", then: [] } }, ctx("kiosk"));
  commands += 1;
  for (const w of ["1", "4"]) {
    for (const name of ["window:callNext", "ticket:start", "ticket:finish"] as const) {
      const done = await store.execute(hall.id, at(w, name), ctx("staff")).then(() => true, () => false);
      if (!done) break;
      commands += 1;
    }
  }
}
const wroteMs = performance.now() - started;
const seq = (await store.snapshot(hall.id)).seq;
await store.close();

const opening = performance.now();
const again = createSqliteStore(dir);
await again.loadHall(hall, now);
const openMs = performance.now() - opening;
const reading = performance.now();
const log: HallEvent[] = [];
for (let after = 0; ; ) {
  const page = await again.eventsSince(hall.id, after, 1_000);
  if (!page.length) break;
  log.push(...page);
  after = page.at(-1)!.seq;
}
const readMs = performance.now() - reading;
await again.close();
rmSync(dir, { recursive: true, force: true });

console.log(`${commands} commands (${TICKETS} tickets, ${seq} events) in ${wroteMs.toFixed(0)} ms: ${((commands / wroteMs) * 1000).toFixed(0)} commands/s, ${(wroteMs / commands).toFixed(2)} ms each`);
console.log(`reopen and rebuild the hall: ${openMs.toFixed(0)} ms; read the whole log back (${log.length} events): ${readMs.toFixed(0)} ms`);
