/**
 * A 差评 followed to its end, in Chromium, as issue 14 tells it: a citizen rates 不满意 on the pad
 * at window 1; the archive opens a follow-up; the manager finds it in the console's 回访整改 tab,
 * records the callback and the rectification, and closes it; the report of the day counts it
 * called back, rectified and closed. The hall and its records share one SQLite file, archived as
 * in main.ts.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { ReportSummary } from "../protocol/index.js";
import { businessDate } from "../server/domain/clock.js";
import { DEVICES, screenshot, startBrowser } from "./helpers/browser.js";
import { PASSWORD, TOKENS, testHall } from "./helpers/hall.js";
import { ok, startRecordedWebServer } from "./helpers/web.js";

const WAIT = { timeout: 10_000 };

describe("a 差评 from the pad to a closed follow-up", async () => {
  const hall = testHall();
  const t = await startRecordedWebServer(hall);
  const browser = await startBrowser();
  afterAll(() => t.close());
  const open = async (device: keyof typeof DEVICES, url: string): Promise<Page> => {
    const page = await (await browser.newContext(DEVICES[device])).newPage();
    page.on("pageerror", (err) => console.error(`[${device}] page error:`, err.message));
    await page.goto(`${t.url}${url}`);
    return page;
  };
  let number = "";

  it("the citizen rates 不满意 on window 1's pad after the service", async () => {
    const pad = await open("pad", `/pad/?hall=${hall.id}&token=${TOKENS.pad1}&window=1`);
    await pad.getByTestId("pad-idle").waitFor(WAIT);
    const kiosk = await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    const counter = await t.counter("alice", "1");
    const issued = await ok(kiosk, "ticket:issue", { serviceId: "social" });
    number = (issued as { ticket: { number: string } }).ticket.number;
    await ok(counter, "window:callNext", { windowId: "1" });
    await ok(counter, "ticket:finish", { windowId: "1" });
    await pad.getByTestId("pad-ask").waitFor(WAIT);
    await pad.getByTestId("rate-2").tap();
    await pad.getByTestId("pad-thanks").waitFor(WAIT);
    kiosk.disconnect();
    counter.disconnect();
    await pad.context().close();
  });

  it("the manager records the callback and the rectification in 回访整改 and closes it; the day's report counts it closed", async () => {
    const mgr = await open("manager", `/manager/?hall=${hall.id}`);
    await mgr.getByTestId("staff-id").fill("boss");
    await mgr.getByTestId("password").fill(PASSWORD);
    await mgr.getByTestId("sign-in-submit").click();
    await mgr.getByTestId("window-1").waitFor(WAIT);
    // The alarm is on the tab whatever tab is open; this one is not overdue yet.
    expect(await mgr.getByTestId("tab-followUps-overdue").count()).toBe(0);
    await mgr.getByTestId("tab-followUps").click();
    const row = mgr.getByTestId(`follow-up-${number}`);
    // Opened by the archive in the background: read again until it is there.
    await expect
      .poll(async () => {
        if ((await row.count()) === 0) await mgr.getByTestId("follow-ups-refresh").click();
        return row.count();
      }, WAIT)
      .toBe(1);
    expect(await mgr.getByTestId(`follow-up-${number}-state`).textContent()).toBe("待回访");
    await row.click();

    await mgr.getByTestId("follow-up-step").selectOption("callback");
    await mgr.getByTestId("follow-up-reached").selectOption("yes");
    await mgr.getByTestId("follow-up-note").fill("已致电，群众反映等候时间长");
    await mgr.getByTestId("follow-up-submit").click();
    await expect.poll(() => mgr.getByTestId(`follow-up-${number}-state`).textContent(), WAIT).toBe("已回访");

    await mgr.getByTestId("follow-up-step").selectOption("rectification");
    await mgr.getByTestId("follow-up-note").fill("高峰时段增开社保窗口");
    await mgr.getByTestId("follow-up-submit").click();
    await expect.poll(() => mgr.getByTestId(`follow-up-${number}-state`).textContent(), WAIT).toBe("已整改");
    await screenshot(mgr, "follow-up-console");

    await mgr.getByTestId("follow-up-step").selectOption("close");
    await mgr.getByTestId("follow-up-submit").click();
    // Closed, it leaves the list of open ones and is found among the closed.
    await expect.poll(() => mgr.getByTestId(`follow-up-${number}`).count(), WAIT).toBe(0);
    await mgr.getByTestId("follow-ups-filter").selectOption("closed");
    await expect.poll(() => mgr.getByTestId(`follow-up-${number}-state`).textContent(), WAIT).toBe("已办结");
    await screenshot(mgr, "follow-up-closed");
    expect(await mgr.getByTestId(`follow-up-${number}-steps`).textContent()).toContain("高峰时段增开社保窗口");

    const today = businessDate(Date.now(), hall.timezone);
    const token = await t.login("boss");
    const res = await fetch(`${t.url}/api/halls/${hall.id}/reports/summary?from=${today}&to=${today}&by=day`, { headers: { authorization: `Bearer ${token}` } });
    const summary = (await res.json()) as ReportSummary;
    expect(summary.followUps).toMatchObject({ opened: 1, calledBack: 1, rectified: 1, closed: 1, overdue: 0 });
  });
});
