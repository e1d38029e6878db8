/**
 * Builds a HallCall server from its parts (store, hall configs, clock, settings), so that tests
 * start one on port 0 with a memory store and main.ts wires the real thing from the environment.
 */
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import express from "express";
import helmet from "helmet";
import proxyaddr from "proxy-addr";
import { Server } from "socket.io";
import type { HallEvent } from "../protocol/index.js";
import { systemClock, type Clock } from "./domain/clock.js";
import type { HallConfig } from "./domain/config.js";
import { createLogger, type Logger } from "./log.js";
import { DEFAULT_STORE_DEADLINE_MS, storeWithDeadline, withinDeadline } from "./store/deadline.js";
import type { HallStore } from "./store/types.js";
import type { RecordsStore } from "./records/records-store.js";
import type { BookingStore, HoursStore } from "./records/bookings.js";
import { termsOf } from "./domain/follow-up.js";
import { BookingDesk } from "./transport/booking-desk.js";
import { CaseDesk } from "./transport/case-desk.js";
import { BookingSweeper } from "./transport/booking-sweeper.js";
import { LiveHours } from "./transport/hours.js";
import { SessionSigner } from "./transport/auth.js";
import { HallContext } from "./transport/context.js";
import { addressKey, DEFAULT_LIMITS, memoryLimiters, RestGuard, type LimiterFactory, type RestLimits } from "./transport/rate-limit.js";
import { MemorySessionRegistry, type SessionRegistry } from "./transport/sessions.js";
import { HallMetrics } from "./transport/metrics.js";
import { BalancerRunner } from "./balancer/balancer-runner.js";
import { LocalHallLock, type HallLock } from "./balancer/lock.js";
import { DayWatcher } from "./transport/day-watcher.js";
import { QueuePublisher } from "./transport/queue-publisher.js";
import { restRouter } from "./transport/rest.js";
import { WebhookSender, type WEBHOOK_SENDER_DEFAULTS } from "./transport/webhook-sender.js";
import { attachSocketTransport, broadcastEvent, hallNamespaces, wantsQueue, type HallServer } from "./transport/socket.js";

export interface HallCallOptions {
  store: HallStore;
  halls: HallConfig[];
  clock?: Clock;
  sessionSecret: string;
  sessionHours?: number;
  log?: Logger;
  /** Built web pages (vite output); served at / when the folder exists. */
  webRoot?: string;
  /** Called before listening, e.g. to install the Redis adapter on `io`. */
  configureIo?: (io: HallServer) => Promise<void> | void;
  /** Liveness of external dependencies for /healthz. */
  ready?: () => Promise<void>;
  collectDefaultMetrics?: boolean;
  /** Public base URL for QR codes on printed tickets. */
  publicUrl?: string;
  /** Least time between two expected-wait summaries of one hall to its screens, ms. */
  queueSummaryMs?: number;
  /** Least time between two expected-wait summaries of one hall to citizens' trackers, ms. */
  trackerSummaryMs?: number;
  /**
   * Grants each hall's balancer to one node at a time. Several nodes must share one (Redis);
   * a single process uses its own LocalHallLock (the default).
   */
  lock?: HallLock;
  /** Regular balancer rounds, ms (it also runs soon after queue changes). */
  balancerIntervalMs?: number;
  /** How long a command or read may wait for the store before it answers STORE_UNAVAILABLE, ms. */
  storeDeadlineMs?: number;
  /** The hall's records (server/records): with them, the reports routes, bookings and live hours. */
  records?: RecordsStore;
  /** The bookings (预约); the records' own by default. Without them the booking routes answer RECORDS_UNAVAILABLE. */
  bookings?: BookingStore;
  /** The hours managers edit in the console; the records' own by default. Without them each hall keeps its file's hours. */
  hours?: HoursStore;
  /** How often another node's change of the hours is looked for, ms (DEFAULT_HOURS_POLL_MS). */
  hoursPollMs?: number;
  /** How often bookings past their check-in are marked missed (失约), ms. */
  bookingSweepMs?: number;
  /** The webhook sender's timings (WEBHOOK_SENDER_DEFAULTS); it runs wherever there are records and a hall with webhooks. */
  webhookSender?: Partial<typeof WEBHOOK_SENDER_DEFAULTS>;
  /** Rate limits and daily caps of the REST routes; each one left out is DEFAULT_LIMITS'. */
  limits?: Partial<RestLimits>;
  /** Where the REST limits count: this process (the default) or Redis, shared by every node. */
  limiters?: LimiterFactory;
  /** Signed-out staff sessions: this process (the default) or Redis, shared by every node. */
  sessions?: SessionRegistry;
  /**
   * express `trust proxy`: whose X-Forwarded-For names the client. false (the default) for a
   * server that clients reach directly, else the reverse proxy: a hop count or its addresses.
   */
  trustProxy?: boolean | number | string;
}

