import type dgram from "node:dgram";
import { EventEmitter } from "node:events";
import net, { type AddressInfo } from "node:net";
import tls from "node:tls";
import { ConnectionLimiter, ConnectionTracker, throttledWarn, type Daemon, type DaemonMetrics, type ListenerInfo, type Logger, type ThrottledWarn } from "@netlab/daemon";
import { bindDatagramEcho } from "./datagram-echo.js";
import type { EchoProtocol, EchoServerEvents } from "./events.js";
import { DEFAULT_BLOCKED_SOURCE_PORTS } from "./loop-ports.js";
import type { EchoServerOptions } from "./options.js";
import { echoStream, type ByteTally } from "./stream-echo.js";

// Above one full read (64 KiB): a write only reports backpressure when the peer is really behind,
// so a bulk stream is not paused and resumed after every chunk as with the default 16 KiB.
const WRITE_QUEUE_BYTES = 128 * 1024;

export interface EchoServerAddresses {
  tcp?: AddressInfo;
  udp?: AddressInfo;
  tls?: AddressInfo;
}

/** An RFC 862 echo daemon over TCP, UDP and TLS, from createEchoServer. */
export interface EchoServer extends Daemon, EventEmitter<EchoServerEvents> {
  listen(): Promise<ListenerInfo[]>;
  /** What each listener is bound to (after listen). */
  address(): EchoServerAddresses;
  /** Stops accepting, lets open connections finish within graceMs (default 0), then closes the rest. */
  close(options?: { graceMs?: number }): Promise<void>;
  /** Open TCP and TLS connections now. */
  readonly connections: number;
}

class EchoServerImpl extends EventEmitter<EchoServerEvents> implements EchoServer {
  readonly #options: EchoServerOptions;
  readonly #host: string;
  readonly #limiter: ConnectionLimiter;
  readonly #tracker = new ConnectionTracker<net.Socket>();
  readonly #log: Logger | undefined;
  // Limit hits are logged, but a flood of them must not flood the log.
  readonly #warn: ThrottledWarn | undefined;
  readonly #metrics: DaemonMetrics | undefined;
  #tcp: net.Server | undefined;
  #tlsServer: tls.Server | undefined;
  #udp: dgram.Socket | undefined;
  #closing = false;
  // Echoed bytes not yet added to the metrics (added at scrape time: cheaper than a labelled inc per chunk).
  readonly #pendingBytes: Record<EchoProtocol, ByteTally> = { tcp: { bytes: 0 }, udp: { bytes: 0 }, tls: { bytes: 0 } };

  constructor(options: EchoServerOptions) {
    super();
    this.#options = options;
    this.#host = options.host ?? "127.0.0.1";
    this.#limiter = new ConnectionLimiter({ maxConnections: options.maxConnections ?? 10_000, maxPerAddress: options.maxPerAddress ?? 256 });
    this.#log = options.log;
    this.#warn = options.log ? throttledWarn(options.log) : undefined;
    this.#metrics = options.metrics;
    this.#metrics?.onCollect(() => this.#flushBytes());
  }

