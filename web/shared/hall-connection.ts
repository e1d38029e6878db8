/**
 * The one reactive controller every page uses: connects to the hall with its role's credentials,
 * keeps the hall snapshot current through the shared reducer (HallFeed; a window's strip, pad and
 * counter use a WindowFeed for their window), resyncs after a reconnect, a gap or a missed window
 * event, says when the page is offline, and sends commands by the protocol's retry rule
 * (protocol/command-retry.ts: the same commandId until a definite answer). A page never polls.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { io, type Socket } from "socket.io-client";
import { CommandAbandoned, sendCommand, type Emit, type RetryOptions } from "../../protocol/command-retry.js";
import { HallFeed, WindowFeed, type Feed } from "../../protocol/feed.js";
import { hallNamespace, type Ack, type ClientToServerEvents, type HallError, type HallEvent, type HallSnapshot, type QueueSummary, type ServerToClientEvents, type Ticket } from "../../protocol/index.js";

export { newCommandId } from "../../protocol/command-retry.js";

/**
 * `connecting` until the first snapshot (or ticket), `live` while the page shows the hall as it
 * is, `offline` when it may not (no connection, or the server could not give the page its state),
 * `denied` when the server refused the page's credentials (it does not retry then).
 */
export type ConnectionStatus = "connecting" | "live" | "offline" | "denied";
/** Why a page is offline: its network, or a server that is up but cannot read the hall (STORE_UNAVAILABLE and the like). */
export type OfflineReason = "network" | "server";

export interface HallConnectionOptions {
  /** Handshake auth (role, hallId, credentials); null when the page has none yet (not signed in). */
  auth: () => Record<string, unknown> | null;
  /** Called with every event applied to the snapshot, in order, exactly once per event. */
  onEvent?: (event: HallEvent) => void;
  /** Called after each (re)sync from a snapshot. */
  onSnapshot?: (snapshot: HallSnapshot) => void;
  /**
   * The window whose events the server sends this page: a window's LED strip, rating pad and
   * counter get only that window's events (and the counter the hall's parked tickets), so such a
   * page keeps its view with a WindowFeed that follows the window's revisions. A function when the
   * window can change (the counter's is the one it signed in to).
   */
  windowFeed?: string | (() => string | null);
  /** The server's origin; a page leaves it out and talks to its own (a script or test names one). */
  server?: string;
}

/** Commands that only read: one attempt, no commandId. */
const READS = new Set<string>(["hall:snapshot", "ticket:get", "ticket:holder", "case:get", "case:list"]);
/** Connection refusals that no retry will change. */
const DENIED = new Set<string>(["UNAUTHORIZED", "FORBIDDEN", "UNKNOWN_HALL", "VALIDATION", "SESSION_ENDED", "SESSION_REPLACED"]);
/** Wait before asking again for a snapshot the server could not give; doubles up to the maximum. */
const RESYNC_FIRST_DELAY_MS = 1_000;
const RESYNC_MAX_DELAY_MS = 5_000;
const READ_TIMEOUT_MS = 10_000;

type HallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/** The server events a page may follow itself; the others are this controller's. */
export type PageEventName = Exclude<keyof ServerToClientEvents, "hall:event" | "hall:queue" | "session:ended">;
type Listener = (...args: unknown[]) => void;

/** A read or resync that got no usable answer: why, for the offline state. */
class NoState extends Error {
  constructor(readonly reason: OfflineReason, message: string) {
    super(message);
  }
}

