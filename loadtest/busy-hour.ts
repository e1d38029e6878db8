/**
 * The busy hour of a city's halls as an Artillery script: every virtual user is one device of a
 * hall (counter, kiosk, board, window strip, citizen's phone) on the real socket.io-client that
 * Artillery's Socket.IO engine drives. What each device does and measures is in devices.cjs;
 * which hall, role and credentials, in the plan (HC_PLAN) that `npm run loadtest` writes.
 *
 *   npm run loadtest                    # writes the plan, starts the servers, runs this
 *
 * Phases: the plan's fixed devices connect, spread over the first part of the connect phase; then,
 * from when the kiosks start, phones arrive at the hall's ticket rate, each following a new ticket.
 * The device steps keep their own clock (the plan's schedule), so several generator processes of
 * one run (one per HallCall node) stay in step.
 *
 * A TypeScript script rather than YAML because the handshake is a function: the engine connects a
 * VU before its first step, so the seat is chosen in socket.io-client's `auth` callback.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

interface Plan {
  target: string;
  seats: unknown[];
  trackerArrivals: number;
  artillery: { connectS: number; trackersAfterS: number; trackersS: number };
}

const plan = JSON.parse(readFileSync(process.env.HC_PLAN!, "utf8")) as Plan;
// Artillery runs this file from a bundle in ./dist; the processor must be the same module instance
// that Artillery loads from `config.processor`, so it is required at run time, not bundled.
const devices = require(path.join(__dirname, "..", "devices.cjs")) as { seatAuth: (cb: (auth: object) => void) => void };

const phases: object[] = [{ name: "devices", duration: plan.artillery.connectS, arrivalCount: plan.seats.length }];
if (plan.trackerArrivals > 0) phases.push({ name: "until kiosks start", pause: plan.artillery.trackersAfterS }, { name: "phones", duration: plan.artillery.trackersS, arrivalCount: plan.trackerArrivals });

export const config = {
  target: plan.target,
  processor: "./devices.cjs",
  phases,
  socketio: { transports: ["websocket"], forceNew: true, reconnection: false, timeout: 10_000, auth: devices.seatAuth },
};

export const scenarios = [{ name: "hall device", engine: "socketio", flow: [{ function: "device" }] }];
