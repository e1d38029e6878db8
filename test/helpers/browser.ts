/**
 * Headless Debian Chromium for end-to-end tests (never a downloaded browser). Screenshots of every
 * page go to screenshots/ (named in the README) so people can look at what the tests saw.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, "../../screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run", "--autoplay-policy=no-user-gesture-required"];

/** One browser per test file, closed after it. */
export async function startBrowser(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  afterAll(async () => {
    await browser.close();
  });
  return browser;
}

/** A fresh context (own storage) with a device's viewport: hall board, counter PC, kiosk, phone. */
export const DEVICES = {
  board: { viewport: { width: 1920, height: 1080 } },
  strip: { viewport: { width: 1280, height: 320 } },
  counter: { viewport: { width: 1366, height: 768 } },
  kiosk: { viewport: { width: 1080, height: 1920 }, hasTouch: true },
  pad: { viewport: { width: 1024, height: 600 }, hasTouch: true },
  manager: { viewport: { width: 1600, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 },
} as const;

export async function openPage(browser: Browser, device: keyof typeof DEVICES, url: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(DEVICES[device]);
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error(`[${device}] page error:`, err.message));
  await page.goto(url);
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