export class HallConnection implements ReactiveController {
  feed: Feed;
  status: ConnectionStatus = "connecting";
  /** Why the page is offline, while status is "offline". */
  offline: OfflineReason | null = null;
  /** Why the server refused the connection, when status is "denied". */
  denied: HallError | null = null;
  queue: QueueSummary | null = null;
  /** Tracker role: the followed ticket. */
  ticket: Ticket | null = null;
  /** Tracker role: the server no longer knows the ticket (it ended on an earlier business day). */
  ticketGone = false;
  /** The hall's business date as far as this page knows (its snapshot, or a hall:dayStarted). */
  businessDate: string | null = null;
  /** Commands sent and not yet answered definitely. */
  pending = 0;
  /** Of those, the ones that had an attempt without a definite answer and are being retried. */
  retrying = 0;
  private socket: HallSocket | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** The socket a resync is in flight for (one at a time). */
  private syncing: HallSocket | null = null;
  private resyncDelay = RESYNC_FIRST_DELAY_MS;
  /** Ends the retries of the current connection's commands (sign-out, another window). */
  private abort = new AbortController();
  /** Retries waiting for their next attempt: woken as soon as the socket connects again. */
  private wakers = new Set<() => void>();
  /** What pages follow with on(): put on every socket this controller opens. */
  private listeners = new Map<PageEventName, Set<Listener>>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly opts: HallConnectionOptions,
  ) {
    this.feed = this.newFeed();
    host.addController(this);
  }

  private newFeed(): Feed {
    const w = this.opts.windowFeed;
    if (w === undefined) return new HallFeed();
    return new WindowFeed((typeof w === "function" ? w() : w) ?? "");
  }

  get snapshot(): HallSnapshot | null {
    return this.feed.snapshot;
  }

  get role(): string | undefined {
    return this.opts.auth()?.role as string | undefined;
  }

  hostConnected(): void {
    this.connect();
  }

  hostDisconnected(): void {
    this.disconnect();
  }

  /** (Re)connect, e.g. after signing in. */
  connect(): void {
    this.disconnect();
    const auth = this.opts.auth();
    if (!auth) return;
    // A counter may change windows: what it knew of the last one goes.
    this.feed = this.newFeed();
    this.status = "connecting";
    this.offline = null;
    this.denied = null;
    this.resyncDelay = RESYNC_FIRST_DELAY_MS;
    const socket: HallSocket = io(`${this.opts.server ?? ""}${hallNamespace(String(auth.hallId))}`, { auth, transports: ["websocket", "polling"], reconnectionDelayMax: 5_000 });
    this.socket = socket;
    socket.on("connect", () => {
      for (const wake of [...this.wakers]) wake();
      void this.resync();
    });
    socket.on("disconnect", (reason) => {
      if (this.status === "denied" || reason === "io client disconnect") return;
      this.goOffline("network");
      // The server closed this socket on purpose without saying why: connect again as after a fault.
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", (err: Error & { data?: { code?: string } }) => {
      const code = err.data?.code;
      if (code && DENIED.has(code)) this.deny(socket, { code: code as HallError["code"], message: err.message });
      else this.goOffline("network");
    });
    // A staff session that ended or was taken over: the page signs in again instead of reconnecting.
    socket.on("session:ended", (error) => this.deny(socket, error));
    socket.on("hall:event", (event) => this.onHallEvent(auth, event));
    socket.on("hall:queue", (summary) => {
      this.queue = summary;
      this.host.requestUpdate();
    });
    for (const name of this.listeners.keys()) this.listen(socket, name);
    this.timer = setInterval(() => {
      if (this.feed.needsResync(Date.now())) void this.resync();
    }, 250);
  }

  /**
   * Follow one server event (`case:changed`…) on this connection and every later one (after a
   * reconnect or a new sign-in); answers the function that stops following. What was sent while
   * the page had no connection is not replayed: read it again on the next snapshot (onSnapshot).
   */
  on<E extends PageEventName>(name: E, fn: ServerToClientEvents[E]): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
      if (this.socket) this.listen(this.socket, name);
    }
    const listener = fn as Listener;
    set.add(listener);
    return () => void this.listeners.get(name)?.delete(listener);
  }

  private listen(socket: HallSocket, name: PageEventName): void {
    (socket as unknown as Socket).on(name, (...args: unknown[]) => {
      if (this.socket !== socket) return;
      for (const fn of [...(this.listeners.get(name) ?? [])]) fn(...args);
      this.host.requestUpdate();
    });
  }

  disconnect(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort.abort();
    this.abort = new AbortController();
    this.socket?.disconnect();
    this.socket = null;
    this.syncing = null;
  }

  /** Test hook and "offline" demo: drop the connection as a network fault would. */
  simulateDrop(): void {
    this.socket?.io.engine?.close();
  }

  private deny(socket: HallSocket, error: HallError): void {
    this.status = "denied";
    this.offline = null;
    this.denied = error;
    socket.disconnect();
    this.host.requestUpdate();
  }

  private goOffline(reason: OfflineReason): void {
    if (this.status === "denied") return;
    this.status = "offline";
    this.offline = reason;
    this.host.requestUpdate();
  }

  private onHallEvent(auth: Record<string, unknown>, event: HallEvent): void {
    if (event.type === "hall:dayStarted") this.businessDate = event.businessDate;
    if (auth.role === "tracker") {
      if (this.ticket && "ticket" in event && event.ticket.id === this.ticket.id) this.ticket = event.ticket;
      this.opts.onEvent?.(event);
      // A new day: what became of the ticket is read again (ended yesterday, or carried over).
      if (event.type === "hall:dayStarted") void this.resync();
      this.host.requestUpdate();
      return;
    }
    const applied = this.feed.push(event, Date.now());
    applied.forEach((e) => this.opts.onEvent?.(e));
    if (this.feed.status === "resyncing") void this.resync();
    if (applied.length) this.host.requestUpdate();
  }

  /**
   * A command's ack carries its event: the view takes it as if broadcast (a duplicate of the
   * broadcast changes nothing). A retried command's answer may be the only word of its event:
   * one committed after the server's store deadline had already answered is not broadcast.
   */
  private absorb(data: unknown): void {
    if (this.role === "tracker" || typeof data !== "object" || data === null || !("seq" in data) || !("type" in data)) return;
    const applied = this.feed.push(data as HallEvent, Date.now());
    applied.forEach((e) => this.opts.onEvent?.(e));
    if (this.feed.status === "resyncing") void this.resync();
  }

  /** Fetch the page's state afresh (the snapshot, or a tracker's ticket); one at a time per socket. */
  private async resync(): Promise<void> {
    const socket = this.socket;
    if (!socket || this.syncing === socket) return;
    this.syncing = socket;
    this.feed.startResync();
    this.host.requestUpdate();
    try {
      const auth = this.opts.auth();
      if (auth?.role === "tracker") await this.fetchTicket(socket, String(auth.ticketId));
      else await this.fetchSnapshot(socket);
      if (this.socket !== socket) return;
      this.status = "live";
      this.offline = null;
      this.resyncDelay = RESYNC_FIRST_DELAY_MS;
    } catch (err) {
      if (this.socket !== socket) return;
      this.goOffline(err instanceof NoState ? err.reason : "network");
      const delay = this.resyncDelay;
      this.resyncDelay = Math.min(RESYNC_MAX_DELAY_MS, delay * 2);
      setTimeout(() => {
        if (this.socket === socket && socket.connected) void this.resync();
      }, delay);
    } finally {
      if (this.syncing === socket) this.syncing = null;
      this.host.requestUpdate();
    }
    // A held event showed the snapshot is already behind (a new day began meanwhile): again.
    if (this.socket === socket && this.status === "live" && this.feed.status === "resyncing") void this.resync();
  }

  private async fetchSnapshot(socket: HallSocket): Promise<void> {
    const res = await this.read<HallSnapshot>(socket, "hall:snapshot", {});
    if (!res.ok) throw new NoState("server", res.error.message);
    if (this.socket !== socket) return;
    this.businessDate = res.data.businessDate;
    this.feed.reset(res.data, Date.now()).forEach((e) => this.opts.onEvent?.(e));
    this.opts.onSnapshot?.(this.feed.snapshot!);
  }

  private async fetchTicket(socket: HallSocket, ticketId: string): Promise<void> {
    const res = await this.read<Ticket>(socket, "ticket:get", { ticketId });
    if (res.ok) {
      this.ticket = res.data;
      this.ticketGone = false;
    } else if (res.error.code === "UNKNOWN_TICKET") {
      this.ticketGone = true;
    } else {
      throw new NoState("server", res.error.message);
    }
  }

  /** One read on this socket; no answer in time is a network fault. */
  private async read<T>(socket: HallSocket, name: string, payload: Record<string, unknown>): Promise<Ack<T>> {
    try {
      return (await (socket as unknown as Socket).timeout(READ_TIMEOUT_MS).emitWithAck(name, payload)) as Ack<T>;
    } catch (err) {
      throw new NoState("network", err instanceof Error ? err.message : String(err));
    }
  }

  /** One attempt on whichever socket is current; rejects when there is none connected. */
  private emit: Emit = (name, payload, timeoutMs) => {
    const socket = this.socket;
    if (!socket?.connected) return Promise.reject(new Error("Not connected."));
    return (socket as unknown as Socket).timeout(timeoutMs).emitWithAck(name, payload) as Promise<Ack<unknown>>;
  };

  /** Waits between attempts, and stops waiting as soon as the socket connects again. */
  private sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });

  /**
   * Send a request. A read gets one attempt. A mutating command gets a commandId (the payload's,
   * or a fresh one) and is retried with that same id, by the protocol's rule, until the answer is
   * definite; `pending` and `retrying` say meanwhile that it is still on its way. The promise
   * resolves with the definite answer, or with INTERNAL if the page stopped trying (it signed out
   * or changed windows), in which case the command may still have taken effect.
   */
  async send<T = HallEvent>(name: keyof ClientToServerEvents, payload: Record<string, unknown> = {}, opts: Pick<RetryOptions, "onRetry"> = {}): Promise<Ack<T>> {
    if (READS.has(name)) {
      const socket = this.socket;
      if (!socket?.connected) return { ok: false, error: { code: "INTERNAL", message: "Not connected; try again in a moment." } };
      return this.read<T>(socket, name, payload).catch(() => ({ ok: false, error: { code: "INTERNAL", message: "No answer from the server; check the connection and retry." } }) as Ack<T>);
    }
    let retried = false;
    this.pending += 1;
    this.host.requestUpdate();
    try {
      const ack = await sendCommand<T>(this.emit, name, payload, {
        signal: this.abort.signal,
        sleep: this.sleep,
        onRetry: (info) => {
          if (!retried) {
            retried = true;
            this.retrying += 1;
            this.host.requestUpdate();
          }
          opts.onRetry?.(info);
        },
      });
      if (ack.ok) this.absorb(ack.data);
      return ack;
    } catch (err) {
      if (!(err instanceof CommandAbandoned)) throw err;
      return { ok: false, error: { code: "INTERNAL", message: "Stopped trying before the server answered; the command may have taken effect." } };
    } finally {
      this.pending -= 1;
      if (retried) this.retrying -= 1;
      this.host.requestUpdate();
    }
  }
}
