/**
 * The load test's yardstick: a bare Socket.IO server with HallCall's handshake shape and rooms that
 * only acks and broadcasts. It keeps no more state than the scenario needs to make sense (a
 * per-hall seq and FIFO of ticket ids) and sends events of the same shape and size as HallCall's,
 * so the same Artillery scenario drives both and HallCall's figures can be read as ratios to this one.
 *
 *   tsx scripts/loadtest/baseline-server.ts --port 3100
 *
 * GET /stats → {sockets, rss, heapUsed}; GET /healthz → {ok:true}.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { Server, type Socket } from "socket.io";
import { HALL_NAMESPACE } from "../../protocol/index.js";

interface HallState {
  seq: number;
  issued: number;
  waiting: string[];
  /** windowId → ticket at that window */
  atWindow: Map<string, BareTicket>;
}

type BareTicket = Record<string, unknown> & { id: string; number: string; serviceId: string; queuedAt: number };

const halls = new Map<string, HallState>();
const hallOf = (id: string): HallState => {
  let h = halls.get(id);
  if (!h) halls.set(id, (h = { seq: 0, issued: 0, waiting: [], atWindow: new Map() }));
  return h;
};

const tickets = new Map<string, BareTicket>();

function ticketOf(hallId: string, h: HallState, serviceId: string, now: number): BareTicket {
  h.issued++;
  const id = `${hallId}-${h.issued.toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
  return {
    id,
    number: `A${String(h.issued).padStart(3, "0")}`,
    serviceId,
    priority: "normal",
    channel: "kiosk",
    state: "waiting",
    businessDate: "2025-01-01",
    issuedAt: now,
    arrivedAt: now,
    queuedAt: now,
    calledAt: null,
    servingAt: null,
    endedAt: null,
    windowId: null,
    targetWindowId: null,
    recalls: 0,
    bundle: [],
    bundleStep: 0,
    parkReason: null,
    missingDocs: [],
    rating: null,
    staffId: null,
    etaSec: null,
  };
}

const windowOf = (windowId: string, ticketId: string | null) => ({
  id: windowId,
  label: { zh: `${windowId}号窗口`, en: `Window ${windowId}` },
  qualified: ["s1", "s2", "s3", "s4"],
  serving: ["s1"],
  state: "open",
  pauseReason: null,
  ticketId,
  staffId: "staff",
  servedToday: 0,
  lastFinishedId: null,
  escalation: false,
});

export async function startBaseline(port: number, host = "127.0.0.1"): Promise<{ port: number; close(): Promise<void> }> {
  const http = createServer((req, res) => {
    if (req.url === "/stats") {
      const m = process.memoryUsage();
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ sockets: io.engine.clientsCount, rss: m.rss, heapUsed: m.heapUsed }));
      return;
    }
    if (req.url === "/healthz") {
      res.setHeader("content-type", "application/json");
      res.end('{"ok":true}');
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  const io = new Server(http, { serveClient: false, pingInterval: 10_000, pingTimeout: 8_000, maxHttpBufferSize: 64 * 1024 });

  // Like HallCall: each hall its own namespace; the default one only carries the engine's connection.
  const halls = io.of(HALL_NAMESPACE);
  halls.use((socket, next) => {
    const auth = socket.handshake.auth as { role?: string; ticketId?: string; windowId?: string };
    if (!auth.role) return next(Object.assign(new Error("bad handshake"), { data: { code: "VALIDATION" } }));
    socket.data = { hallId: HALL_NAMESPACE.exec(socket.nsp.name)![1], role: auth.role, ticketId: auth.ticketId ?? null, windowId: auth.windowId ?? null };
    next();
  });

  halls.on("connection", (socket: Socket) => {
    const { hallId, role, ticketId, windowId } = socket.data as { hallId: string; role: string; ticketId: string | null; windowId: string | null };
    // HallCall's rooms: a window's strip and its counter get only that window's events, a tracker its ticket's.
    if (role === "tracker") void socket.join(`ticket:${hallId}/${ticketId}`);
    else if ((role === "display" || role === "counter") && windowId) void socket.join(`window:${hallId}/${windowId}`);
    else void socket.join(`hall:${hallId}`);
    const h = hallOf(hallId);

    const broadcast = (event: Record<string, unknown> & { ticket?: BareTicket; window?: { id: string } }) => {
      const to = [`hall:${hallId}`];
      if (event.ticket) to.push(`ticket:${hallId}/${event.ticket.id}`);
      if (event.window) to.push(`window:${hallId}/${event.window.id}`);
      socket.nsp.to(to).emit("hall:event", event);
      return event;
    };
    const emitEvent = (type: string, extra: Record<string, unknown>) => broadcast({ type, hallId, seq: ++h.seq, at: Date.now(), ...extra });
    const fail = (code: string) => ({ ok: false, error: { code, message: code } });

    socket.on("hall:snapshot", (_p: unknown, ack: (r: unknown) => void) => ack({ ok: true, data: { hallId, seq: h.seq, at: Date.now(), tickets: [], windows: [] } }));
    socket.on("ticket:get", (p: { ticketId: string }, ack: (r: unknown) => void) => {
      const t = tickets.get(p?.ticketId);
      ack(t ? { ok: true, data: t } : fail("UNKNOWN_TICKET"));
    });
    socket.on("ticket:issue", (p: { serviceId?: string }, ack: (r: unknown) => void) => {
      const t = ticketOf(hallId, h, p?.serviceId ?? "s1", Date.now());
      tickets.set(t.id, t);
      h.waiting.push(t.id);
      ack({ ok: true, data: emitEvent("ticket:issued", { ticket: t }) });
    });
    socket.on("window:callNext", (p: { windowId: string }, ack: (r: unknown) => void) => {
      if (h.atWindow.has(p.windowId)) return ack(fail("WINDOW_BUSY"));
      const id = h.waiting.shift();
      if (!id) return ack(fail("QUEUE_EMPTY"));
      const now = Date.now();
      const t = { ...tickets.get(id)!, state: "called", calledAt: now, windowId: p.windowId };
      tickets.set(id, t);
      h.atWindow.set(p.windowId, t);
      ack({ ok: true, data: emitEvent("ticket:called", { ticket: t, window: windowOf(p.windowId, id), recall: false, waitSec: (now - (t.queuedAt as number)) / 1000 }) });
    });
    socket.on("ticket:finish", (p: { windowId: string }, ack: (r: unknown) => void) => {
      const cur = h.atWindow.get(p.windowId);
      if (!cur) return ack(fail("WINDOW_IDLE"));
      h.atWindow.delete(p.windowId);
      tickets.delete(cur.id);
      const t = { ...cur, state: "finished", endedAt: Date.now() };
      ack({ ok: true, data: emitEvent("ticket:finished", { ticket: t, window: windowOf(p.windowId, null), serviceId: t.serviceId, serviceSec: 1 }) });
    });
  });

  const bound = await new Promise<number>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, host, () => resolve((http.address() as AddressInfo).port));
  });
  return {
    port: bound,
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { port: { type: "string", default: "3100" }, host: { type: "string", default: "127.0.0.1" } } });
  const srv = await startBaseline(Number(values.port), values.host);
  console.log(`baseline Socket.IO server on http://${values.host}:${srv.port}`);
  const stop = () => void srv.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
