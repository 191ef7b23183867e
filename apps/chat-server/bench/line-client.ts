// A step-by-step IRC client for logins: lines in order, each awaited by pattern; a refusal or a close rejects.
import net from "node:net";

/** A step that did not complete in time. */
export class StepTimeoutError extends Error {
  override readonly name = "StepTimeoutError";
  constructor(what: string, ms: number) {
    super(`${what}: nothing within ${ms} ms`);
  }
}

/** The server refused a step (the line says how) or closed the connection. */
export class RefusedError extends Error {
  override readonly name = "RefusedError";
}

/** Resolves with promise's value, or rejects after ms (the timer does not outlive it). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new StepTimeoutError(what, ms)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// A refused step: SASL failures, a NAK, a nick in use, a closing link.
const refusal = / (90[4-7]|43[236]|451|464|465) | CAP \S+ NAK |^ERROR /;

export class LineClient {
  private readonly lines: string[] = [];
  private partial = "";
  private ended = false;
  private waiter: { pattern: RegExp; resolve: (match: RegExpExecArray) => void; reject: (error: Error) => void } | undefined;
  private readonly closed: Promise<void>;

  static async open(port: number): Promise<LineClient> {
    const socket = net.connect({ port, host: "127.0.0.1" });
    const connected = new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    await within(connected, 10_000, "connect");
    socket.setNoDelay(true);
    return new LineClient(socket);
  }

  constructor(readonly socket: net.Socket) {
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("data", (chunk: Buffer) => {
      const lines = (this.partial + chunk.toString("utf8")).split("\n");
      this.partial = lines.pop() ?? "";
      for (const line of lines) this.lines.push(line.replace(/\r$/, ""));
      this.pump();
    });
    // A reset shows as the close that follows it.
    socket.on("error", () => {});
    socket.on("close", () => {
      this.ended = true;
      this.pump();
    });
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** The match of the first line matching pattern (earlier lines are dropped). */
  expect(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpExecArray> {
    const matched = new Promise<RegExpExecArray>((resolve, reject) => {
      this.waiter = { pattern, resolve, reject };
      this.pump();
    });
    return within(matched, timeoutMs, String(pattern)).finally(() => (this.waiter = undefined));
  }

  private pump(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    for (let line = this.lines.shift(); line !== undefined; line = this.lines.shift()) {
      const match = waiter.pattern.exec(line);
      if (match) return waiter.resolve(match);
      if (refusal.test(line)) return waiter.reject(new RefusedError(line));
    }
    if (this.ended) waiter.reject(new RefusedError("connection closed"));
  }

  /** A server challenge (AUTHENTICATE lines of at most 400 bytes, `+` for none or after a full one). */
  async challenge(): Promise<string> {
    let text = "";
    for (;;) {
      const [, part = ""] = await this.expect(/^(?::\S+ )?AUTHENTICATE (\S+)$/);
      if (part !== "+") text += part;
      if (part.length < 400) return Buffer.from(text, "base64").toString("utf8");
    }
  }

  /** QUIT, then the server's close (or ours after 5 s). */
  async quit(): Promise<void> {
    this.send("QUIT");
    await within(this.closed, 5_000, "close after QUIT").catch(() => {});
    this.socket.destroy();
  }
}
