import type net from "node:net";
import type { Transport } from "./connection.js";

/** A connection's TCP or TLS socket as its Transport: methods on a prototype, not five closures per client. */
export class SocketTransport implements Transport {
  constructor(private readonly socket: net.Socket) {}

  write(data: Buffer): void {
    this.socket.write(data);
  }

  pendingBytes(): number {
    return this.socket.writableLength;
  }

  pause(paused: boolean): void {
    if (paused) this.socket.pause();
    else this.socket.resume();
  }

  /** Sends what is queued, then closes; a peer that never reads is cut after 2 s. */
  end(): void {
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 2_000).unref();
  }

  destroy(): void {
    this.socket.destroy();
  }
}
