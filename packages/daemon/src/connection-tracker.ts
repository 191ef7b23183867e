import type { EventEmitter } from "node:events";

/** What the tracker needs from a connection: net.Socket, tls.TLSSocket and similar fit. */
export interface TrackedConnection extends EventEmitter {
  destroy(): void;
  readonly destroyed: boolean;
}

export interface DrainResult {
  /** Connections that closed by themselves within the grace period. */
  finished: number;
  /** Connections still open when the grace period ended, destroyed. */
  destroyed: number;
}

/** Keeps the open connections of a server so a shutdown can wait for them, then close the rest. */
export class ConnectionTracker<T extends TrackedConnection = TrackedConnection> {
  readonly #open = new Set<T>();
  #idleWaiters: (() => void)[] = [];
  /** One `close` listener for every connection (the emitter calls it as `this`): a closure per connection costs ~200 bytes of it. */
  readonly #onClose: (this: T) => void;

  constructor() {
    const forget = (connection: T): void => {
      this.#open.delete(connection);
      if (this.#open.size === 0) this.#wakeWaiters();
    };
    this.#onClose = function (this: T) {
      forget(this);
    };
  }

  get size(): number {
    return this.#open.size;
  }

  /** Tracks connection until it emits `close`. */
  add(connection: T): void {
    this.#open.add(connection);
    connection.on("close", this.#onClose);
  }

  /** Each open connection, e.g. to send a goodbye before draining. */
  forEach(visit: (connection: T) => void): void {
    for (const connection of this.#open) visit(connection);
  }

  /** Waits up to graceMs for every connection to close, then destroys those left. */
  async drain(graceMs: number): Promise<DrainResult> {
    const before = this.#open.size;
    if (before > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, graceMs));
        this.#idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const left = [...this.#open];
    for (const connection of left) connection.destroy();
    return { finished: before - left.length, destroyed: left.length };
  }

  #wakeWaiters(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
