/**
 * Staff passwords are stored as scrypt hashes; a successful sign-in returns a signed session
 * token (HMAC-SHA256) that the browser presents in its Socket.IO handshake, so the password never
 * travels again. Devices present the tokens configured for them.
 */
import { createHmac, randomBytes, scrypt, scryptSync, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import type { HallConfig } from "../domain/config.js";

const KEY_LEN = 32;
const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export function hashPassword(password: string, salt = randomBytes(16)): string {
  return `scrypt$${salt.toString("base64")}$${scryptSync(password, salt, KEY_LEN).toString("base64")}`;
}

/** Off the event loop (libuv's thread pool): a sign-in during the busy hour must not stall every screen. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, salt, hash] = stored.split("$");
  if (kind !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scryptAsync(password, Buffer.from(salt, "base64"), expected.length);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export interface StaffSession {
  hallId: string;
  staffId: string;
  roles: ("counter" | "manager")[];
  /** Expiry, ms since epoch. */
  exp: number;
}

export class SessionSigner {
  constructor(private readonly secret: string) {}

  sign(session: StaffSession): string {
    const body = Buffer.from(JSON.stringify(session)).toString("base64url");
    return `${body}.${this.mac(body)}`;
  }

  /** The session in a token, or null when forged, malformed or expired. */
  verify(token: unknown, now: number): StaffSession | null {
    if (typeof token !== "string" || token.length > 2048) return null;
    const [body, mac] = token.split(".");
    if (!body || !mac) return null;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const s = JSON.parse(Buffer.from(body, "base64url").toString()) as StaffSession;
      return typeof s.exp === "number" && s.exp > now ? s : null;
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac("sha256", this.secret).update(body).digest("base64url");
  }
}

/** Checks a staff member's password against the hall config; returns the staff entry on success. */
export async function authenticateStaff(hall: HallConfig, staffId: unknown, password: unknown) {
  if (typeof staffId !== "string" || typeof password !== "string" || password.length > 200) return null;
  const staff = hall.staff.find((s) => s.id === staffId);
  return staff && (await verifyPassword(password, staff.passwordHash)) ? staff : null;
}

export function findDevice(hall: HallConfig, token: unknown) {
  if (typeof token !== "string") return null;
  const given = Buffer.from(token);
  return (
    hall.devices.find((d) => {
      const t = Buffer.from(d.token);
      return t.length === given.length && timingSafeEqual(t, given);
    }) ?? null
  );
}
