/**
 * Busy hour of a city: every k6 VU is one hall and holds all of that hall's sockets (k6/websockets
 * lets one VU hold many), so a hall's kiosks, counters, boards and trackers can share what they
 * know (which tickets exist) the way a real hall's devices share a room.
 *
 * Per hall (defaults): 16 counters calling and finishing, 2 kiosks issuing, 3 boards, 16 window
 * strips, 200 citizen trackers; the hall day compressed so each hall issues RATE tickets/s.
 *
 * Phases (seconds, from env): connect → ramp (kiosks start, trackers fill up) → busy (measured:
 * ack latency, call-to-screen) → sat (closed-loop: counts acked commands for throughput) → drain.
 *
 * Env: HC_PLAN (JSON file written by scripts/loadtest.ts), HC_URLS (comma-separated node URLs),
 * CONNECT_S, RAMP_S, BUSY_S, SAT_S, RATE, TRACKERS, TRACKER_STAY_MS, SUMMARY_OUT.
 * Run it through `npm run loadtest`, which writes the plan and starts the servers.
 */
import { Counter, Trend } from "k6/metrics";
import { setTimeout, setInterval, clearInterval } from "k6/timers";
import { connect } from "./lib/socketio.js";

const plan = JSON.parse(open(__ENV.HC_PLAN));
const URLS = (__ENV.HC_URLS || "http://127.0.0.1:3000").split(",");
const num = (name, dflt) => (__ENV[name] !== undefined && __ENV[name] !== "" ? Number(__ENV[name]) : dflt);
const CONNECT_S = num("CONNECT_S", 10);
const RAMP_S = num("RAMP_S", 15);
const BUSY_S = num("BUSY_S", 90);
const SAT_S = num("SAT_S", 20);
const SAT_WARM_S = Math.min(3, SAT_S / 4);
const DRAIN_S = 3;
const RATE = num("RATE", 10); // tickets per second per hall
const TRACKERS = num("TRACKERS", 200);
const TRACKER_STAY_MS = num("TRACKER_STAY_MS", 20000);
const SAT_KIOSK_LOOPS = num("SAT_KIOSK_LOOPS", 4);
const ACK_TIMEOUT_MS = 10000;
const GAP_WAIT_MS = 1000;

export const options = {
  scenarios: {
    halls: {
      executor: "per-vu-iterations",
      vus: plan.halls.length,
      iterations: 1,
      maxDuration: `${CONNECT_S + RAMP_S + BUSY_S + SAT_S + DRAIN_S + 60}s`,
      gracefulStop: "10s",
    },
  },
  summaryTrendStats: ["avg", "min", "med", "p(95)", "p(99)", "max", "count"],
};

const ackIssue = new Trend("hc_ack_issue", true);
const ackCall = new Trend("hc_ack_call", true);
const ackFinish = new Trend("hc_ack_finish", true);
const callToScreen = new Trend("hc_call_to_screen", true);
const connectTime = new Trend("hc_connect", true);
const errors = new Counter("hc_errors");
const seqGaps = new Counter("hc_seq_gaps");
const seqLate = new Counter("hc_seq_late"); // counted as a gap, then arrived after all
const boardEvents = new Counter("hc_board_events");
const issuedOk = new Counter("hc_issued_ok");
const calledOk = new Counter("hc_called_ok");
const finishedOk = new Counter("hc_finished_ok");
const queueEmpty = new Counter("hc_queue_empty");
const busyCommands = new Counter("hc_busy_commands");
const satCommands = new Counter("hc_sat_commands");
const socketsOpened = new Counter("hc_sockets_opened");
const peakSockets = new Trend("hc_vu_peak_sockets");

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const expRand = (mean) => -Math.log(1 - Math.random()) * mean;

