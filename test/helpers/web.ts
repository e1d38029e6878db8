/**
 * Shared bits of the citizen-facing browser tests (board, strip, kiosk, tracker): a test server
 * that serves the built pages and publishes expected waits quickly, and ticket/call shortcuts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import type { Page } from "playwright-core";
import type { HallCallOptions } from "../../server/app.js";
import type { HallEvent, Ticket } from "../../protocol/index.js";
import type { ManualClock } from "../../server/domain/clock.js";
import type { HallConfig } from "../../server/domain/config.js";
import { Archiver } from "../../server/records/archiver.js";
import { openRecords } from "../../server/records/open.js";
import type { RecordsStore } from "../../server/records/records-store.js";
import { createSqliteStore, type SqliteStore } from "../../server/store/sqlite/sqlite-store.js";
import { call, cid, startTestServer, type Client, type TestServer } from "./server.js";
import { TOKENS } from "./hall.js";

export async function startWebServer(opts: Partial<HallCallOptions> = {}): Promise<TestServer> {
  return startTestServer({ webRoot: inject("webRoot"), queueSummaryMs: 100, ...opts });
}

export interface RecordedServer extends TestServer {
  store: SqliteStore;
  records: RecordsStore;
  /** Stops the archiver and removes the data directory. */
  close(): Promise<void>;
}

/**
 * A web server as `npm start` runs one: the hall and its records in one SQLite file (a temp
 * directory), archived as main.ts archives them, so that bookings, follow-ups and the audit
 * trail see the hall's events.
 */
export async function startRecordedWebServer(hall: HallConfig, clock?: ManualClock): Promise<RecordedServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "hc-recorded-"));
  const store = createSqliteStore(dir);
  const records = await openRecords({ sqlite: store.db });
  const t = await startWebServer({ store, records, halls: [hall], ...(clock ? { clock } : {}) });
  const archiver = new Archiver({ store, records, halls: [hall.id], ...(clock ? { now: () => clock.now() } : {}) });
  t.server.ctx.onEvent(archiver.notify);
  archiver.start();
  return {
    ...t,
    store,
    records,
    close: async () => {
      await archiver.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sends a command and fails the test with the server's error when it is refused. */
export async function ok(socket: Client, name: string, payload: Record<string, unknown>): Promise<HallEvent> {
  const res = await call(socket, name, { commandId: cid(), ...payload });
  if (!res.ok) throw new Error(`${name} refused: ${res.error.code} ${res.error.message}`);
  return res.data;
}

export async function issue(t: TestServer, serviceId: string, priority = "normal"): Promise<Ticket> {
  const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
  const e = await ok(kiosk, "ticket:issue", { serviceId, priority });
  kiosk.disconnect();
  return (e as { ticket: Ticket }).ticket;
}

/** Text of the first element with this data-testid (shadow DOM is pierced). */
export async function text(page: Page, testId: string): Promise<string> {
  return ((await page.locator(`[data-testid="${testId}"]`).first().textContent()) ?? "").replace(/\s+/g, " ").trim();
}

/** Waits until the element with this data-testid contains `expected`. */
export async function waitForText(page: Page, testId: string, expected: string, timeout = 10_000): Promise<void> {
  await page.locator(`[data-testid="${testId}"]`, { hasText: expected }).first().waitFor({ timeout });
}

/** Waits until an element matching the CSS selector has exactly this text. */
export async function waitForExact(page: Page, selector: string, expected: string, timeout = 10_000): Promise<void> {
  const escaped = expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  await page.locator(selector, { hasText: new RegExp(`^\\s*${escaped}\\s*$`) }).first().waitFor({ timeout });
}
