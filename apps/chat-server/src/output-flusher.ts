import { performance } from "node:perf_hooks";
import type { Connection } from "./connection.js";
import type { HistoryEntry, HistoryStore } from "./history.js";

export interface FlusherHooks {
  /** A connection's unsent output passed the send queue limit: it is cut. */
  overflowed(connection: Connection): void;
  /** The history store failed a commit (logged and counted; delivery goes on). */
  historyFailed(error: unknown): void;
  /** One write to a connection. */
  wrote(): void;
}

/**
 * Writes queued output at most once per interval, after the history commit that stores the
 * messages in it: what clients see is durable first, and lines for a connection share one write.
 */
export class OutputFlusher {
  private scheduled = false;
  private lastFlush = 0;
  private readonly dirty: Connection[] = [];
  /** Closing connections whose last lines and close wait for the next flush. */
  private readonly ending = new Set<Connection>();
  /** The history commit in flight (asynchronous stores), whose flush's output waits for it. */
  private committing: Promise<void> | undefined;
  /** A flush came while a commit was in flight: run it when the commit settles. */
  private again = false;

  constructor(
    private readonly history: HistoryStore,
    private readonly intervalMs: number,
    private readonly sendQueueBytes: number,
    private readonly hooks: FlusherHooks,
  ) {}

  /** A connection has output: write it with the next flush. */
  queue(connection: Connection): void {
    this.dirty.push(connection);
    this.schedule();
  }

  /** Writes the connection's last lines with the next flush, then closes it. */
  endAfterFlush(connection: Connection): void {
    this.ending.add(connection);
    this.queue(connection);
  }

  /** Hands a message to the history store; the next flush commits it, even if nobody receives it. */
  store(entry: HistoryEntry): void {
    this.history.append(entry);
    this.schedule();
  }

  /** Waits for the commit in flight and commits what is left (shutdown). */
  async settle(): Promise<void> {
    await this.committing;
    await this.commit();
  }

  /** At most one flush per interval: under load, lines for a connection share one write. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastFlush + this.intervalMs - performance.now();
    if (wait <= 0) setImmediate(this.flush);
    else setTimeout(this.flush, wait);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    // One commit at a time: what arrives meanwhile waits for the next flush, so no connection's lines are reordered.
    if (this.committing) {
      this.again = true;
      return;
    }
    this.lastFlush = performance.now();
    // Messages are durable before any client can see them.
    const committed = this.commit();
    const connections = this.dirty.splice(0);
    if (!committed) {
      for (const connection of connections) this.write(connection, this.ending.delete(connection), connection.takeOutput());
      return;
    }
    // An asynchronous store (Redis): this flush's output waits for the commit; later lines go into the next one.
    const taken = connections.map((connection) => ({ connection, ending: this.ending.delete(connection), data: connection.takeOutput() }));
    this.committing = committed.then(() => {
      this.committing = undefined;
      for (const { connection, ending, data } of taken) this.write(connection, ending, data);
      if (this.again) {
        this.again = false;
        this.schedule();
      }
    });
  };

  /** Writes pending history; a failing store is reported, and delivery goes on. */
  private commit(): Promise<void> | undefined {
    try {
      const committed = this.history.commit();
      if (committed) return committed.catch((error: unknown) => this.hooks.historyFailed(error));
    } catch (error) {
      this.hooks.historyFailed(error);
    }
    return undefined;
  }

  /** Writes a connection's output; `ending`: it closes after it. */
  private write(connection: Connection, ending: boolean, data: Buffer | undefined): void {
    if (ending) {
      if (data) connection.transport.write(data);
      connection.transport.end();
      return;
    }
    // A connection closed while its output waited for a commit still gets it, before its ERROR.
    if ((connection.closing && !this.ending.has(connection)) || !data) return;
    // Only bytes left over from earlier turns count: a burst the client is reading is fine, unless it outgrew the gathering bound.
    if (connection.overflowed || connection.transport.pendingBytes() > this.sendQueueBytes) return this.hooks.overflowed(connection);
    this.hooks.wrote();
    connection.transport.write(data);
  }
}
