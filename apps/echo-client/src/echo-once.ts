import net from "node:net";

export interface EchoOnceOptions {
  host: string;
  port: number;
  message: string;
  timeoutMs?: number;
}

/** Sends one message, reads until the whole echo is back, and returns it. */
export function echoOnce(options: EchoOnceOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const expected = Buffer.byteLength(options.message);
    const chunks: Buffer[] = [];
    let length = 0;
    const socket = net.connect({ host: options.host, port: options.port });
    socket.setTimeout(options.timeoutMs ?? 5000, () => socket.destroy(new Error(`timed out after ${options.timeoutMs ?? 5000} ms`)));
    socket.on("error", reject);
    socket.on("connect", () => socket.write(options.message));
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= expected) socket.end();
    });
    socket.on("close", () => resolve(Buffer.concat(chunks).toString()));
  });
}
