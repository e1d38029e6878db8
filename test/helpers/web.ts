/**
 * Shared bits of the citizen-facing browser tests (board, strip, kiosk, tracker): a test server
 * that serves the built pages and publishes expected waits quickly, and ticket/call shortcuts.
 */
import { inject } from "vitest";
import type { Page } from "playwright-core";
import type { HallCallOptions } from "../../server/app.js";
import type { HallEvent, Ticket } from "../../protocol/index.js";
import { call, cid, startTestServer, type Client, type TestServer } from "./server.js";
import { TOKENS } from "./hall.js";

export async function startWebServer(opts: Partial<HallCallOptions> = {}): Promise<TestServer> {
  return startTestServer({ webRoot: inject("webRoot"), queueSummaryMs: 100, ...opts });
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
