import net from "node:net";
import tls from "node:tls";
import { once } from "node:events";

/** Sends data, half-closes, and resolves with everything the server sent back before it ended. */
export async function sendAndCollect(port: number, data: Buffer, host = "127.0.0.1", useTls = false): Promise<Buffer> {
  // TLSSocket takes allowHalfOpen like net.Socket; its ConnectionOptions type omits it.
  const options = { port, host, allowHalfOpen: true };
  const socket = useTls ? tls.connect({ ...options, rejectUnauthorized: false }) : net.connect(options);
  await once(socket, useTls ? "secureConnect" : "connect");
  const received: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => received.push(chunk));
  socket.end(data);
  await once(socket, "end");
  socket.destroy();
  return Buffer.concat(received);
}

/** A deterministic pseudo-random buffer (every byte value shows up). */
export function patternBytes(length: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

/** Resolves when predicate holds, polling; rejects after timeoutMs. */
export async function until(predicate: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
