/**
 * `npm start` without Redis across a host failure: a real `server/main.ts` on a temp DATA_DIR is
 * killed with SIGKILL at a random moment during a burst of commands, then started again on the same
 * file and port. What was acked is there; a board that stayed connected comes back by itself.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { io as connectTo, type Socket } from "socket.io-client";
import { hallNamespace, type HallEvent, type HallSnapshot, type Ticket } from "../protocol/index.js";
import { PASSWORD, TOKENS, testHall } from "./helpers/hall.js";
import { startNodeProcesses } from "./helpers/nodes.js";

const hall = testHall({ services: testHall().services.map((s) => ({ ...s, dailyQuota: 100_000 })) });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

let commands = 0;
const commandId = () => `durable-${process.pid}-${++commands}`;

const sockets: Socket[] = [];
function connect(url: string, auth: Record<string, unknown>, reconnect = false): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connectTo(url + hallNamespace(hall.id), { auth: { hallId: hall.id, ...auth }, transports: ["websocket"], forceNew: true, reconnection: reconnect, reconnectionDelay: 100, reconnectionDelayMax: 500 });
    sockets.push(s);
    s.once("connect", () => resolve(s));
    s.once("connect_error", reject);
  });
}

/** The ack's data, or a throw naming the refusal (or the missing answer). */
async function send<T = HallEvent>(s: Socket, name: string, payload: object): Promise<T> {
  const res = (await s.timeout(3_000).emitWithAck(name, payload)) as { ok: true; data: T } | { ok: false; error: { code: string } };
  if (!res.ok) throw new Error(`${name} refused: ${res.error.code}`);
  return res.data;
}

