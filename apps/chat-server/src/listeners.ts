import type http from "node:http";
import type net from "node:net";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import type { WebSocket } from "ws";
import { ConnectionLimiter, ConnectionTracker, type DaemonMetrics, type DrainResult, type Logger } from "@netlab/daemon";
import { LineReader } from "@netlab/irc-protocol";
import type { Transport } from "./connection.js";
import { maxBodyBytes, maxTagBytes } from "./dispatcher.js";
import { SocketTransport } from "./socket-transport.js";
import type { WebFiles } from "./web-files.js";
import { chooseSubprotocol, clientAddress, messageLines, originAllowed, webSocketTransport } from "./websocket-transport.js";

/** What a WebSocket listener accepts: which page origins, which proxies' X-Forwarded-For, and the web client it serves. */
export interface WebSocketListenerOptions {
  /** Page origins allowed to connect (none: any; the server's own host always). */
  origins: readonly string[];
  /** Addresses of proxies whose X-Forwarded-For names the client. */
  trustedProxies: readonly string[];
  /** The web client's files, served to plain HTTP requests. */
  files: WebFiles | undefined;
}

/** Longest WebSocket message read at all; longer lines up to it get 417 as on TCP, beyond it the socket is closed (1009). */
const maxMessageBytes = 64 * 1024;

/** The SHA-256 fingerprint of a TLS client's certificate, lowercase hex without colons. */
function certificateFingerprint(socket: net.Socket): string | undefined {
  if (!(socket instanceof tls.TLSSocket)) return undefined;
  const fingerprint = socket.getPeerCertificate().fingerprint256;
  return fingerprint ? fingerprint.replaceAll(":", "").toLowerCase() : undefined;
}

/** What `address()` and the `listening` event report for each listener. */
export interface ListenerAddress {
  protocol: "irc" | "ircs" | "ws" | "wss";
  address: string;
  family: string;
  port: number;
}

/** What becomes of an accepted socket: a connection that takes its lines and learns when it closed. */
export interface SocketHandler<C> {
  /** certfp: the SHA-256 fingerprint (hex) of a TLS client certificate, if the client gave one. */
  open(transport: Transport, ip: string, certfp: string | undefined): C;
  line(connection: C, line: Buffer): void;
  tooLong(connection: C): void;
  closed(connection: C): void;
  /** A connection was refused (limit or shutdown), by kind. */
  refused(kind: string): void;
}

export interface ListenerOptions {
  maxConnections: number;
  maxPerAddress: number;
  logger: Logger;
  metrics: DaemonMetrics | undefined;
}

/** The plain and TLS listeners: accept, admit within the connection limits, frame lines, track sockets for shutdown. */
export class Listeners<C> {
  readonly addresses: ListenerAddress[] = [];
  private readonly servers: (net.Server | tls.Server)[] = [];
  private readonly limiter: ConnectionLimiter;
  private readonly tracker = new ConnectionTracker<net.Socket>();
  private closing = false;

  constructor(
    private readonly options: ListenerOptions,
    private readonly handler: SocketHandler<C>,
  ) {
    this.limiter = new ConnectionLimiter({ maxConnections: options.maxConnections, maxPerAddress: options.maxPerAddress });
  }

