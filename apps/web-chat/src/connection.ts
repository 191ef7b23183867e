import { Emitter } from "./emitter.js";

/** The IRCv3 WebSocket subprotocol: one UTF-8 IRC line per text message, without CR LF. */
export const ircSubprotocol = "text.ircv3.net";

/** What Connection uses of a WebSocket, so tests can hand it another. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

export type ConnectionState =
  | { kind: "connecting" }
  | { kind: "open" }
  | { kind: "waiting"; retryAt: number; reason: string }
  | { kind: "closed" };

export type ConnectionEvents = {
  state: [ConnectionState];
  open: [];
  line: [string];
  /** The socket closed (a reconnect follows unless close() was called). */
  close: [reason: string];
  /** Nothing came for a while: time to send a PING. */
  idle: [];
};

export interface ConnectionOptions {
  url: string;
  createSocket?: SocketFactory;
  /** First reconnect delay, doubled after each failure up to maxDelayMs (1 s and 30 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Silence before the idle event (60 s); twice that closes the socket as dead. */
  idleMs?: number;
  now?: () => number;
}

/** The wait before reconnect attempt number attempt (0 first): 1 s, 2 s, 4 s... at most 30 s. */
export function reconnectDelay(attempt: number, initialMs = 1000, maxMs = 30_000): number {
  return Math.min(initialMs * 2 ** Math.min(attempt, 30), maxMs);
}

const OPEN = 1;

/**
 * IRC over a WebSocket (IRCv3 websocket, subprotocol text.ircv3.net): sends and receives
 * lines, and reconnects with backoff when the socket closes until close() is called.
 */
export class Connection extends Emitter<ConnectionEvents> {
  state: ConnectionState = { kind: "closed" };
  private socket: SocketLike | undefined;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  private pinged = false;
  private stopped = true;
  private readonly createSocket: SocketFactory;
  private readonly now: () => number;

  constructor(private readonly options: ConnectionOptions) {
    super();
    this.createSocket = options.createSocket ?? ((url, protocols) => new WebSocket(url, protocols));
    this.now = options.now ?? Date.now;
  }

  /** Connects, and keeps reconnecting after drops, until close(). */
  open(): void {
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }

  /** The session is established (registered): the next drop retries after the shortest delay again. */
  markHealthy(): void {
    this.attempt = 0;
  }

  /** Reconnects now instead of waiting for the backoff timer. */
  retryNow(): void {
    if (this.stopped || this.state.kind !== "waiting") return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  send(line: string): void {
    if (this.socket?.readyState === OPEN) this.socket.send(line);
  }

  /** Closes for good: no reconnect. */
  close(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.dropSocket(1000, "bye");
    this.setState({ kind: "closed" });
  }

  private connect(): void {
    this.setState({ kind: "connecting" });
    let socket: SocketLike;
    try {
      socket = this.createSocket(this.options.url, [ircSubprotocol]);
    } catch (error) {
      // A malformed URL: no use retrying it.
      this.stopped = true;
      this.setState({ kind: "closed" });
      this.emit("close", error instanceof Error ? error.message : String(error));
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.lastHeard = this.now();
      this.pinged = false;
      this.startIdleTimer();
      this.setState({ kind: "open" });
      this.emit("open");
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== "string") return;
      this.lastHeard = this.now();
      this.pinged = false;
      // One line per message by the spec; tolerate a server that sends CR LF or several.
      for (const line of event.data.split(/\r?\n/)) if (line) this.emit("line", line);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.lost(event.reason || (event.code === 1006 ? "connection lost" : `closed (${event.code})`));
    };
    socket.onerror = () => {
      // A close event follows every error event; it does the work.
    };
  }

  private lost(reason: string): void {
    this.dropSocket();
    this.emit("close", reason);
    if (this.stopped) return;
    const delay = reconnectDelay(this.attempt++, this.options.initialDelayMs, this.options.maxDelayMs);
    this.setState({ kind: "waiting", retryAt: this.now() + delay, reason });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private dropSocket(code?: number, reason?: string): void {
    clearInterval(this.idleTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close(code, reason);
    } catch {
      // Already closed.
    }
  }

  private startIdleTimer(): void {
    const idleMs = this.options.idleMs ?? 60_000;
    clearInterval(this.idleTimer);
    this.idleTimer = setInterval(
      () => {
        const silent = this.now() - this.lastHeard;
        if (silent >= idleMs * 2) this.lost("no answer from the server");
        else if (silent >= idleMs && !this.pinged) {
          this.pinged = true;
          this.emit("idle");
        }
      },
      Math.max(idleMs / 4, 250),
    );
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.emit("state", state);
  }
}