export default async function () {
  const hall = plan.halls[(__VU - 1) % plan.halls.length];
  const t0 = Date.now();
  const at = (s) => t0 + s * 1000;
  const T = {
    ramp: at(CONNECT_S),
    busy: at(CONNECT_S + RAMP_S),
    sat: at(CONNECT_S + RAMP_S + BUSY_S),
    satMeasure: at(CONNECT_S + RAMP_S + BUSY_S + SAT_WARM_S),
    drain: at(CONNECT_S + RAMP_S + BUSY_S + SAT_S),
    end: at(CONNECT_S + RAMP_S + BUSY_S + SAT_S + DRAIN_S),
  };
  const phase = () => {
    const now = Date.now();
    if (now < T.ramp) return "connect";
    if (now < T.busy) return "ramp";
    if (now < T.sat) return "busy";
    if (now < T.drain) return "sat";
    if (now < T.end) return "drain";
    return "end";
  };

  let seqNo = 0;
  let errorLogs = 0;
  const cmdId = (who) => `${hall.id}.${who}.${__VU}.${++seqNo}.${t0}`;
  const error = (what, err) => {
    errors.add(1);
    if (errorLogs++ < 5) console.error(`[${hall.id}] ${what}: ${err && err.message ? err.message : JSON.stringify(err)}`);
  };

  let urlTurn = __VU;
  const nextUrl = () => URLS[urlTurn++ % URLS.length];
  const all = new Set();
  let peak = 0;
  const openSocket = (auth, extra = {}) =>
    new Promise((resolve) => {
      const started = Date.now();
      let settled = false;
      const s = connect(nextUrl(), auth, {
        onConnect() {
          connectTime.add(Date.now() - started);
          socketsOpened.add(1);
          all.add(s);
          if (all.size > peak) peak = all.size;
          settled = true;
          if (extra.onConnect) extra.onConnect(s);
          resolve(s);
        },
        onError(err) {
          if (!s.expectedClose) error(`${auth.role} socket`, err);
          if (!settled) resolve(null);
        },
        onClose() {
          all.delete(s);
        },
      });
      if (extra.listen) for (const [name, fn] of Object.entries(extra.listen)) s.on(name, fn);
    });
  const emit = (s, name, payload) =>
    new Promise((resolve) => {
      const started = Date.now();
      s.emit(name, payload, (err, res) => resolve({ err, res, ms: Date.now() - started }), ACK_TIMEOUT_MS);
    });

  // ---- boards: sequence gaps and call-to-screen ----
  const boards = [];
  const newBoard = () => ({ contig: null, early: [], above: new Set(), skipped: new Set(), gapSince: 0 });
  const onBoardEvent = (b) => (e) => {
    const now = Date.now();
    boardEvents.add(1);
    if (e.type === "ticket:called" && e.at >= T.busy && e.at < T.sat) callToScreen.add(now - e.at);
    if (b.contig === null) {
      b.early.push(e.seq);
      return;
    }
    accept(b, e.seq, now);
  };
  const accept = (b, seq, now) => {
    if (seq <= b.contig) {
      if (b.skipped.delete(seq)) seqLate.add(1);
      return;
    }
    b.above.add(seq);
    while (b.above.has(b.contig + 1)) b.above.delete(++b.contig);
    b.gapSince = b.above.size ? b.gapSince || now : 0;
  };
  const checkGaps = (b, now, final) => {
    while (b.contig !== null && b.above.size && (final || now - b.gapSince > GAP_WAIT_MS)) {
      seqGaps.add(1);
      b.skipped.add(++b.contig);
      while (b.above.has(b.contig + 1)) b.above.delete(++b.contig);
      b.gapSince = b.above.size ? now : 0;
    }
  };

  // ---- trackers ----
  let trackers = 0;
  const track = (ticketId) => {
    if (trackers >= TRACKERS || phase() === "drain" || phase() === "end") return;
    trackers++;
    openSocket({ role: "tracker", hallId: hall.id, ticketId }).then((s) => {
      if (!s) {
        trackers--;
        return;
      }
      // A citizen follows the ticket for a while, then leaves; never past the end of the run.
      setTimeout(() => {
        s.expectedClose = true;
        s.close();
        trackers--;
      }, Math.max(0, Math.min(TRACKER_STAY_MS, T.end - Date.now() - 500)));
    });
  };

  const record = (name, r) => {
    const p = phase();
    if (p === "busy") {
      busyCommands.add(1);
      if (name === "ticket:issue") ackIssue.add(r.ms);
      else if (name === "window:callNext") ackCall.add(r.ms);
      else ackFinish.add(r.ms);
    } else if (p === "sat" && Date.now() >= T.satMeasure) satCommands.add(1);
  };

  // ---- kiosks ----
  const issueOnce = async (kiosk) => {
    const serviceId = hall.services[Math.floor(Math.random() * hall.services.length)];
    const r = await emit(kiosk, "ticket:issue", { commandId: cmdId("k"), serviceId });
    if (r.err) return error("ticket:issue", r.err);
    if (!r.res.ok) return error("ticket:issue refused", r.res.error);
    issuedOk.add(1);
    record("ticket:issue", r);
    track(r.res.data.ticket.id);
  };
  const kioskLoop = async (kiosk, kiosks) => {
    while (phase() === "ramp" || phase() === "busy") {
      const gap = expRand((1000 * kiosks) / RATE);
      await sleep(gap);
      if (phase() === "ramp" || phase() === "busy") issueOnce(kiosk); // open loop: do not wait for the ack
    }
    const satLoop = async () => {
      while (phase() === "sat") await issueOnce(kiosk);
    };
    const loops = [];
    for (let i = 0; i < SAT_KIOSK_LOOPS; i++) loops.push(satLoop());
    await Promise.all(loops);
  };

  // ---- counters ----
  const serviceMeanMs = (1000 * hall.counters.length) / (RATE * 1.15); // capacity 15% above arrivals
  const counterLoop = async (s, windowId) => {
    for (;;) {
      const p = phase();
      if (p !== "ramp" && p !== "busy" && p !== "sat") return;
      const sat = p === "sat";
      const r = await emit(s, "window:callNext", { commandId: cmdId(`c${windowId}`), windowId });
      if (r.err) {
        error("window:callNext", r.err);
        await sleep(1000);
        continue;
      }
      if (!r.res.ok) {
        if (r.res.error.code === "QUEUE_EMPTY") {
          queueEmpty.add(1);
          await sleep(sat ? 50 : 250 + Math.random() * 500);
        } else {
          error("window:callNext refused", r.res.error);
          await sleep(1000);
        }
        continue;
      }
      calledOk.add(1);
      record("window:callNext", r);
      if (!sat) await sleep(expRand(serviceMeanMs));
      const f = await emit(s, "ticket:finish", { commandId: cmdId(`f${windowId}`), windowId });
      if (f.err) {
        error("ticket:finish", f.err);
        continue;
      }
      if (!f.res.ok) {
        error("ticket:finish refused", f.res.error);
        continue;
      }
      finishedOk.add(1);
      record("ticket:finish", f);
    }
  };

  // ---- connect everything, spread over CONNECT_S ----
  const fixed = [];
  for (const token of hall.boards) {
    fixed.push(async () => {
      const b = newBoard();
      boards.push(b);
      await openSocket(
        { role: "display", hallId: hall.id, deviceToken: token },
        {
          listen: { "hall:event": onBoardEvent(b) },
          onConnect(s) {
            emit(s, "hall:snapshot", {}).then((r) => {
              if (r.err || !r.res.ok) return error("hall:snapshot", r.err || r.res.error);
              b.contig = r.res.data.seq;
              const now = Date.now();
              for (const seq of b.early) accept(b, seq, now);
              b.early = [];
            });
          },
        },
      );
    });
  }
  for (const strip of hall.strips) fixed.push(() => openSocket({ role: "display", hallId: hall.id, deviceToken: strip.token, windowId: strip.windowId }));
  const kiosks = [];
  for (const token of hall.kiosks) fixed.push(async () => kiosks.push(await openSocket({ role: "kiosk", hallId: hall.id, deviceToken: token })));
  const counters = [];
  for (const c of hall.counters) fixed.push(async () => counters.push([await openSocket({ role: "counter", hallId: hall.id, token: c.token, windowId: c.windowId }), c.windowId]));

  const spread = ((CONNECT_S * 0.7) * 1000) / fixed.length;
  await sleep(Math.random() * spread);
  const opening = [];
  for (const f of fixed) {
    opening.push(f());
    await sleep(spread);
  }
  await Promise.all(opening);

  const gapTimer = setInterval(() => {
    const now = Date.now();
    for (const b of boards) checkGaps(b, now, false);
  }, 250);

  await sleep(Math.max(0, T.ramp - Date.now()));
  const loops = [];
  for (const k of kiosks) if (k) loops.push(kioskLoop(k, kiosks.length));
  for (const [s, windowId] of counters) if (s) loops.push(counterLoop(s, windowId));
  await Promise.all(loops);

  await sleep(Math.max(0, T.end - Date.now()));
  clearInterval(gapTimer);
  const now = Date.now();
  for (const b of boards) checkGaps(b, now + 2 * GAP_WAIT_MS, true);
  peakSockets.add(peak);
  for (const s of Array.from(all)) {
    s.expectedClose = true;
    s.close();
  }
}

export function handleSummary(data) {
  const out = {};
  if (__ENV.SUMMARY_OUT) out[__ENV.SUMMARY_OUT] = JSON.stringify(data, null, 1);
  out.stdout = "k6 done\n";
  return out;
}