async function login(url: string, staffId: string): Promise<string> {
  const res = await fetch(`${url}/api/halls/${hall.id}/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ staffId, password: PASSWORD }) });
  return ((await res.json()) as { token: string }).token;
}

const numberOf = (t: Ticket) => Number(t.number.slice(1));

describe("the embedded store killed with kill -9 and started again", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    for (const c of cleanup.reverse()) await c();
  });

  it("keeps every acked command, goes on numbering, answers repeats with their first result, and the board resyncs by itself", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "hallcall-durable-"));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const env = { DATA_DIR: dataDir, SESSION_SECRET: "durable-secret-0123456789", REDIS_URL: "", REDIS_CLUSTER_NODES: "" };
    const first = await startNodeProcesses({ halls: [hall], env }, 1);
    cleanup.push(first.stop);
    const { url } = first.nodes[0]!;

    const board = await connect(url, { role: "display", deviceToken: TOKENS.board }, true);
    const kiosks = await Promise.all([0, 1, 2].map(() => connect(url, { role: "kiosk", deviceToken: TOKENS.kiosk })));
    const alice = await connect(url, { role: "counter", windowId: "1", token: await login(url, "alice") });
    const bob = await connect(url, { role: "counter", windowId: "4", token: await login(url, "bob") });
    const pad = await connect(url, { role: "pad", deviceToken: TOKENS.pad1 });
    const manager = await connect(url, { role: "manager", token: await login(url, "boss") });
    // The counters' sign-ins are commands of their own, sent by the server as they connect.
    while ((await send<HallSnapshot>(board, "hall:snapshot", {})).windows.filter((w) => w.state === "open").length < 2) await pause(20);

    const issue = { commandId: commandId(), serviceId: "social" };
    const served = (await send<Extract<HallEvent, { type: "ticket:issued" }>>(kiosks[0]!, "ticket:issue", issue)).ticket;
    await send(alice, "window:callNext", { commandId: commandId(), windowId: "1" });
    await send(alice, "ticket:start", { commandId: commandId(), windowId: "1" });
    await send(alice, "ticket:finish", { commandId: commandId(), windowId: "1" });
    await send(pad, "ticket:rate", { commandId: commandId(), windowId: "1", ticketId: served.id, rating: 5 });
    await send(bob, "window:pause", { commandId: commandId(), windowId: "4", reason: "break" });
    await send(manager, "balancer:setMode", { commandId: commandId(), mode: "suggest" });
    const before = await send<HallSnapshot>(board, "hall:snapshot", {});

    // The burst: kiosks issuing and window 1 calling and finishing, until the process is killed.
    const acked: Ticket[] = [served];
    const finished = new Set<string>([served.id]);
    const unanswered: { commandId: string; serviceId: string }[] = [];
    let lastSeq = 0;
    let killed = false;
    const kioskLoop = async (k: Socket) => {
      while (!killed) {
        const cmd = { commandId: commandId(), serviceId: "social" };
        try {
          const e = await send<Extract<HallEvent, { type: "ticket:issued" }>>(k, "ticket:issue", cmd);
          acked.push(e.ticket);
          lastSeq = Math.max(lastSeq, e.seq);
        } catch {
          unanswered.push(cmd);
          return;
        }
      }
    };
    const counterLoop = async () => {
      while (!killed) {
        try {
          const called = await send<Extract<HallEvent, { type: "ticket:called" }>>(alice, "window:callNext", { commandId: commandId(), windowId: "1" });
          const done = await send<Extract<HallEvent, { type: "ticket:finished" }>>(alice, "ticket:finish", { commandId: commandId(), windowId: "1" });
          finished.add(called.ticket.id);
          lastSeq = Math.max(lastSeq, done.seq);
        } catch {
          // An empty queue is refused; the kill ends the loop.
          await pause(5);
        }
      }
    };
    const burst = Promise.all([...kiosks.map(kioskLoop), counterLoop()]);
    await pause(200 + Math.random() * 800);
    first.nodes[0]!.kill();
    await new Promise((r) => first.nodes[0]!.process.once("exit", r));
    killed = true;
    await burst;
    expect(acked.length).toBeGreaterThan(5);

    const second = await startNodeProcesses({ halls: [hall], env, ports: [Number(new URL(url).port)] }, 1);
    cleanup.push(second.stop);

    // The board, never told to, is connected again to the new process and resyncs from a snapshot.
    while (!board.connected) await pause(20);
    const after = await send<HallSnapshot>(board, "hall:snapshot", {});
    expect(after.epoch).toBe(before.epoch);
    expect(after.seq).toBeGreaterThanOrEqual(lastSeq);
    expect(after.windows.find((w) => w.id === "4")!.state).toBe("paused");
    expect(after.balancer.mode).toBe("suggest");

    for (const t of acked) {
      const now = await send<Ticket>(board, "ticket:get", { ticketId: t.id });
      expect(now.number).toBe(t.number);
      if (finished.has(t.id)) expect(now.state).toBe("finished");
    }
    expect(await send<Ticket>(board, "ticket:get", { ticketId: served.id })).toMatchObject({ state: "finished", rating: 5, staffId: "alice" });

    // Repeats: the acked first issue answers its ticket; the ones the kill left unanswered run once, now or before.
    const kiosk = await connect(second.nodes[0]!.url, { role: "kiosk", deviceToken: TOKENS.kiosk });
    expect((await send<Extract<HallEvent, { type: "ticket:issued" }>>(kiosk, "ticket:issue", issue)).ticket).toMatchObject({ id: served.id, number: served.number });
    const retried = [];
    for (const cmd of unanswered) retried.push((await send<Extract<HallEvent, { type: "ticket:issued" }>>(kiosk, "ticket:issue", cmd)).ticket);
    const live = new Promise<HallEvent>((resolve) => board.on("hall:event", (e: HallEvent) => e.type === "ticket:issued" && resolve(e)));
    const fresh = (await send<Extract<HallEvent, { type: "ticket:issued" }>>(kiosk, "ticket:issue", { commandId: commandId(), serviceId: "social" })).ticket;

    const numbers = [...acked, ...retried, fresh].map(numberOf);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numberOf(fresh)).toBe(Math.max(...numbers));
    const seen = await live;
    expect(seen).toMatchObject({ epoch: before.epoch });
    expect(seen.seq).toBeGreaterThan(after.seq);
  }, 90_000);
});
