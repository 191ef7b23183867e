import type net from "node:net";
import tls from "node:tls";
import { ConnectionLimiter, ConnectionTracker, type DaemonMetrics, type DrainResult, type Logger } from "@netlab/daemon";
import { LineReader } from "@netlab/irc-protocol";
import type { Transport } from "./connection.js";
import { maxBodyBytes, maxTagBytes } from "./dispatcher.js";

/** The SHA-256 fingerprint of a TLS client's certificate, lowercase hex without colons. */
function certificateFingerprint(socket: net.Socket): string | undefined {
  if (!(socket instanceof tls.TLSSocket)) return undefined;
  const fingerprint = socket.getPeerCertificate().fingerprint256;
  return fingerprint ? fingerprint.replaceAll(":", "").toLowerCase() : undefined;
}

/** What `address()` and the `listening` event report for each listener. */
export interface ListenerAddress {
  protocol: "irc" | "ircs";
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

  async listen(server: net.Server, host: string, port: number, protocol: "irc" | "ircs"): Promise<ListenerAddress> {
    const event = protocol === "ircs" ? "secureConnection" : "connection";
    server.on(event, (socket: net.Socket) => this.accept(socket));
    server.on("error", (error) => this.options.logger.error({ err: error, protocol }, "listener error"));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ port, host, backlog: 1024 }, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const info = server.address() as net.AddressInfo;
    const address: ListenerAddress = { protocol, address: info.address, family: info.family, port: info.port };
    this.servers.push(server);
    this.addresses.push(address);
    return address;
  }

  /** Stops accepting; resolves once the listeners are closed. */
  async stop(): Promise<void> {
    this.closing = true;
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
    const transport: Transport = {
      write: (data) => socket.write(data),
      pendingBytes: () => socket.writableLength,
      pause: (paused) => (paused ? socket.pause() : socket.resume()),
      end: () => {
        socket.end();
        setTimeout(() => socket.destroy(), 2_000).unref();
      },
      destroy: () => socket.destroy(),
    };
    const connection = this.handler.open(transport, ip, certificateFingerprint(socket));
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
