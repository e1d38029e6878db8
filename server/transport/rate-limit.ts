/**
 * Rate limits of the public REST routes (rate-limiter-flexible, fixed windows): per client
 * address and per hall on every /api route, tighter ones on issuing a phone ticket and on staff
 * sign-in, and daily caps of phone tickets per device and per address. Counts live in this
 * process on the embedded store and in Redis when the deployment has Redis, so that every node
 * counts the same requests; when Redis does not answer, each node falls back to counting alone.
 *
 *   const guard = new RestGuard(memoryLimiters, DEFAULT_LIMITS);
 *   await guard.api(address, hallId);                // throws RateLimited when over
 */
import { createHash } from "node:crypto";
import { isIPv6 } from "node:net";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts, type RateLimiterLike } from "rate-limiter-flexible";
import type { createClient, createCluster } from "redis";
import { HallCallError } from "../../protocol/index.js";
import type { Logger } from "../log.js";

/**
 * The defaults are sized for a real hall. A phone takes one to three tickets and follows them
 * over the socket, so it makes a handful of REST calls a visit; but many phones share one address
 * (a mobile carrier's NAT, the hall's own Wi-Fi), so per-address limits allow a crowd. The per-hall
 * limits cap a flood from many addresses. Staff of several halls may sign in through one
 * government network's NAT at opening time, so sign-ins per address are generous too: guessing
 * passwords is stopped by the failures per account.
 */
export const DEFAULT_LIMITS = {
  /** Requests to /api per client address per minute: 10 a second, a district's staff signing in at opening time behind one NAT included. */
  apiPerAddressPerMin: 600,
  /** Requests to one hall's /api/halls/:hallId routes per minute, from all addresses together. */
  apiPerHallPerMin: 3_000,
  /** Phone tickets asked for per client address per minute. */
  ticketsPerAddressPerMin: 10,
  /** Phone tickets asked for per hall per minute, from all addresses together. */
  ticketsPerHallPerMin: 30,
  /** Phone tickets one device (the phone page's deviceId) may take in one hall per business day. */
  mobileTicketsPerDevicePerDay: 3,
  /** Phone tickets one client address may take in one hall per business day. */
  mobileTicketsPerAddressPerDay: 100,
  /** Sign-in attempts per client address per 15 minutes. */
  loginPerAddressPer15Min: 600,
  /** Failed sign-ins per staff account and client address per 15 minutes (guessing one password). */
  loginFailuresPerAccountPer15Min: 10,
  /** Failed sign-ins per client address per hour, over all accounts (guessing across accounts). */
  loginFailuresPerAddressPerHour: 100,
  /**
   * Socket.IO connections opened per client address per minute: every phone of a crowd behind one
   * carrier NAT reconnecting at once after a node restart fits; a script opening sockets in a loop does not.
   */
  connectionsPerAddressPerMin: 1_200,
  /** Socket.IO connections opened to one hall per minute, from all addresses together. */
  connectionsPerHallPerMin: 6_000,
  /** Bookings made or moved per client address per minute (a family books for its members; a script trying slots does not fit). */
  bookingsPerAddressPerMin: 10,
  /** Bookings made for one phone number in one hall per day: a citizen changing their mind fits, a number filling a day's slots does not. */
  bookingsPerPhonePerDay: 10,
} as const;

export type RestLimits = { [K in keyof typeof DEFAULT_LIMITS]: number };

/** Makes one limiter: `points` per `durationSec`, counted under `name`. */
export type LimiterFactory = (name: string, points: number, durationSec: number) => RateLimiterLike;

export const memoryLimiters: LimiterFactory = (name, points, durationSec) => new RateLimiterMemory({ keyPrefix: name, points, duration: durationSec });

type RedisClient = ReturnType<typeof createClient> | ReturnType<typeof createCluster>;

/**
 * Limiters counted in Redis (standalone or Cluster: every count is one key, so a Cluster routes it
 * to its shard). A Redis that is disconnected or slower than `timeoutMs` is replaced by this
 * node's own count for that call, so a Redis outage neither blocks phones nor lifts the limits.
 */
