import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { io, type Socket } from "socket.io-client";
import { hallNamespace } from "../protocol/index.js";

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** `npm start` as a new user runs it: the demo hall on the embedded store (its file in a temp DATA_DIR, not the checkout's ./data). */
describe("npm start", async () => {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "hallcall-start-"));
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { env: { ...process.env, PORT: String(port), REDIS_URL: "", REDIS_CLUSTER_NODES: "", DATA_DIR: dataDir }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const check = () => (output.includes("listening") ? (clearTimeout(timer), resolve()) : setTimeout(check, 100));
    check();
  });
  const sockets: Socket[] = [];
  afterAll(() => {
    sockets.forEach((s) => s.disconnect());
    child.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  });
  const connect = (auth: Record<string, unknown>) =>
    new Promise<Socket>((resolve, reject) => {
      const s = io(url + hallNamespace("demo"), { auth, transports: ["websocket"], reconnection: false, forceNew: true });
      sockets.push(s);
      s.once("connect", () => resolve(s));
      s.once("connect_error", reject);
    });

  it("says loudly that it runs on the embedded store, in which file, and on one node only", () => {
    expect(output).toContain("EMBEDDED");
    expect(output).toContain(path.join(dataDir, "hallcall.db"));
    expect(output).toContain("ONE node only");
  });

  it("a kiosk issues a ticket, a counter calls it, and the board receives the call live", async () => {
    const board = await connect({ role: "display", deviceToken: "demo-board-0001-public" });
    const kiosk = await connect({ role: "kiosk", deviceToken: "demo-kiosk-0001-public" });
    const login = await fetch(`${url}/api/halls/demo/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ staffId: "s15", password: "hallcall" }) });
    const { token } = (await login.json()) as { token: string };
    const counter = await connect({ role: "counter", token, windowId: "15" });

    const issued = await kiosk.emitWithAck("ticket:issue", { commandId: "start-test-issue-1", serviceId: "consult" });
    expect(issued.ok).toBe(true);
    const seen = new Promise<{ ticket: { number: string }; window: { id: string } }>((resolve) =>
      board.on("hall:event", (e) => {
        if (e.type === "ticket:called") resolve(e);
      }),
    );
    const called = await counter.emitWithAck("window:callNext", { commandId: "start-test-call-1", windowId: "15" });
    expect(called.ok).toBe(true);
    const e = await seen;
    expect(e.ticket.number).toBe(issued.data.ticket.number);
    expect(e.window.id).toBe("15");
  });

  it("serves the start page and health", async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const halls = (await (await fetch(`${url}/api/halls`)).json()) as { halls: { id: string; devices: unknown[] }[] };
    expect(halls.halls[0]!.id).toBe("demo");
    expect(halls.halls[0]!.devices.length).toBeGreaterThan(30);
  });
});