export interface HallCallServer {
  http: HttpServer;
  io: HallServer;
  ctx: HallContext;
  /** Each hall's balancer (rates, expected waits, staffing advice). */
  runners: Map<string, BalancerRunner>;
  /** Starts each hall's new business day at midnight and tells its screens. */
  days: DayWatcher;
  /** The hours in force (null without records: the file's hours hold). */
  hours: LiveHours | null;
  /** Marks missed bookings (null without bookings). */
  sweeper: BookingSweeper | null;
  /** Checks bookings in (null without bookings). */
  desk: BookingDesk | null;
  /** Posts the halls' webhooks from the records' outbox (null without records). */
  webhooks: WebhookSender | null;
  /** Resolves with the port actually bound (pass 0 for a free one). */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/** How long /healthz may wait for the store before answering 503, ms. */
const HEALTH_DEADLINE_MS = 800;

export async function createHallCallServer(opts: HallCallOptions): Promise<HallCallServer> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger();
  const halls = new Map(opts.halls.map((h) => [h.id, h]));
  for (const h of opts.halls) await opts.store.loadHall(h, clock.now());
  const store = storeWithDeadline(opts.store, opts.storeDeadlineMs ?? DEFAULT_STORE_DEADLINE_MS);

  const sessions = opts.sessions ?? new MemorySessionRegistry(() => clock.now());
  const ctx = new HallContext(store, halls, clock, new SessionSigner(opts.sessionSecret), new HallMetrics(opts.collectDefaultMetrics ?? true), log, sessions);
  ctx.commandDeadlineMs = opts.storeDeadlineMs ?? DEFAULT_STORE_DEADLINE_MS;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", opts.trustProxy ?? false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          scriptSrcAttr: ["'none'"],
          // Lit templates and the pages' index.html carry style attributes and <style> blocks.
          styleSrc: ["'self'", "'unsafe-inline'"],
          // The kiosk's QR codes are data: URLs.
          imgSrc: ["'self'", "data:"],
          fontSrc: ["'self'", "data:"],
          // Socket.IO and the REST calls go to this origin only ('self' covers its ws: and wss:).
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      frameguard: { action: "deny" },
    }),
  );
  const guard = new RestGuard(opts.limiters ?? memoryLimiters, { ...DEFAULT_LIMITS, ...opts.limits }, log);
  const bookings = opts.bookings ?? opts.records?.bookings ?? null;
  // One balancer per hall on every node: all measure rates (for expected waits), the lock holder acts.
  const lock = opts.lock ?? new LocalHallLock(() => clock.now());
  const runners = new Map(
    opts.halls.map((h) => [h.id, new BalancerRunner({ store, config: h, configNow: () => halls.get(h.id) ?? h, lock, clock, intervalMs: opts.balancerIntervalMs, bookingsOn: bookings ? (hallId, date) => bookings.day(hallId, date) : undefined, execute: (hallId, cmd) => ctx.run(hallId, cmd, "balancer", null), onError: (err) => log.warn(`balancer round for ${h.id} failed`, err) })]),
  );
  const runnerOf = (hallId: string) => runners.get(hallId)!;
  const staffing = (hallId: string) => runnerOf(hallId).staffing(clock.now());
  const ready = opts.ready ?? (async () => {});
  // A health check answers within a second whatever the store does: a load balancer waiting on it is itself stalled.
  const readyWithin = () => withinDeadline(ready(), HEALTH_DEADLINE_MS, "a health check");
  const hoursStore = opts.hours ?? opts.records?.hours ?? null;
  // A follow-up's deadline counts working days by the calendar in force (LiveHours replaces it in `halls`).
  opts.records?.followUps.useTerms((hallId) => {
    const hall = halls.get(hallId);
    return hall ? termsOf(hall) : undefined;
  });
  const desk = bookings ? new BookingDesk(ctx, bookings) : null;
  const cases = opts.records ? new CaseDesk(ctx, opts.records.cases) : null;
  // The queue summary is pushed again once new hours are in force: availability and notices changed without an event.
  let republish: (hallId: string) => void = () => {};
  const hours = hoursStore ? new LiveHours({ ctx, hours: hoursStore, halls: opts.halls, pollMs: opts.hoursPollMs, onApplied: (hallId) => republish(hallId) }) : null;
  const sweeper = bookings ? new BookingSweeper(ctx, bookings, opts.bookingSweepMs) : null;
  // The archive's append enqueues each hall's webhooks for the endpoints of its config.
  for (const h of opts.halls) opts.records?.webhooks.configure(h.id, h.webhooks);
  const webhooks = opts.records ? new WebhookSender({ ...opts.webhookSender, outbox: opts.records.webhooks, halls: opts.halls, clock, lock, onError: (hallId, err) => log.warn(`webhooks: sending ${hallId}'s deliveries failed; retrying`, err) }) : null;
  app.use(restRouter(ctx, { sessionHours: opts.sessionHours ?? 12, ready: readyWithin, publicUrl: opts.publicUrl, staffing, guard, records: opts.records, bookings: bookings ?? undefined, desk: desk ?? undefined, hours: hours ?? undefined, webhookResent: (hallId) => webhooks?.notify(hallId), cases: cases ?? undefined }));
  if (opts.webRoot && existsSync(opts.webRoot)) {
    app.use(express.static(opts.webRoot, { extensions: ["html"] }));
  } else if (opts.webRoot) {
    log.warn(`web pages not built (${opts.webRoot} missing): run \`npm run build\``);
  }

  const http = createServer(app);
  const io: HallServer = new Server(http, {
    serveClient: false,
    // No connectionStateRecovery: every client resyncs from a snapshot after a reconnect, which
    // works the same with every adapter and keeps no per-packet buffers on the server.
    pingInterval: 10_000,
    pingTimeout: 8_000,
    maxHttpBufferSize: 64 * 1024,
  });
  await opts.configureIo?.(io);
  // The same client address as REST sees it (TRUST_PROXY decides whose X-Forwarded-For counts).
  const clientAddress = (req: IncomingMessage) => addressKey(proxyaddr(req, app.get("trust proxy fn") as Parameters<typeof proxyaddr>[1]));
  attachSocketTransport(io, ctx, { admit: (req, hallId) => guard.connection(clientAddress(req), hallId), desk: desk ?? undefined, cases: cases ?? undefined, publicUrl: opts.publicUrl });
  ctx.onEvent((event: HallEvent) => broadcastEvent(io, halls.get(event.hallId)!, event));
  const publisher = new QueuePublisher(io, ctx, (hallId, now) => runnerOf(hallId).summarize(now), {
    queueMs: opts.queueSummaryMs ?? 1_000,
    phonesMs: opts.trackerSummaryMs ?? 5_000,
  });
  ctx.onEvent(publisher.onEvent);
  republish = (hallId) => void publisher.publish(hallId);
  // The stored hours are in force before the first request is answered and the first round runs.
  await hours?.start();
  ctx.issueEta = (hallId, serviceId) => publisher.current(hallId)?.services[serviceId]?.newTicketEtaSec ?? null;
  hallNamespaces(io).on("connection", (socket) => {
    if (wantsQueue(socket.data)) void publisher.greet(socket.data.hallId, (summary) => socket.emit("hall:queue", summary));
  });
  for (const runner of runners.values()) {
    ctx.onEvent(runner.notify);
    runner.start();
  }
  const days = new DayWatcher(ctx);
  days.start();
  sweeper?.start();
  webhooks?.start();

  return {
    http,
    io,
    ctx,
    runners,
    days,
    hours,
    sweeper,
    desk,
    webhooks,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        http.once("error", reject);
        http.listen(port, host, () => resolve((http.address() as AddressInfo).port));
      }),
    close: async () => {
      publisher.stop();
      days.stop();
      await hours?.stop();
      await sweeper?.stop();
      await webhooks?.stop();
      await Promise.all([...runners.values()].map((r) => r.stop()));
      await new Promise<void>((resolve) => io.close(() => resolve()));
      if (http.listening) await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

export const defaultWebRoot = path.resolve(import.meta.dirname, "../dist/web");
