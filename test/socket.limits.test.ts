import { describe, expect, it } from "vitest";
import { TOKENS } from "./helpers/hall.js";
import { startTestServer } from "./helpers/server.js";

describe("connections to a hall are rate-limited", () => {
  it("past its limit an address's next handshake is refused RATE_LIMITED with the wait, before any credential is looked at", async () => {
    const t = await startTestServer({ limits: { connectionsPerAddressPerMin: 3 } });
    for (let i = 0; i < 3; i++) await t.client({ role: "display", deviceToken: TOKENS.board });
    await expect(t.client({ role: "tracker", ticketId: "guess-0001" })).rejects.toMatchObject({ data: { code: "RATE_LIMITED", retryAfterSec: expect.any(Number) } });
  });

  it("a hall caps the connections opened to it from all addresses together", async () => {
    const t = await startTestServer({ limits: { connectionsPerHallPerMin: 2 } });
    await t.client({ role: "display", deviceToken: TOKENS.board });
    await t.client({ role: "kiosk", deviceToken: TOKENS.kiosk });
    await expect(t.client({ role: "display", deviceToken: TOKENS.board })).rejects.toMatchObject({ data: { code: "RATE_LIMITED" } });
  });

  it("connections within the limits are admitted", async () => {
    const t = await startTestServer();
    const sockets = await Promise.all(Array.from({ length: 20 }, () => t.client({ role: "display", deviceToken: TOKENS.board })));
    expect(sockets.every((s) => s.connected)).toBe(true);
  });
});
