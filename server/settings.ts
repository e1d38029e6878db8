/**
 * Server settings, all from the environment (documented with examples in .env.example). One
 * schema with defaults, so `npm start` works with nothing set.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { invalidInput } from "./domain/validation.js";
import { DEFAULT_LIMITS, type RestLimits } from "./transport/rate-limit.js";

const perWindow = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const ServerConfig = z.object({
  /** HTTP and Socket.IO port. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /** Hall configuration file (JSON with `halls: [...]`). */
  HALL_CONFIG: z.string().default("config/demo-hall.json"),
  /**
   * Where the embedded store keeps the halls (one SQLite file, `hallcall.db`; created when missing)
   * when neither REDIS_URL nor REDIS_CLUSTER_NODES is set. Relative to the working directory.
   */
  DATA_DIR: z.string().default("./data"),
  /** Redis URL; without it (and without REDIS_CLUSTER_NODES) the embedded SQLite store in DATA_DIR is used. */
  REDIS_URL: z.string().url().optional(),
  /** Comma-separated redis:// URLs of Redis Cluster nodes; takes precedence over REDIS_URL. */
  REDIS_CLUSTER_NODES: z.string().optional(),
  /** Key prefix in Redis, so several deployments can share one Redis. */
  REDIS_PREFIX: z.string().default("hc"),
  /**
   * PostgreSQL (postgres://user:password@host:5432/db) for the records, the history every report
   * reads: every event and ended ticket of every day, written by the archiver. For the Redis
   * deployment, whose log is trimmed; the embedded store keeps its records in its own SQLite file.
   */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "a postgres:// URL").optional(),
  /** Signs staff session tokens. Every node of one deployment needs the same secret. */
  SESSION_SECRET: z.string().min(16).optional(),
  /** How long a staff sign-in lasts, hours: one working day by default. */
  SESSION_HOURS: z.coerce.number().positive().default(12),
  /** Public base URL used in QR codes on printed tickets (defaults to the request's own host). */
  PUBLIC_URL: z.string().url().optional(),
  /** Least time between two expected-wait summaries of one hall to its screens, ms. */
  QUEUE_SUMMARY_MS: z.coerce.number().int().min(50).default(1_000),
  /** The same for citizens' phones (trackers), which are most of a hall's sockets. */
  TRACKER_SUMMARY_MS: z.coerce.number().int().min(50).default(5_000),
  /** How long a command may wait for the store before its ack says STORE_UNAVAILABLE, ms. */
  STORE_DEADLINE_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /**
   * Whose X-Forwarded-For names the client (express `trust proxy`): "false" (the default: nobody's,
   * for a server that clients reach directly), a hop count ("1": the one reverse proxy in front), or
   * the proxies' addresses and subnets ("loopback", "10.0.0.0/8, 10.1.2.3"). "true" trusts any
   * sender of the header, so anyone could pick the address they are counted under.
   */
  TRUST_PROXY: z
    .string()
    .default("false")
    .transform((v): boolean | number | string => (v === "false" ? false : v === "true" ? true : /^\d+$/.test(v) ? Number(v) : v)),
  /** Requests to /api per client address per minute. Many phones share a carrier's NAT. */
  RATE_API_PER_ADDRESS_PER_MIN: perWindow(DEFAULT_LIMITS.apiPerAddressPerMin),
  /** Requests to one hall's routes per minute from all addresses together. */
  RATE_API_PER_HALL_PER_MIN: perWindow(DEFAULT_LIMITS.apiPerHallPerMin),
  /** Phone tickets asked for per client address per minute. */
  RATE_TICKETS_PER_ADDRESS_PER_MIN: perWindow(DEFAULT_LIMITS.ticketsPerAddressPerMin),
  /** Phone tickets asked for per hall per minute from all addresses together. */
  RATE_TICKETS_PER_HALL_PER_MIN: perWindow(DEFAULT_LIMITS.ticketsPerHallPerMin),
  /** Phone tickets one phone (its deviceId) may take in one hall per business day. */
  MOBILE_TICKETS_PER_DEVICE_PER_DAY: perWindow(DEFAULT_LIMITS.mobileTicketsPerDevicePerDay),
  /** Phone tickets one client address may take in one hall per business day. */
  MOBILE_TICKETS_PER_ADDRESS_PER_DAY: perWindow(DEFAULT_LIMITS.mobileTicketsPerAddressPerDay),
  /** Staff sign-in attempts per client address per 15 minutes. */
  RATE_LOGIN_PER_ADDRESS_PER_15MIN: perWindow(DEFAULT_LIMITS.loginPerAddressPer15Min),
  /** Failed sign-ins per staff account and client address per 15 minutes. */
  RATE_LOGIN_FAILURES_PER_ACCOUNT_PER_15MIN: perWindow(DEFAULT_LIMITS.loginFailuresPerAccountPer15Min),
  /** Failed sign-ins per client address per hour, over all accounts. */
  RATE_LOGIN_FAILURES_PER_ADDRESS_PER_HOUR: perWindow(DEFAULT_LIMITS.loginFailuresPerAddressPerHour),
  /** Socket.IO connections opened per client address per minute. */
  RATE_CONNECTIONS_PER_ADDRESS_PER_MIN: perWindow(DEFAULT_LIMITS.connectionsPerAddressPerMin),
  /** Socket.IO connections opened to one hall per minute, from all addresses together. */
  RATE_CONNECTIONS_PER_HALL_PER_MIN: perWindow(DEFAULT_LIMITS.connectionsPerHallPerMin),
  /** Booking requests (made or moved) per client address per minute. */
  RATE_BOOKINGS_PER_ADDRESS_PER_MIN: perWindow(DEFAULT_LIMITS.bookingsPerAddressPerMin),
  /** Bookings made for one phone number in one hall per day. */
  RATE_BOOKINGS_PER_PHONE_PER_DAY: perWindow(DEFAULT_LIMITS.bookingsPerPhonePerDay),
  /**
   * Key of the keyed hash (HMAC-SHA256) that bookings keep of each phone number: the credit rule
   * (失约) and DUPLICATE_BOOKING ask it, and it outlives the number itself (erased by the
   * retention rule). At least 16 characters; every node of one deployment needs the same key.
   * Unset, the records keep a key of their own in their database.
   */
  PHONE_KEY: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});
