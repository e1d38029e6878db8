/**
 * A phone's ticket (POST /api/halls/:hallId/tickets): what it may ask for, and how many one phone
 * and one network may take in a hall per day.
 */
import { describe, expect, it } from "vitest";
import type { HallSnapshot, Ticket } from "../protocol/index.js";
import { instantOf, ManualClock } from "../server/domain/clock.js";
import { DEFAULT_LIMITS } from "../server/transport/rate-limit.js";
import { TOKENS } from "./helpers/hall.js";
import { startTestServer } from "./helpers/server.js";

let n = 0;
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${(++n).toString().padStart(6, "0")}`;

function poster(url: string) {
  return (body: Record<string, unknown>, from = "203.0.113.50") =>
    fetch(`${url}/api/halls/t1/tickets`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": from }, body: JSON.stringify(body) });
}

const ticketsOf = async (url: string): Promise<Ticket[]> => ((await (await fetch(`${url}/api/halls/t1/snapshot`, { headers: { authorization: `Device ${TOKENS.board}` } })).json()) as HallSnapshot).tickets;

describe("what a phone may ask for", async () => {
  const t = await startTestServer({ trustProxy: "loopback" });
  const post = poster(t.url);
  const valid = () => ({ commandId: unique("cmd"), serviceId: "social", deviceId: unique("device-id") });

  it("a phone ticket is always a normal, mobile ticket", async () => {
    const res = await post({ ...valid(), priority: "normal" });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { ticket: Ticket }).ticket).toMatchObject({ priority: "normal", channel: "mobile" });
  });

  it("a phone cannot declare a priority class: staff verify those at the counter", async () => {
    const before = (await ticketsOf(t.url)).length;
    for (const priority of ["disabled", "pregnant", "urgent", "elderly", "nope"]) {
      const res = await post({ ...valid(), priority });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { ok: boolean; error: { code: string; message: string } };
      expect(body).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
      expect(body.error.message).toContain("priority");
    }
    expect(await ticketsOf(t.url)).toHaveLength(before);
  });

  it("a phone cannot choose its channel, not even 'mobile': the server sets it", async () => {
    const before = (await ticketsOf(t.url)).length;
    for (const channel of ["appointment", "mobile", "kiosk", "staff"]) {
      const res = await post({ ...valid(), channel });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("VALIDATION");
      expect(body.error.message).toContain("channel");
    }
    expect(await ticketsOf(t.url)).toHaveLength(before);
  });

  it("a phone ticket names the phone it is for", async () => {
    for (const deviceId of [undefined, "", "short", "x".repeat(65), "has spaces in it 0000", 12345678901234567]) {
      const res = await post({ ...valid(), deviceId });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("VALIDATION");
    }
  });

  it("fields the route does not know are refused, not ignored", async () => {
    const res = await post({ ...valid(), staffId: "alice" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("VALIDATION");
  });
});

describe("tickets per phone per day", async () => {
  const t = await startTestServer({ trustProxy: "loopback" });
  const post = poster(t.url);
  const PER_PHONE = DEFAULT_LIMITS.mobileTicketsPerDevicePerDay;

  it(`one phone takes at most ${PER_PHONE} tickets in a hall per day`, async () => {
    const phone = unique("device-id");
    const statuses = [];
    for (let i = 0; i <= PER_PHONE; i++) statuses.push((await post({ commandId: unique("cmd"), serviceId: "medical", deviceId: phone })).status);
    expect(statuses).toEqual([...Array<number>(PER_PHONE).fill(201), 429]);
    expect((await post({ commandId: unique("cmd"), serviceId: "medical", deviceId: unique("device-id") })).status).toBe(201);
  });

  it("a phone retrying a ticket it already has gets the same ticket, and the retry does not count", async () => {
    const phone = unique("device-id");
    const from = "203.0.113.51";
    const first = { commandId: unique("cmd"), serviceId: "social", deviceId: phone };
    const a = (await (await post(first, from)).json()) as { ticket: Ticket };
    for (let i = 0; i < PER_PHONE + 2; i++) {
      const again = await post(first, from);
      expect(again.status).toBe(201);
      expect(((await again.json()) as { ticket: Ticket }).ticket.id).toBe(a.ticket.id);
    }
    for (let i = 1; i < PER_PHONE; i++) expect((await post({ commandId: unique("cmd"), serviceId: "social", deviceId: phone }, from)).status).toBe(201);
    expect((await post({ commandId: unique("cmd"), serviceId: "social", deviceId: phone }, from)).status).toBe(429);
  });

  it("a refused ticket (quota used up) does not count against the phone", async () => {
    const phone = unique("device-id");
    const from = "203.0.113.52";
    // "estate" has a quota of 2: others take it.
    expect((await post({ commandId: unique("cmd"), serviceId: "estate", deviceId: unique("device-id") }, "203.0.113.53")).status).toBe(201);
    expect((await post({ commandId: unique("cmd"), serviceId: "estate", deviceId: unique("device-id") }, "203.0.113.53")).status).toBe(201);
    for (let i = 0; i < PER_PHONE + 2; i++) {
      const res = await post({ commandId: unique("cmd"), serviceId: "estate", deviceId: phone }, from);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("QUOTA_EXHAUSTED");
    }
    for (let i = 0; i < PER_PHONE; i++) expect((await post({ commandId: unique("cmd"), serviceId: "social", deviceId: phone }, from)).status).toBe(201);
  });
});

describe("tickets per network per day", async () => {
  const clock = new ManualClock(instantOf("2026-11-23", "10:00", "Asia/Shanghai"));
  const t = await startTestServer({ clock, trustProxy: "loopback", limits: { mobileTicketsPerAddressPerDay: 3 } });
  const post = poster(t.url);

  it("one address takes at most its daily tickets in a hall, whatever phones it names, until the hall's midnight", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await post({ commandId: unique("cmd"), serviceId: "social", deviceId: unique("device-id") }, "198.51.100.77"));
    expect(statuses.map((r) => r.status)).toEqual([201, 201, 201, 429]);
    // 10:00 in Shanghai: 14 hours to the hall's next business day.
    expect(Number(statuses[3]!.headers.get("retry-after"))).toBe(14 * 3600);
    expect((await post({ commandId: unique("cmd"), serviceId: "social", deviceId: unique("device-id") }, "198.51.100.78")).status).toBe(201);
    clock.advance(14 * 3600_000);
    expect((await post({ commandId: unique("cmd"), serviceId: "social", deviceId: unique("device-id") }, "198.51.100.77")).status).toBe(201);
  });
});
