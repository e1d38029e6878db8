"use strict";
/**
 * Who each Artillery virtual user is. Every VU is one device of a hall; Artillery's Socket.IO
 * engine opens a VU's socket before its first step, so the seat is chosen in socket.io-client's
 * `auth` callback (called with the socket as `this` once the transport is open) and remembered
 * by socket for the VU's `device` step.
 *
 * The first VUs take the fixed seats of the plan in order (boards, strips, kiosks, counters, of
 * every hall). Every later VU is a citizen's phone, in the hall with the fewest phones: it follows
 * the newest ticket a kiosk of this process issued there that no phone follows yet, or, when the
 * kiosks fell behind, the newest ticket of the hall (a second phone of one family). It waits only
 * while its hall has no ticket at all, before the kiosks start.
 */

const TICKET_WAIT_MS = 10_000;
const KEEP_RECENT = 50;

class Seats {
  /**
   * @param {Array<Record<string, string>>} fixed seats in connect order (`kind`, `role`, `hallId`, credentials)
   * @param {string[]} hallIds halls whose kiosks this process drives
   */
  constructor(fixed, hallIds) {
    this.fixed = fixed;
    this.next = 0;
    /** @type {WeakMap<object, Record<string, string>>} */
    this.bySocket = new WeakMap();
    /** @type {Map<string, {id: string, followed: boolean}[]>} the latest tickets issued here, newest last */
    this.recent = new Map(hallIds.map((id) => [id, []]));
    /** @type {Map<string, number>} */
    this.phones = new Map(hallIds.map((id) => [id, 0]));
  }

  /** A kiosk of this process issued a ticket: a phone may follow it. */
  offer(hallId, ticketId) {
    const list = this.recent.get(hallId);
    if (!list) return;
    list.push({ id: ticketId, followed: false });
    if (list.length > KEEP_RECENT) list.shift();
  }

  /** A phone stopped following its ticket. */
  release(seat) {
    if (seat.kind === "tracker") this.phones.set(seat.hallId, this.phones.get(seat.hallId) - 1);
  }

  /** The seat a socket took, or undefined if it never got one. */
  of(socket) {
    return this.bySocket.get(socket);
  }

  /** socket.io-client `auth` callback: give the socket its seat's handshake. */
  assign(socket, cb) {
    if (this.next < this.fixed.length) {
      const seat = this.fixed[this.next++];
      this.bySocket.set(socket, seat);
      return cb(handshake(seat));
    }
    const giveUpAt = Date.now() + TICKET_WAIT_MS;
    const attempt = () => {
      const seat = this.takeTicket();
      if (seat) {
        this.bySocket.set(socket, seat);
        return cb(handshake(seat));
      }
      // No ticket to follow: the handshake names none, the server refuses it and the VU counts as failed.
      if (Date.now() >= giveUpAt) return cb({ role: "tracker", hallId: this.fixed[0].hallId, ticketId: "no-fresh-ticket" });
      setTimeout(attempt, 100);
    };
    attempt();
  }

  takeTicket() {
    let best = null;
    for (const [hallId, list] of this.recent) if (list.length && (best === null || this.phones.get(hallId) < this.phones.get(best))) best = hallId;
    if (best === null) return null;
    const list = this.recent.get(best);
    const ticket = list.findLast((t) => !t.followed) ?? list[list.length - 1];
    ticket.followed = true;
    this.phones.set(best, this.phones.get(best) + 1);
    return { kind: "tracker", role: "tracker", hallId: best, ticketId: ticket.id };
  }
}

/** The handshake `auth` object of a seat: its role, hall and credential. */
function handshake(seat) {
  switch (seat.role) {
    case "counter":
      return { role: "counter", hallId: seat.hallId, token: seat.token, windowId: seat.windowId };
    case "tracker":
      return { role: "tracker", hallId: seat.hallId, ticketId: seat.ticketId };
    default:
      // A strip's window comes with its device token; the bare baseline reads it from here.
      return seat.windowId ? { role: seat.role, hallId: seat.hallId, deviceToken: seat.deviceToken, windowId: seat.windowId } : { role: seat.role, hallId: seat.hallId, deviceToken: seat.deviceToken };
  }
}

module.exports = { Seats, handshake };
