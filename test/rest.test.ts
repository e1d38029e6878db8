import { describe, expect, it } from "vitest";
import { TOKENS } from "./helpers/hall.js";
import { startTestServer } from "./helpers/server.js";

/** The random id a phone page keeps in localStorage. */
const PHONE = "phone-device-000000000001";

describe("REST", async () => {
  const t = await startTestServer();
  const post = (path: string, body: unknown) => fetch(`${t.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

  it("a citizen takes a ticket on the phone and looks it up by its id", async () => {
    const res = await post("/api/halls/t1/tickets", { commandId: "phone-cmd-000001", serviceId: "social", deviceId: PHONE });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { ticket: { id: string; number: string; channel: string }; trackPath: string };
    expect(body.ticket.channel).toBe("mobile");
    expect(body.trackPath).toContain(body.ticket.id);
    const got = await fetch(`${t.url}/api/halls/t1/tickets/${body.ticket.id}`);
    expect(((await got.json()) as { ticket: { number: string } }).ticket.number).toBe(body.ticket.number);
  });

  it("a repeated phone request with the same commandId returns the same ticket", async () => {
    const a = (await (await post("/api/halls/t1/tickets", { commandId: "phone-cmd-000002", serviceId: "medical", deviceId: PHONE })).json()) as { ticket: { id: string } };
    const b = (await (await post("/api/halls/t1/tickets", { commandId: "phone-cmd-000002", serviceId: "medical", deviceId: PHONE })).json()) as { ticket: { id: string } };
    expect(b.ticket.id).toBe(a.ticket.id);
  });

  it("bad requests get a 4xx with a JSON error that says ok: false", async () => {
    const cases: [Response, number, string][] = [
      [await post("/api/halls/t1/tickets", "{not json"), 400, "VALIDATION"],
      [await post("/api/halls/t1/tickets", { serviceId: "social" }), 400, "VALIDATION"],
      [await post("/api/halls/t1/tickets", { commandId: "phone-cmd-000003", serviceId: "nope", deviceId: PHONE }), 404, "UNKNOWN_SERVICE"],
      [await post("/api/halls/zz/tickets", { commandId: "phone-cmd-000004", serviceId: "social", deviceId: PHONE }), 404, "UNKNOWN_HALL"],
      [await fetch(`${t.url}/api/halls/t1/tickets/unknown`), 404, "UNKNOWN_TICKET"],
      [await post("/api/halls/t1/login", { staffId: "alice", password: "wrong" }), 401, "UNAUTHORIZED"],
      [await fetch(`${t.url}/api/nothing`), 404, "NOT_FOUND"],
    ];
    for (const [res, status, code] of cases) {
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ ok: false, error: { code, message: expect.any(String) } });
    }
  });

  it("the quota is reported as a conflict the phone can show", async () => {
    await post("/api/halls/t1/tickets", { commandId: "phone-cmd-q1", serviceId: "estate", deviceId: "phone-device-quota-000001" });
    await post("/api/halls/t1/tickets", { commandId: "phone-cmd-q2", serviceId: "estate", deviceId: "phone-device-quota-000002" });
    const res = await post("/api/halls/t1/tickets", { commandId: "phone-cmd-q3", serviceId: "estate", deviceId: "phone-device-quota-000003" });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("QUOTA_EXHAUSTED");
  });

  it("health, metrics and, to the hall's devices, the hall snapshot are served", async () => {
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ ok: true, store: "memory" });
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toContain("hallcall_tickets_issued_total");
    expect(metrics).toContain("hallcall_command_duration_seconds");
    expect(metrics).toContain("hallcall_connected_sockets");
    const snap = (await (await fetch(`${t.url}/api/halls/t1/snapshot`, { headers: { authorization: `Device ${TOKENS.board}` } })).json()) as { hallId: string; windows: unknown[] };
    expect(snap.hallId).toBe("t1");
    expect(snap.windows).toHaveLength(4);
  });
});

describe("public hall info", async () => {
  const t = await startTestServer();
  it("names services and windows for phones without listing anyone's tickets", async () => {
    await fetch(`${t.url}/api/halls/t1/tickets`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ commandId: "info-test-0001", serviceId: "social", deviceId: PHONE }) });
    const info = (await (await fetch(`${t.url}/api/halls/t1/info`)).json()) as Record<string, unknown> & { services: unknown[]; windows: { id: string; label: unknown }[] };
    expect(info.services).toHaveLength(3);
    expect(info.windows.map((w) => w.id)).toEqual(["1", "2", "3", "4"]);
    expect(info).not.toHaveProperty("tickets");
    expect(JSON.stringify(info)).not.toContain("staff");
  });
});