  async listen(server: net.Server, host: string, port: number, protocol: ListenerAddress["protocol"]): Promise<ListenerAddress> {
    // A WebSocket listener's HTTP server takes its own connections.
    if (protocol === "irc" || protocol === "ircs") server.on(protocol === "ircs" ? "secureConnection" : "connection", (socket: net.Socket) => this.accept(socket));
    // A listener that cannot open rejects: whoever started it says why, once. Later errors are logged.
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ port, host, backlog: 1024 }, () => {
        server.off("error", reject);
        resolve();
      });
    });
    server.on("error", (error: NodeJS.ErrnoException) => this.options.logger.error({ err: error.message, code: error.code, protocol }, "listener error"));
    const info = server.address() as net.AddressInfo;
    const address: ListenerAddress = { protocol, address: info.address, family: info.family, port: info.port };
    this.servers.push(server);
    this.addresses.push(address);
    return address;
  }

  /** Serves IRC over WebSocket (IRCv3 websocket) on server, an HTTP or HTTPS server, with the web client's files beside it. */
  async listenWebSocket(server: http.Server, host: string, port: number, protocol: "ws" | "wss", options: WebSocketListenerOptions): Promise<ListenerAddress> {
    // Loaded here: a node without a WebSocket port does without the ws module's memory.
    const { WebSocketServer } = await import("ws");
    const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes, perMessageDeflate: false, handleProtocols: (offered) => chooseSubprotocol(offered) });
    server.on("upgrade", (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on("error", (error: NodeJS.ErrnoException) => this.options.logger.debug({ err: error.code ?? error.message }, "websocket socket error"));
      const refuse = (kind: string, status: string): void => {
        this.handler.refused(kind);
        this.options.metrics?.connectionsRefused.inc({ protocol, reason: kind });
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      };
      if (this.closing) return refuse("shutdown", "503 Service Unavailable");
      if (!originAllowed(request, options.origins)) return refuse("origin", "403 Forbidden");
      const ip = clientAddress(request, options.trustedProxies);
      const admission = this.limiter.acquire(ip);
      if (!admission.ok) return refuse(admission.reason, "503 Service Unavailable");
      let upgraded = false;
      wss.handleUpgrade(request, socket, head, (ws) => {
        upgraded = true;
        this.acceptWebSocket(ws, socket, ip, protocol);
      });
      // Without verifyClient, handleUpgrade answers at once: an upgrade it turned down (400: a bad
      // key or version) or whose socket had already gone never opens, so nothing would release its slot.
      if (!upgraded) this.limiter.release(ip);
    });
    server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
      if (options.files) return options.files.serve(request, response);
      response.writeHead(426, { "Content-Type": "text/plain; charset=utf-8", Upgrade: "websocket" }).end("IRC over WebSocket: connect with a WebSocket client\n");
    });
    return this.listen(server, host, port, protocol);
  }

  private acceptWebSocket(ws: WebSocket, socket: Duplex, ip: string, protocol: "ws" | "wss"): void {
    const { logger, metrics } = this.options;
    this.tracker.add(socket as net.Socket);
    metrics?.connectionsTotal.inc({ protocol });
    metrics?.connectionsOpen.inc({ protocol });
    const connection = this.handler.open(webSocketTransport(ws, socket), ip, undefined);
    const limit = maxTagBytes + maxBodyBytes;
    ws.on("message", (data: Buffer) => {
      for (const line of messageLines(data)) {
        if (line.length > limit) this.handler.tooLong(connection);
        else this.handler.line(connection, line);
      }
    });
    ws.on("error", (error: Error) => logger.debug({ err: error.message, ip }, "websocket error"));
    ws.on("close", () => {
      this.limiter.release(ip);
      metrics?.connectionsOpen.dec({ protocol });
      this.handler.closed(connection);
    });
  }

  /** Stops accepting; resolves once the listeners are closed. */
  async stop(): Promise<void> {
    this.closing = true;
    // A browser's keep-alive connection to the web client's HTTP server would hold close() open.
    for (const server of this.servers) if ("closeIdleConnections" in server) (server as http.Server).closeIdleConnections();
    await Promise.all(this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  /** Waits up to graceMs for open sockets to close, then cuts the rest. */
  drain(graceMs: number): Promise<DrainResult> {
    return this.tracker.drain(graceMs);
  }

  private accept(socket: net.Socket): void {
    const { logger, metrics } = this.options;
    const ip = socket.remoteAddress ?? "unknown";
    socket.on("error", (error: NodeJS.ErrnoException) => {
      logger.debug({ err: error.code ?? error.message, ip }, "socket error");
    });
    const protocol = socket instanceof tls.TLSSocket ? "ircs" : "irc";
    const reject = (kind: string, reason: string): void => {
      this.handler.refused(kind);
      metrics?.connectionsRefused.inc({ protocol, reason: kind });
      socket.end(`ERROR :Closing Link: ${ip} (${reason})\r\n`);
      setTimeout(() => socket.destroy(), 1_000).unref();
    };
    if (this.closing) return reject("shutdown", "Server shutting down");
    const admission = this.limiter.acquire(ip);
    if (!admission.ok) {
      return reject(admission.reason, admission.reason === "max-connections" ? "Too many connections" : "Too many connections from your address");
    }
    this.tracker.add(socket);
    metrics?.connectionsTotal.inc({ protocol });
    metrics?.connectionsOpen.inc({ protocol });
    socket.setNoDelay(true);
    const connection = this.handler.open(new SocketTransport(socket), ip, certificateFingerprint(socket));
    const reader = new LineReader(maxTagBytes + maxBodyBytes);
    socket.on("data", (chunk: Buffer) => {
      reader.push(chunk, (event) => {
        if ("tooLong" in event) this.handler.tooLong(connection);
        else this.handler.line(connection, event.line);
      });
    });
    socket.on("close", () => {
      this.limiter.release(ip);
      metrics?.connectionsOpen.dec({ protocol });
      this.handler.closed(connection);
    });
  }
}
