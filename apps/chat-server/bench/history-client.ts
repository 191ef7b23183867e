// A client with draft/chathistory that times each CHATHISTORY request until its BATCH ends.
import net from "node:net";
import { performance } from "node:perf_hooks";

/** A reply that did not come in time. */
export class HistoryTimeoutError extends Error {
  override readonly name = "HistoryTimeoutError";
  constructor(readonly pattern: RegExp) {
    super(`no ${pattern} within 10 s`);
  }
}

export interface HistoryClient {
  /** Sends one request: its round trip and how many lines of history came back. */
  request(line: string): Promise<{ ms: number; lines: number }>;
  close(): void;
}

/** Registers as `reader` with the history capabilities and joins #h0..#h<channels - 1>. */
export async function historyClient(port: number, channels: number): Promise<HistoryClient> {
  const socket = net.connect({ port, host: "127.0.0.1" });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.setNoDelay(true);
  let text = "";
  let waiter: { pattern: RegExp; resolve: (text: string) => void } | undefined;
  socket.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
    if (waiter?.pattern.test(text)) {
      const { resolve } = waiter;
      waiter = undefined;
      resolve(text);
      text = "";
    }
  });
  const until = (pattern: RegExp): Promise<string> =>
    new Promise((resolve, reject) => {
      if (pattern.test(text)) {
        const got = text;
        text = "";
        resolve(got);
        return;
      }
      const timer = setTimeout(() => reject(new HistoryTimeoutError(pattern)), 10_000);
      waiter = { pattern, resolve: (got) => (clearTimeout(timer), resolve(got)) };
    });
  const send = (line: string): void => void socket.write(`${line}\r\n`);
  send("CAP LS 302");
  send("CAP REQ :batch server-time message-tags draft/chathistory");
  send("NICK reader");
  send("USER reader 0 * :bench");
  send("CAP END");
  await until(/ (376|422) /);
  for (let c = 0; c < channels; c++) {
    send(`JOIN #h${c}`);
    await until(/ 366 /);
  }
  return {
    async request(line) {
      const started = performance.now();
      send(line);
      const got = await until(/BATCH -\S+\r\n/);
      return { ms: performance.now() - started, lines: got.split("\r\n").filter((l) => l.startsWith("@batch=")).length };
    },
    close: () => socket.destroy(),
  };
}
