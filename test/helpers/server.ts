/**
 * Starts a HallCall server on a free port for one test file and registers its teardown; gives
 * typed Socket.IO clients for each role and a promise-returning `emit` with ack.
 */
import { afterAll } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { createHallCallServer, type HallCallOptions, type HallCallServer } from "../../server/app.js";
import type { HallConfig } from "../../server/domain/config.js";
import { silentLogger } from "../../server/log.js";
import { MemoryStore } from "../../server/store/memory/memory-store.js";
import { hallNamespace, type Ack, type ClientToServerEvents, type HallEvent, type ServerToClientEvents } from "../../protocol/index.js";
import { PASSWORD, testHall } from "./hall.js";

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  server: HallCallServer;
  url: string;
  hall: HallConfig;
  login(staffId: string, password?: string): Promise<string>;
  /** Connects with this auth; `setup` runs before connecting (to listen for what arrives at once). */
  client(auth: Record<string, unknown>, setup?: (socket: Client) => void): Promise<Client>;
  counter(staffId: string, windowId: string): Promise<Client>;
  manager(): Promise<Client>;
}

export async function startTestServer(opts: Partial<HallCallOptions> = {}): Promise<TestServer> {
  const hall = opts.halls?.[0] ?? testHall();
  const server = await createHallCallServer({ store: new MemoryStore(), halls: [hall], sessionSecret: "test-secret-0123456789", log: silentLogger, collectDefaultMetrics: false, ...opts });
  const port = await server.listen(0, "127.0.0.1");
  const url = `http://127.0.0.1:${port}`;
  const sockets: Client[] = [];
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await server.close();
    await server.ctx.store.close();
  });
  const login = async (staffId: string, password = PASSWORD) => {
    const res = await fetch(`${url}/api/halls/${hall.id}/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ staffId, password }) });
    if (!res.ok) throw new Error(`login failed: ${res.status}`);
    return ((await res.json()) as { token: string }).token;
  };
  const client = (auth: Record<string, unknown>, setup?: (socket: Client) => void) =>
    new Promise<Client>((resolve, reject) => {
      const full = { hallId: hall.id, ...auth };
      const s: Client = connect(url + hallNamespace(String(full.hallId)), { auth: full, transports: ["websocket"], reconnection: false, forceNew: true, autoConnect: false });
      sockets.push(s);
      setup?.(s);
      s.connect();
      s.once("connect", () => resolve(s));
      s.once("connect_error", (err) => reject(err));
    });
  return {
    server,
    url,
    hall,
    login,
    client,
    counter: async (staffId, windowId) => client({ role: "counter", token: await login(staffId), windowId }),
    manager: async () => client({ role: "manager", token: await login("boss") }),
  };
}

/** emit with ack as a promise. */
export function call<T = HallEvent>(socket: Client, event: string, payload: unknown): Promise<Ack<T>> {
  return (socket as unknown as Socket).timeout(5000).emitWithAck(event, payload) as Promise<Ack<T>>;
}

let n = 0;
export const cid = () => `cmd-${Date.now()}-${++n}-${Math.random().toString(36).slice(2, 8)}`;

/** Resolves with the next `hall:event` matching `pred`. */
export function nextEvent(socket: Client, pred: (e: HallEvent) => boolean = () => true, timeoutMs = 5000): Promise<HallEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no matching event")), timeoutMs);
    const on = (e: HallEvent) => {
      if (!pred(e)) return;
      clearTimeout(timer);
      socket.off("hall:event", on);
      resolve(e);
    };
    socket.on("hall:event", on);
  });
}