export function redisLimiters(client: RedisClient, prefix: string, timeoutMs = 500): LimiterFactory {
  return (name, points, durationSec) => {
    const keyPrefix = `${prefix}rl:${name}`;
    const insuranceLimiter = new RateLimiterMemory({ keyPrefix, points, duration: durationSec });
    // node-redis 5 is not recognised by its constructor's name, hence useRedisPackage.
    const limiter = new RateLimiterRedis({ storeClient: client, useRedisPackage: true, rejectIfRedisNotReady: true, keyPrefix, points, duration: durationSec, insuranceLimiter });
    return new RLWrapperTimeouts({ limiter, timeoutMs, insuranceLimiter });
  };
}

/** A refusal for being over a limit: 429 with Retry-After. */
export class RateLimited extends HallCallError {
  constructor(
    message: string,
    /** Whole seconds until a retry can succeed. */
    readonly retryAfterSec: number,
  ) {
    super("RATE_LIMITED", message);
  }
}

const retryAfter = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * The key of a client address. An IPv6 client usually holds a whole /64 and can pick any address
 * in it, so IPv6 is counted per /64; IPv4 (also when mapped into IPv6) per address.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = "", tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/** What a caller got under the daily caps, to give back if the ticket was not issued after all. */
export interface TicketClaim {
  /** The ticket was refused: its places under the daily caps are free again. */
  release(): Promise<void>;
}

export class RestGuard {
  private readonly apiAddress: RateLimiterLike;
  private readonly apiHall: RateLimiterLike;
  private readonly ticketsAddress: RateLimiterLike;
  private readonly ticketsHall: RateLimiterLike;
  private readonly dailyDevice: RateLimiterLike;
  private readonly dailyAddress: RateLimiterLike;
  private readonly commandSeen: RateLimiterLike;
  private readonly loginAddress: RateLimiterLike;
  private readonly loginFailAccount: RateLimiterLike;
  private readonly loginFailAddress: RateLimiterLike;
  private readonly connectAddress: RateLimiterLike;
  private readonly connectHall: RateLimiterLike;
  private readonly bookingsAddress: RateLimiterLike;
  private readonly bookingsPhone: RateLimiterLike;

  constructor(
    make: LimiterFactory,
    readonly limits: RestLimits,
    private readonly log: Logger,
  ) {
    this.apiAddress = make("api-address", limits.apiPerAddressPerMin, 60);
    this.apiHall = make("api-hall", limits.apiPerHallPerMin, 60);
    this.ticketsAddress = make("tickets-address", limits.ticketsPerAddressPerMin, 60);
    this.ticketsHall = make("tickets-hall", limits.ticketsPerHallPerMin, 60);
    // A day's keys carry the hall's business date; they live a little past the day.
    this.dailyDevice = make("daily-device", limits.mobileTicketsPerDevicePerDay, DAY_KEY_SEC);
    this.dailyAddress = make("daily-address", limits.mobileTicketsPerAddressPerDay, DAY_KEY_SEC);
    // Counts how often a commandId was asked for: a repeat (a phone's retry) gets its first
    // answer from the store and takes no second place under the daily caps.
    this.commandSeen = make("command-seen", Number.MAX_SAFE_INTEGER, DAY_KEY_SEC);
    this.loginAddress = make("login-address", limits.loginPerAddressPer15Min, 15 * 60);
    this.loginFailAccount = make("login-fail-account", limits.loginFailuresPerAccountPer15Min, 15 * 60);
    this.loginFailAddress = make("login-fail-address", limits.loginFailuresPerAddressPerHour, 3600);
    this.connectAddress = make("connect-address", limits.connectionsPerAddressPerMin, 60);
    this.connectHall = make("connect-hall", limits.connectionsPerHallPerMin, 60);
    this.bookingsAddress = make("bookings-address", limits.bookingsPerAddressPerMin, 60);
    this.bookingsPhone = make("bookings-phone", limits.bookingsPerPhonePerDay, 24 * 3600);
  }

  /** A Socket.IO handshake to a hall that exists, before its credentials are looked at (a tracker's costs a store read). */
  async connection(address: string, hallId: string): Promise<void> {
    await this.take(this.connectAddress, address, "Too many connections from your network; wait a moment.");
    await this.take(this.connectHall, hallId, "This hall is receiving too many connections; wait a moment.");
  }

  /** Any /api request; `hallId` when it names a hall that exists. */
  async api(address: string, hallId: string | null): Promise<void> {
    await this.take(this.apiAddress, address, "Too many requests from your network; wait a moment.");
    if (hallId) await this.take(this.apiHall, hallId, "This hall is receiving too many requests; wait a moment.");
  }

