"use strict";
/**
 * The Artillery processor of the busy hour: what each device of a hall does, and the custom
 * metrics it reports. Every VU is one device (lib/seats.cjs picks which); its one step, `device`,
 * runs that device until the end of the run on a socket in its hall's namespace.
 *
 *   counter  window:callNext, service time, ticket:finish; on QUEUE_EMPTY try again shortly
 *   kiosk    ticket:issue, Poisson arrivals (open loop), its hall's share of `rate`
 *   board    hall:snapshot, then every hall:event: sequence gaps, call-to-screen
 *   strip    its window's events
 *   tracker  a citizen's phone on a just-issued ticket, for `trackerStayMs`
 *
 * The schedule (connect → ramp → busy, measured → sat, closed loops for throughput → drain) is
 * in epoch ms in the plan that scripts/loadtest/plan.ts writes (HC_PLAN), the same for every
 * generator process of a run.
 *
 * Custom metrics (Artillery counters and histograms, ms):
 *   hallcall.ack.issue / .call / .finish   emit to ack, commands sent in the busy phase
 *   hallcall.call_to_screen                a board's arrival of ticket:called minus the event's `at`
 *   hallcall.handshake                     handshake sent to the VU's step running (connected)
 *   hallcall.errors                        ack timeouts, refusals (but QUEUE_EMPTY), dropped sockets;
 *                                          hallcall.error.<what>: <code> counts them by kind
 *   hallcall.seq_gaps / .seq_late          gaps at the boards / gaps that arrived after all
 *   hallcall.busy.commands / .busy.frames  commands acked and frames received in the busy phase
 *   hallcall.sat.commands                  commands acked in the saturation phase after its warm-up
 *   hallcall.issued / .called / .finished / .queue_empty / .board_events
 *   hallcall.sockets.<kind>                sockets connected
 */
const { readFileSync } = require("node:fs");
const { io } = require("socket.io-client");
const { Seats, handshake } = require("./lib/seats.cjs");
const { SequenceCheck } = require("./lib/sequence.cjs");

const plan = JSON.parse(readFileSync(process.env.HC_PLAN, "utf8"));
const S = plan.schedule;
const ACK_TIMEOUT_MS = 10_000;
const GAP_HOLD_MS = 1_000;
const seats = new Seats(plan.seats, plan.halls.map((h) => h.id));
const hallById = new Map(plan.halls.map((h) => [h.id, h]));

/** When each socket sent its handshake, for the handshake time. */
const handshakeAt = new WeakMap();

/** socket.io-client `auth` callback; `this` is the socket being connected. */
function seatAuth(cb) {
  seats.assign(this, (auth) => {
    handshakeAt.set(this, performance.now());
    cb(auth);
  });
}

function phase(now = Date.now()) {
  if (now < S.ramp) return "connect";
  if (now < S.busy) return "ramp";
  if (now < S.sat) return "busy";
  if (now < S.drain) return "sat";
  if (now < S.end) return "drain";
  return "end";
}

const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const until = (at) => sleep(at - Date.now());
const expRand = (mean) => -Math.log(1 - Math.random()) * mean;
let commands = 0;

/** The VU's one step: run its device until the run (or a phone's stay) ends. */
async function device(context, events) {
  const engineSocket = context.sockets[""];
  const seat = seats.of(engineSocket);
  if (!seat) throw new Error("socket has no seat");
  const m = new Metrics(events);
  // Each hall is its own namespace: the device connects there, and the engine's own socket goes.
  const socket = await hallSocket(engineSocket, seat);
  engineSocket.disconnect();
  m.count(`hallcall.sockets.${seat.kind}`);
  m.histogram("hallcall.handshake", performance.now() - handshakeAt.get(engineSocket));
  let closing = false;
  socket.on("disconnect", (reason) => {
    if (!closing) m.error(`${seat.kind} socket dropped in the ${phase()} phase`, reason);
  });
  const frames = countFrames(socket, m);
  try {
    const hall = hallById.get(seat.hallId);
    if (seat.kind === "board") await board(socket, m);
    else if (seat.kind === "kiosk") await kiosk(socket, hall, m);
    else if (seat.kind === "counter") await counter(socket, hall, seat.windowId, m);
    else if (seat.kind === "tracker") await until(Math.min(Date.now() + plan.trackerStayMs, S.end - 500));
    else await until(S.end);
  } finally {
    closing = true;
    frames.flush();
    socket.disconnect();
    seats.release(seat);
  }
}

/**
 * The seat's socket in its hall's namespace, on a connection of its own. (Artillery's engine
 * always opens the default namespace first, where the seat is chosen; it is closed once this one
 * is open, on both servers alike.)
 */
function hallSocket(engineSocket, seat) {
  const socket = io(`${engineSocket.io.uri}/hall/${seat.hallId}`, { auth: handshake(seat), transports: ["websocket"], forceNew: true, reconnection: false, timeout: 10_000, autoConnect: false });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
    socket.connect();
  });
}

