import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

// Runs in a worker thread with its own connection: copying the WAL into the database (and its
// fsync) happens there, not inside a commit on the server's event loop. PASSIVE never blocks
// the writer; when the WAL still holds more than maxFrames pages it asks for a RESTART.
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 5000");
const timer = setInterval(() => {
  const [result] = db.pragma("wal_checkpoint(PASSIVE)");
  if (result && result.log > workerData.maxFrames) parentPort.postMessage("restart");
}, workerData.intervalMs);
parentPort.once("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointerEvents {
  /** The WAL has grown past maxFrames pages: the writer should run wal_checkpoint(RESTART) between transactions. */
  restart(): void;
  /** The worker died: the writer should go back to automatic checkpoints. */
  failed(error: Error): void;
}

/** Checkpoints a WAL database every intervalMs from a worker thread. */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private stopped = false;

  constructor(file: string, options: { intervalMs: number; maxFrames: number }, events: WalCheckpointerEvents) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(workerSource, { eval: true, workerData: { file, driver, ...options } });
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once("exit", () => resolve()));
    this.worker.on("message", () => {
      if (!this.stopped) events.restart();
    });
    this.worker.on("error", (error) => {
      if (!this.stopped) events.failed(error);
    });
  }

  /** Closes the worker's connection and ends the thread; resolves once the thread is gone (its files are closed). */
  stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      // Unreferenced, the thread would let an otherwise idle process end before its exit is seen, and whoever awaits this with it.
      this.worker.ref();
      this.worker.postMessage("stop");
    }
    return this.exited;
  }
}