  /** A phone asking for a ticket, before its body is looked at further. */
  async ticketRequest(address: string, hallId: string): Promise<void> {
    await this.take(this.ticketsAddress, `${hallId}|${address}`, "Too many ticket requests from your network; wait a moment.");
    await this.take(this.ticketsHall, hallId, "Too many tickets are being requested in this hall right now; wait a moment.");
  }

  /**
   * A booking made or moved, before the store is asked: per address, and per phone number when
   * the request names one. The number is counted under a hash of it, so no limiter (Redis
   * included) keeps the number itself.
   */
  async bookingRequest(address: string, hallId: string, phone: string | null): Promise<void> {
    await this.take(this.bookingsAddress, `${hallId}|${address}`, "Too many booking requests from your network; wait a moment.");
    if (phone !== null) {
      const key = createHash("sha256").update(`${hallId}|${phone}`).digest("base64url");
      await this.take(this.bookingsPhone, key, `This phone number has been booked ${this.limits.bookingsPerPhonePerDay} times in this hall today; try again tomorrow or ask at the service desk.`);
    }
  }

  /**
   * A place under the daily caps for one phone ticket, or null when the commandId was asked for
   * before (its first request holds the place). `untilNextDayMs` sets Retry-After when refused.
   */
  async claimTicket(req: { hallId: string; date: string; deviceId: string; address: string; commandId: string; untilNextDayMs: number }): Promise<TicketClaim | null> {
    const commandKey = `${req.hallId}|${req.commandId}`;
    const seen = await this.commandSeen.consume(commandKey).catch((err: unknown) => this.unavailable(err));
    if (seen && seen.consumedPoints > 1) return null;
    const forget = () => this.commandSeen.delete(commandKey).then(() => undefined);
    const deviceKey = `${req.hallId}|${req.date}|${req.deviceId}`;
    const addressKey = `${req.hallId}|${req.date}|${req.address}`;
    const retry = retryAfter(req.untilNextDayMs);
    try {
      await this.take(this.dailyDevice, deviceKey, `This phone has taken its ${this.limits.mobileTicketsPerDevicePerDay} tickets in this hall today; ask at the service desk for another.`, retry);
    } catch (err) {
      await forget();
      throw err;
    }
    try {
      await this.take(this.dailyAddress, addressKey, "Your network has taken today's tickets allowed for one network in this hall; ask at the service desk.", retry);
    } catch (err) {
      await Promise.all([this.dailyDevice.reward(deviceKey), forget()]);
      throw err;
    }
    return {
      release: async () => {
        await Promise.all([this.dailyDevice.reward(deviceKey), this.dailyAddress.reward(addressKey), forget()]);
      },
    };
  }

  /**
   * Before checking a password: counts the attempt per address, and takes a failure per account
   * and per address in advance, so that a burst of guesses sent at once is cut off as surely as
   * guesses sent one after another. `succeeded` gives the failures back.
   */
  async loginAttempt(address: string, hallId: string, staffId: string): Promise<{ succeeded(): Promise<void> }> {
    const accountKey = `${hallId}|${staffId}|${address}`;
    await this.take(this.loginAddress, address, "Too many sign-in attempts from your network; wait a moment.");
    await this.take(this.loginFailAccount, accountKey, "Too many failed sign-ins for this account; wait before trying again.");
    try {
      await this.take(this.loginFailAddress, address, "Too many failed sign-ins from your network; wait before trying again.");
    } catch (err) {
      await this.loginFailAccount.reward(accountKey);
      throw err;
    }
    return {
      // A correct password clears the account's failures, so a staff member's own typos do not add up over the day.
      succeeded: async () => {
        await Promise.all([this.loginFailAccount.delete(accountKey), this.loginFailAddress.reward(address)]);
      },
    };
  }

  private async take(limiter: RateLimiterLike, key: string, message: string, retryAfterSec?: number): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw new RateLimited(message, retryAfterSec ?? retryAfter(err.msBeforeNext));
      this.unavailable(err);
    }
  }

  /** The counts could not be read at all (memory fallback failed too): let the request through rather than close the hall to phones. */
  private unavailable(err: unknown): null {
    this.log.warn("rate limiter unavailable; request let through", err);
    return null;
  }
}

const DAY_KEY_SEC = 26 * 3600;