export type ServerConfig = z.infer<typeof ServerConfig> & { SESSION_SECRET: string; sessionSecretGenerated: boolean };

export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  // An empty variable (`REDIS_URL=` in a compose file) means "not set".
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const res = ServerConfig.safeParse(set);
  if (!res.success) {
    throw invalidInput("Environment", res.error);
  }
  const secret = res.data.SESSION_SECRET;
  return { ...res.data, SESSION_SECRET: secret ?? randomBytes(32).toString("base64url"), sessionSecretGenerated: !secret };
}

/** The REST limits the settings name. */
export function restLimitsOf(config: ServerConfig): RestLimits {
  return {
    apiPerAddressPerMin: config.RATE_API_PER_ADDRESS_PER_MIN,
    apiPerHallPerMin: config.RATE_API_PER_HALL_PER_MIN,
    ticketsPerAddressPerMin: config.RATE_TICKETS_PER_ADDRESS_PER_MIN,
    ticketsPerHallPerMin: config.RATE_TICKETS_PER_HALL_PER_MIN,
    mobileTicketsPerDevicePerDay: config.MOBILE_TICKETS_PER_DEVICE_PER_DAY,
    mobileTicketsPerAddressPerDay: config.MOBILE_TICKETS_PER_ADDRESS_PER_DAY,
    loginPerAddressPer15Min: config.RATE_LOGIN_PER_ADDRESS_PER_15MIN,
    loginFailuresPerAccountPer15Min: config.RATE_LOGIN_FAILURES_PER_ACCOUNT_PER_15MIN,
    loginFailuresPerAddressPerHour: config.RATE_LOGIN_FAILURES_PER_ADDRESS_PER_HOUR,
    connectionsPerAddressPerMin: config.RATE_CONNECTIONS_PER_ADDRESS_PER_MIN,
    connectionsPerHallPerMin: config.RATE_CONNECTIONS_PER_HALL_PER_MIN,
    bookingsPerAddressPerMin: config.RATE_BOOKINGS_PER_ADDRESS_PER_MIN,
    bookingsPerPhonePerDay: config.RATE_BOOKINGS_PER_PHONE_PER_DAY,
  };
}
