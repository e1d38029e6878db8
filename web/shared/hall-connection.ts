/**
 * The one reactive controller every page uses: connects to the hall with its role's credentials,
 * keeps the hall snapshot current through the shared reducer (HallFeed; a window's strip, pad and
 * counter use a WindowFeed), resyncs after a reconnect or a gap, and sends commands with a fresh
 * commandId. A page never polls.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { io, type Socket } from "socket.io-client";
import { HallFeed, WindowFeed, type Feed } from "../../protocol/feed.js";
import { hallNamespace, type Ack, type ClientToServerEvents, type HallError, type HallEvent, type HallSnapshot, type QueueSummary, type ServerToClientEvents, type Ticket } from "../../protocol/index.js";

export type ConnectionStatus = "connecting" | "live" | "reconnecting" | "denied";

export interface HallConnectionOptions {
  /** Handshake auth (role, hallId, credentials); null when the page has none yet (not signed in). */
  auth: () => Record<string, unknown> | null;
  /** Called with every event applied to the snapshot, in order, exactly once per event. */
  onEvent?: (event: HallEvent) => void;
  /** Called after each (re)sync from a snapshot. */
  onSnapshot?: (snapshot: HallSnapshot) => void;
  /**
   * The server sends a window's LED strip, rating pad and counter only that window's events (and
   * the counter the hall's parked tickets); such a page keeps its view with a WindowFeed instead
   * of following the whole hall.
   */
  windowFeed?: boolean;
}

let counter = 0;
export const newCommandId = (): string => `${Date.now().toString(36)}-${(++counter).toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export class HallConnection implements ReactiveController {
  feed: Feed;
  status: ConnectionStatus = "connecting";
  /** Why the server refused the connection, when status is "denied". */
  denied: HallError | null = null;
  queue: QueueSummary | null = null;
  /** Tracker role: the followed ticket. */
  ticket: Ticket | null = null;
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly opts: HallConnectionOptions,
  ) {
    this.feed = this.newFeed();
    host.addController(this);
  }

  private newFeed(): Feed {
    return this.opts.windowFeed ? new WindowFeed() : new HallFeed();
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
    this.denied = null;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(hallNamespace(String(auth.hallId)), { auth, transports: ["websocket", "polling"], reconnectionDelayMax: 5_000 });
    this.socket = socket;
    socket.on("connect", () => void this.resync());
    socket.on("disconnect", () => {
      this.status = "reconnecting";
      this.host.requestUpdate();
    });
    socket.on("connect_error", (err: Error & { data?: { code?: string } }) => {
      const code = err.data?.code;
      if (code === "UNAUTHORIZED" || code === "FORBIDDEN" || code === "UNKNOWN_HALL" || code === "VALIDATION") {
        this.status = "denied";
        this.denied = { code, message: err.message };
        socket.disconnect();
      } else {
        this.status = "reconnecting";
      }
      this.host.requestUpdate();
    });
    socket.on("hall:event", (event) => {
      if (auth.role === "tracker") {
        if (this.ticket && event.seq > 0 && "ticket" in event && event.ticket.id === this.ticket.id) this.ticket = event.ticket;
        this.opts.onEvent?.(event);
        this.host.requestUpdate();
        return;
      }
      const applied = this.feed.push(event, Date.now());
      applied.forEach((e) => this.opts.onEvent?.(e));
      if (this.feed.status === "resyncing") void this.resync();
      if (applied.length) this.host.requestUpdate();
    });
    socket.on("hall:queue", (summary) => {
      this.queue = summary;
      this.host.requestUpdate();
    });
    this.timer = setInterval(() => {
      if (this.feed.needsResync(Date.now())) void this.resync();
    }, 250);
  }

  disconnect(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.socket?.disconnect();
    this.socket = null;
  }

  /** Test hook and "reconnecting" demo: drop the connection as a network fault would. */
  simulateDrop(): void {
    this.socket?.io.engine?.close();
  }

  private async resync(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    this.feed.startResync();
    this.host.requestUpdate();
    const auth = this.opts.auth();
    try {
      if (auth?.role === "tracker") {
        const res = await socket.timeout(10_000).emitWithAck("ticket:get", { ticketId: String(auth.ticketId) });
        if (res.ok) this.ticket = res.data;
        this.status = "live";
      } else {
        const res = await socket.timeout(10_000).emitWithAck("hall:snapshot", {});
        if (!res.ok) throw new Error(res.error.message);
        this.feed.reset(res.data, Date.now()).forEach((e) => this.opts.onEvent?.(e));
        this.status = "live";
        this.opts.onSnapshot?.(this.feed.snapshot!);
      }
    } catch {
      this.status = "reconnecting";
      setTimeout(() => {
        if (this.socket === socket && socket.connected) void this.resync();
      }, 1_000);
    }
    this.host.requestUpdate();
  }

  /** Send a command; a mutating one gets a fresh commandId unless the payload has one. */
  async send<T = HallEvent>(name: keyof ClientToServerEvents, payload: Record<string, unknown> = {}): Promise<Ack<T>> {
    const socket = this.socket;
    if (!socket?.connected) return { ok: false, error: { code: "INTERNAL", message: "Not connected; try again in a moment." } };
    const body = name === "hall:snapshot" || name === "ticket:get" ? payload : { commandId: newCommandId(), ...payload };
    try {
      return (await (socket as unknown as Socket).timeout(10_000).emitWithAck(name, body)) as Ack<T>;
    } catch {
      return { ok: false, error: { code: "INTERNAL", message: "No answer from the server; check the connection and retry." } };
    }
  }
}
