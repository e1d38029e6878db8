/**
 * Staff passwords are stored as scrypt hashes; a successful sign-in returns a signed session
 * token (HMAC-SHA256) that the browser presents in its Socket.IO handshake and REST calls, so the
 * password never travels again. Devices present the tokens configured for them.
 */
import { createHmac, randomBytes, scrypt, scryptSync, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { z } from "zod";
import type { HallConfig, StaffConfig } from "../domain/config.js";
import type { SessionRegistry } from "./sessions.js";

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

/**
 * What an unknown staff id is checked against: the same scrypt cost as a real hash (same
 * parameters and key length), so a wrong id takes as long as a wrong password and the answer's
 * timing does not tell which staff ids exist. Random bytes: no password matches it.
 */
export const DUMMY_PASSWORD_HASH = `scrypt$${randomBytes(16).toString("base64")}$${randomBytes(KEY_LEN).toString("base64")}`;

const Role = z.enum(["counter", "manager"]);

const SessionClaims = z.strictObject({
  hallId: z.string().min(1).max(64),
  staffId: z.string().min(1).max(64),
  roles: z.array(Role).min(1).max(2),
  /** Expiry, ms since epoch. */
  exp: z.number().int().positive(),
  /** Names this sign-in, so that signing out revokes it and no other. */
  sid: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
});
export type StaffSession = z.infer<typeof SessionClaims>;

/** Two base64url parts and nothing else: `<claims>.<mac>`. */
const TOKEN = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

export class SessionSigner {
  constructor(private readonly secret: string) {}

  /** Signs a new sign-in; it gets a fresh random `sid`. */
  sign(session: Omit<StaffSession, "sid">): string {
    const claims: StaffSession = { ...session, sid: randomBytes(16).toString("base64url") };
    const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
    return `${body}.${this.mac(body)}`;
  }

  /**
   * The session in a token, or null when forged, malformed or expired. Whether it was revoked
   * (signed out) is the SessionRegistry's to say, and whether its staff still exists currentStaff's.
   */
  verify(token: unknown, now: number): StaffSession | null {
    if (typeof token !== "string" || token.length > 2048) return null;
    const [, body = "", mac = ""] = TOKEN.exec(token) ?? [];
    if (!body || !mac) return null;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body, "base64url").toString());
    } catch {
      return null;
    }
    const claims = SessionClaims.safeParse(json);
    return claims.success && claims.data.exp > now ? claims.data : null;
  }

  private mac(body: string): string {
    return createHmac("sha256", this.secret).update(body).digest("base64url");
  }
}

export type PasswordCheck = (password: string, stored: string) => Promise<boolean>;

/**
 * Checks a staff member's password against the hall config; returns the staff entry on success.
 * An unknown id costs one scrypt like a known one (against DUMMY_PASSWORD_HASH). `check` is the
 * password check, replaceable so that a test can count the scrypts it runs.
 */
export async function authenticateStaff(hall: HallConfig, staffId: unknown, password: unknown, check: PasswordCheck = verifyPassword): Promise<StaffConfig | null> {
  if (typeof staffId !== "string" || typeof password !== "string" || password.length > 200) return null;
  const staff = hall.staff.find((s) => s.id === staffId);
  const matches = await check(password, staff?.passwordHash ?? DUMMY_PASSWORD_HASH);
  return staff && matches ? staff : null;
}

export type CurrentStaff = { ok: true; staff: StaffConfig } | { ok: false; code: "SESSION_ENDED"; message: string };

/**
 * Whether a verified token still stands for someone in the hall as configured now: unexpired, of
 * this hall, its staff member still listed with every role the token claims. The one rule for
 * REST and sockets; sessionHolds adds revocation (sign-out), which needs the SessionRegistry.
 */
export function currentStaff(hall: HallConfig, session: StaffSession, now: number): CurrentStaff {
  if (session.exp <= now) return { ok: false, code: "SESSION_ENDED", message: "The sign-in has expired; sign in again." };
  if (session.hallId !== hall.id) return { ok: false, code: "SESSION_ENDED", message: "This sign-in is for another hall; sign in here." };
  const staff = hall.staff.find((s) => s.id === session.staffId);
  if (!staff || !session.roles.every((r) => staff.roles.includes(r))) return { ok: false, code: "SESSION_ENDED", message: "This staff account or its role no longer exists; sign in again." };
  return { ok: true, staff };
}

/** currentStaff, and not signed out: the whole rule, asked by REST and by the socket transport on every command. */
export async function sessionHolds(hall: HallConfig, session: StaffSession, now: number, sessions: Pick<SessionRegistry, "isRevoked">): Promise<CurrentStaff> {
  const current = currentStaff(hall, session, now);
  if (!current.ok) return current;
  return (await sessions.isRevoked(session.sid)) ? { ok: false, code: "SESSION_ENDED", message: "This sign-in was signed out; sign in again." } : current;
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
