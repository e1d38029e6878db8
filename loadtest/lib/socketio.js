/**
 * A minimal Socket.IO client for k6, which has none: Engine.IO v4 over one WebSocket
 * (`/socket.io/?EIO=4&transport=websocket`, no polling, no upgrade) carrying Socket.IO v5 packets
 * of the main namespace, text only. Written from the protocol documents of the socket.io
 * repository (engine.io-protocol, socket.io-protocol).
 *
 * Engine.IO packet = one type digit + data:   0 open {sid, pingInterval, pingTimeout, maxPayload}
 *   1 close, 2 ping (server → client here), 3 pong, 4 message (a Socket.IO packet follows), 6 noop.
 * Socket.IO packet (inside a message) = type digit [ack id] [JSON]:
 *   0 CONNECT (client: auth object; server: {sid}), 1 DISCONNECT, 2 EVENT [name, ...args],
 *   3 ACK [...args], 4 CONNECT_ERROR {message, data}.
 * So: "40{auth}" connects, "42[...]" is an event, "42<id>[...]" asks for an ack, "43<id>[...]" acks.
 *
 *   const s = connect(url, { role: "display", hallId: "h1", deviceToken: "..." }, {
 *     onConnect() {}, onError(err) {}, onClose() {},
 *   });
 *   s.on("hall:event", (e) => {});            // only events with a listener are JSON-parsed
 *   s.emit("ticket:issue", payload, (err, res) => {}, 5000);
 *   s.close();
 *
 * Scenarios live elsewhere (busy-hour.js); this file knows nothing about HallCall.
 */
import { WebSocket } from "k6/websockets";
import { setTimeout, clearTimeout } from "k6/timers";

/** "http://host:port" → "ws://host:port/socket.io/?EIO=4&transport=websocket". */
export function socketUrl(base) {
  const ws = base.replace(/^http/, "ws").replace(/\/$/, "");
  return `${ws}/socket.io/?EIO=4&transport=websocket`;
}

/**
 * Open one Socket.IO connection. `handlers`: onConnect(sid), onError(err) for a refused or broken
 * connection (err.code is the server's `data.code` for a refusal), onClose(reason).
 */
export function connect(baseUrl, auth, handlers = {}) {
  const listeners = {};
  const pending = {};
  let nextId = 0;
  let state = "opening"; // opening → engine (EIO open seen) → open (SIO connected) → closed
  let pingTimer = null;
  let pingBudget = 0;
  const ws = new WebSocket(socketUrl(baseUrl));

  const client = {
    get connected() {
      return state === "open";
    },
    get state() {
      return state;
    },
    on(event, fn) {
      listeners[event] = fn;
      return client;
    },
    /** Emit an event; with `ack`, it is called as ack(err, ...args) or ack(Error("timeout")). */
    emit(event, payload, ack, timeoutMs = 10000) {
      if (state !== "open") {
        if (ack) ack(new Error(`not connected (${state})`));
        return;
      }
      const body = JSON.stringify([event, payload]);
      if (!ack) {
        ws.send(`42${body}`);
        return;
      }
      const id = nextId++;
      const timer = setTimeout(() => {
        if (!pending[id]) return;
        delete pending[id];
        ack(new Error("ack timeout"));
      }, timeoutMs);
      pending[id] = { ack, timer };
      ws.send(`42${id}${body}`);
    },
    close() {
      if (state === "closed") return;
      if (state === "open") ws.send("41");
      finish("client close");
      ws.close();
    },
  };

  function finish(reason) {
    if (state === "closed") return;
    state = "closed";
    if (pingTimer) clearTimeout(pingTimer);
    for (const id of Object.keys(pending)) {
      const p = pending[id];
      delete pending[id];
      clearTimeout(p.timer);
      p.ack(new Error(`closed: ${reason}`));
    }
    if (handlers.onClose) handlers.onClose(reason);
  }

  function fail(err) {
    if (state === "closed") return;
    if (handlers.onError) handlers.onError(err);
    finish(err.message);
    try {
      ws.close();
    } catch (_) {
      /* already closing */
    }
  }

  // The server pings every pingInterval; if none comes within pingInterval + pingTimeout it is gone.
  function armPingWatch() {
    if (pingTimer) clearTimeout(pingTimer);
    pingTimer = setTimeout(() => fail(new Error("ping timeout")), pingBudget);
  }

  function onSocketIo(data) {
    const type = data.charCodeAt(0) - 48;
    if (type === 2) {
      // EVENT: skip the JSON parse when nobody listens (counters, strips, kiosks ignore broadcasts).
      const nameEnd = data.indexOf('"', 3);
      if (data.charCodeAt(1) !== 91 /* [ */ || nameEnd < 0) return; // events with ack ids are not used by servers here
      const name = data.slice(3, nameEnd);
      const fn = listeners[name];
      if (!fn) return;
      const args = JSON.parse(data.slice(1));
      fn.apply(null, args.slice(1));
      return;
    }
    if (type === 3) {
      let i = 1;
      while (i < data.length && data.charCodeAt(i) >= 48 && data.charCodeAt(i) <= 57) i++;
      const id = Number(data.slice(1, i));
      const p = pending[id];
      if (!p) return; // late ack after a timeout
      delete pending[id];
      clearTimeout(p.timer);
      const args = JSON.parse(data.slice(i));
      p.ack.apply(null, [null].concat(args));
      return;
    }
    if (type === 0) {
      state = "open";
      const body = data.length > 1 ? JSON.parse(data.slice(1)) : {};
      if (handlers.onConnect) handlers.onConnect(body.sid);
      return;
    }
    if (type === 4) {
      const body = data.length > 1 ? JSON.parse(data.slice(1)) : {};
      const err = new Error(body.message || "connect_error");
      err.code = body.data && body.data.code;
      fail(err);
      return;
    }
    if (type === 1) fail(new Error("server disconnect"));
  }

  ws.onmessage = (msg) => {
    const data = msg.data;
    if (typeof data !== "string" || data.length === 0) return;
    switch (data.charCodeAt(0)) {
      case 52: // "4" message
        onSocketIo(data.slice(1));
        return;
      case 50: // "2" ping
        ws.send("3");
        armPingWatch();
        return;
      case 48: {
        // "0" open: handshake data, then connect to the main namespace with the auth payload.
        const open = JSON.parse(data.slice(1));
        // pingInterval + pingTimeout as the protocol says, plus slack for a busy load generator.
        pingBudget = (open.pingInterval || 25000) + (open.pingTimeout || 20000) + 5000;
        state = "engine";
        armPingWatch();
        ws.send(`40${JSON.stringify(auth)}`);
        return;
      }
      case 49: // "1" close
        fail(new Error("engine close"));
        return;
      default:
        return; // "6" noop and anything else
    }
  };
  ws.onerror = (e) => fail(new Error(`websocket error: ${e && e.error ? e.error : "?"}`));
  ws.onclose = () => {
    if (state !== "closed") fail(new Error("websocket closed"));
  };
  return client;
}