  #flushBytes(): void {
    const metrics = this.#metrics;
    if (!metrics) return;
    for (const protocol of ["tcp", "udp", "tls"] as const) {
      const tally = this.#pendingBytes[protocol];
      const bytes = tally.bytes;
      if (bytes === 0) continue;
      tally.bytes = 0;
      metrics.bytes.inc({ protocol, direction: "in" }, bytes);
      metrics.bytes.inc({ protocol, direction: "out" }, bytes);
    }
  }

  get connections(): number {
    return this.#limiter.size;
  }

  async listen(): Promise<ListenerInfo[]> {
    try {
      return await this.#listenAll();
    } catch (error) {
      // Do not leave the listeners that did open behind one that failed.
      await this.close();
      throw error;
    }
  }

  async #listenAll(): Promise<ListenerInfo[]> {
    const listeners: ListenerInfo[] = [];
    const o = this.#options;
    let tcpPort: number | undefined;
    if (o.tcp ?? true) {
      this.#tcp = net.createServer({ allowHalfOpen: true, noDelay: true, highWaterMark: WRITE_QUEUE_BYTES }, (socket) => this.#accept(socket, "tcp"));
      const address = await listenOn(this.#tcp, o.port ?? 9900, this.#host);
      tcpPort = address.port;
      listeners.push({ protocol: "tcp", address: address.address, port: address.port });
    }
    if (o.udp ?? true) {
      const udpMetrics = this.#metrics;
      const pending = this.#pendingBytes;
      this.#udp = await bindDatagramEcho({
        host: this.#host,
        port: o.udpPort ?? tcpPort ?? o.port ?? 9900,
        ratePerSecond: o.udpRatePerSecond ?? 1000,
        burst: o.udpBurst,
        blockedSourcePorts: o.blockedSourcePorts ?? DEFAULT_BLOCKED_SOURCE_PORTS,
        onEcho: (bytes) => {
          pending.udp.bytes += bytes;
        },
        onDrop: (reason, remoteAddress, remotePort) => {
          udpMetrics?.dropped.inc({ protocol: "udp", reason });
          this.#warn?.(`udp-${reason}`, { protocol: "udp", reason, remoteAddress, remotePort }, "datagram dropped");
          this.emit("dropped", { protocol: "udp", reason, remoteAddress, remotePort });
        },
      });
      const address = this.#udp.address();
      listeners.push({ protocol: "udp", address: address.address, port: address.port });
    }
    if (o.tls) {
      // A short handshake deadline: sockets still handshaking are not yet counted by the limiter.
      this.#tlsServer = tls.createServer({ cert: o.tls.cert, key: o.tls.key, allowHalfOpen: true, handshakeTimeout: 10_000 }, (socket) => this.#accept(socket, "tls"));
      // A failed handshake is the client's problem, not the server's.
      this.#tlsServer.on("tlsClientError", (error, socket) => {
        this.#log?.debug({ protocol: "tls", err: error.message, remoteAddress: socket.remoteAddress }, "tls handshake failed");
        socket.destroy();
      });
      const address = await listenOn(this.#tlsServer, o.tls.port ?? 9901, this.#host);
      listeners.push({ protocol: "tls", address: address.address, port: address.port });
    }
    return listeners;
  }

  address(): EchoServerAddresses {
    const result: EchoServerAddresses = {};
    if (this.#tcp?.listening) result.tcp = this.#tcp.address() as AddressInfo;
    if (this.#udp) result.udp = this.#udp.address();
    if (this.#tlsServer?.listening) result.tls = this.#tlsServer.address() as AddressInfo;
    return result;
  }

  async close(options: { graceMs?: number } = {}): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    const stopped = [this.#tcp, this.#tlsServer].map((server) => (server?.listening ? new Promise<void>((resolve) => server.close(() => resolve())) : undefined));
    if (this.#udp) {
      const udp = this.#udp;
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    }
    const result = await this.#tracker.drain(options.graceMs ?? 0);
    if (result.finished + result.destroyed > 0) this.#log?.info({ ...result }, "connections drained");
    await Promise.all(stopped);
  }

  #accept(socket: net.Socket, protocol: EchoProtocol): void {
    const remoteAddress = socket.remoteAddress ?? "";
    const remotePort = socket.remotePort ?? 0;
    socket.on("error", (error) => this.#log?.debug({ protocol, remoteAddress, remotePort, err: error.message }, "connection error"));
    this.#tracker.add(socket);
    const admission = this.#limiter.acquire(remoteAddress);
    if (!admission.ok) {
      this.#metrics?.connectionsRefused.inc({ protocol, reason: admission.reason });
      this.#warn?.(`${protocol}-${admission.reason}`, { protocol, remoteAddress, remotePort, reason: admission.reason }, "connection refused");
      this.emit("refused", { protocol, remoteAddress, remotePort, reason: admission.reason });
      // Close cleanly (FIN, not RST) and ignore what the client still sends.
      socket.resume();
      socket.end();
      socket.setTimeout(2000, () => socket.destroy());
      return;
    }
    const metrics = this.#metrics;
    metrics?.connectionsTotal.inc({ protocol });
    metrics?.connectionsOpen.inc({ protocol });
    this.emit("connection", { protocol, remoteAddress, remotePort });
    const echoed: ByteTally = { bytes: 0 };
    let reason: "idle-timeout" | "max-bytes" | undefined;
    echoStream(
      socket,
      { idleTimeoutMs: this.#options.idleTimeoutMs ?? 300_000, maxBytes: this.#options.maxBytes ?? 0 },
      [echoed, this.#pendingBytes[protocol]],
      (limit) => {
        reason = limit;
        metrics?.connectionsClosed.inc({ protocol, reason: limit });
        this.#log?.info({ protocol, remoteAddress, remotePort, reason: limit }, "connection closed by limit");
      },
    );
    socket.once("close", () => {
      this.#limiter.release(remoteAddress);
      metrics?.connectionsOpen.dec({ protocol });
      this.emit("closed", { protocol, remoteAddress, remotePort, bytes: echoed.bytes, ...(reason ? { reason } : {}) });
    });
  }
}

function listenOn(server: net.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host, backlog: 1024 }, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Creates an echo server; nothing is bound until listen(). */
export function createEchoServer(options: EchoServerOptions = {}): EchoServer {
  return new EchoServerImpl(options);
}