/** Artillery's metric events, plus the error counter with a few messages printed. */
class Metrics {
  constructor(events) {
    this.events = events;
  }
  count(name, n = 1) {
    this.events.emit("counter", name, n);
  }
  histogram(name, ms) {
    this.events.emit("histogram", name, ms);
  }
  /** An error, counted in all and by kind (`what` and the server's code or the client's message). */
  error(what, detail) {
    this.count("hallcall.errors");
    const why = detail && (detail.code || detail.message || String(detail));
    this.count(`hallcall.error.${what}${why ? `: ${why}` : ""}`);
  }
}

/** Frames this socket receives in the busy phase, reported once a second. */
function countFrames(socket, m) {
  let busy = 0;
  socket.onAny(() => {
    if (phase() === "busy") busy++;
  });
  const flush = () => {
    if (busy) m.count("hallcall.busy.frames", busy);
    busy = 0;
  };
  const timer = setInterval(flush, 1_000);
  return {
    flush() {
      clearInterval(timer);
      flush();
    },
  };
}

/** Emit with an ack; resolves with the answer or the timeout error and the time it took. */
function request(socket, name, payload) {
  const started = Date.now();
  const t = performance.now();
  return new Promise((resolve) => socket.timeout(ACK_TIMEOUT_MS).emit(name, payload, (err, res) => resolve({ err, res, ms: performance.now() - t, started })));
}

const commandId = (hallId, who) => `${hallId}.${who}.${process.pid}.${++commands}.${S.connect}`;

/** A command was acknowledged: its latency in the busy phase, its count in the measured part of saturation. */
function acked(m, metric, r) {
  const p = phase(r.started);
  if (p === "busy") {
    m.count("hallcall.busy.commands");
    m.histogram(metric, r.ms);
  } else if (p === "sat" && r.started >= S.satMeasure) m.count("hallcall.sat.commands");
}

async function board(socket, m) {
  const seq = new SequenceCheck(GAP_HOLD_MS);
  socket.on("hall:event", (e) => {
    // Sub-millisecond arrival time: the event's `at` is whole server ms, so a delay reads 0.5 ms too long on average.
    const now = performance.timeOrigin + performance.now();
    m.count("hallcall.board_events");
    if (e.type === "ticket:called" && e.at >= S.busy && e.at < S.sat) m.histogram("hallcall.call_to_screen", now - e.at);
    seq.receive(e.seq, now);
  });
  const snap = await request(socket, "hall:snapshot", {});
  if (snap.err || !snap.res.ok) return m.error("hall:snapshot", snap.err || snap.res.error);
  seq.start(snap.res.data.seq, Date.now());
  const report = (final) => {
    const before = seq.late;
    const gaps = seq.check(Date.now(), final);
    if (gaps) m.count("hallcall.seq_gaps", gaps);
    if (seq.late > before) m.count("hallcall.seq_late", seq.late - before);
  };
  const timer = setInterval(() => report(false), 250);
  await until(S.end);
  clearInterval(timer);
  report(true);
}

async function kiosk(socket, hall, m) {
  const issue = async () => {
    const serviceId = hall.services[Math.floor(Math.random() * hall.services.length)];
    const r = await request(socket, "ticket:issue", { commandId: commandId(hall.id, "k"), serviceId });
    if (r.err) return m.error("ticket:issue", r.err);
    if (!r.res.ok) return m.error("ticket:issue refused", r.res.error);
    m.count("hallcall.issued");
    acked(m, "hallcall.ack.issue", r);
    seats.offer(hall.id, r.res.data.ticket.id);
  };
  await until(S.ramp);
  const pending = [];
  const meanGapMs = (1000 * hall.kiosks) / plan.rate;
  for (;;) {
    await sleep(expRand(meanGapMs));
    if (Date.now() >= S.sat) break;
    pending.push(issue()); // open loop: arrivals do not wait for acks
  }
  const closedLoop = async () => {
    while (Date.now() < S.drain) await issue();
  };
  await Promise.all([...pending, ...Array.from({ length: plan.satKioskLoops }, closedLoop)]);
  await until(S.end);
}

async function counter(socket, hall, windowId, m) {
  // Capacity 15% above arrivals: the hall keeps up, with a short queue.
  const serviceMeanMs = (1000 * hall.windows) / (plan.rate * 1.15);
  await until(S.ramp);
  while (Date.now() < S.drain) {
    const sat = Date.now() >= S.sat;
    const r = await request(socket, "window:callNext", { commandId: commandId(hall.id, `c${windowId}`), windowId });
    if (r.err || !r.res.ok) {
      if (r.res && r.res.error.code === "QUEUE_EMPTY") {
        m.count("hallcall.queue_empty");
        await sleep(sat ? 50 : 250 + Math.random() * 500);
      } else {
        m.error("window:callNext", r.err || r.res.error);
        await sleep(1_000);
      }
      continue;
    }
    m.count("hallcall.called");
    acked(m, "hallcall.ack.call", r);
    if (!sat) await sleep(expRand(serviceMeanMs));
    const f = await request(socket, "ticket:finish", { commandId: commandId(hall.id, `f${windowId}`), windowId });
    if (f.err || !f.res.ok) {
      m.error("ticket:finish", f.err || f.res.error);
      continue;
    }
    m.count("hallcall.finished");
    acked(m, "hallcall.ack.finish", f);
  }
  await until(S.end);
}

module.exports = { seatAuth, device };
