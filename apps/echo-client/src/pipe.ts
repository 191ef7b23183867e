import type { Readable, Writable } from "node:stream";
import { openStream } from "./connect.js";
import { describeNetworkError, EchoClientError } from "./errors.js";
import { formatTarget, type EchoTarget } from "./target.js";

export interface PipeResult {
  sent: number;
  received: number;
}

/**
 * Streams input through the echo server to output, byte for byte: ends its write side when
 * input ends and resolves once the server has sent everything back and closed. The read
 * deadline (target.timeoutMs) runs only after input has ended, and not while a slow output
 * holds the reading back.
 */
export async function pipeThrough(target: EchoTarget, input: Readable, output: Writable, onProgress?: (progress: PipeResult) => void): Promise<PipeResult> {
  const name = formatTarget(target.host, target.port);
  const socket = await openStream(target);
  const counts: PipeResult = { sent: 0, received: 0 };
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      input.unpipe(socket);
      socket.destroy();
      reject(describeNetworkError(error, name));
    };
    input.on("data", (chunk: Buffer) => {
      counts.sent += chunk.length;
      onProgress?.(counts);
    });
    input.on("error", fail);
    let inputEnded = false;
    let waitingForOutput = false;
    // The deadline is the server's: it does not run while our own output holds the reading back.
    const armDeadline = (): void => {
      socket.setTimeout(inputEnded && !waitingForOutput ? target.timeoutMs : 0);
    };
    socket.on("timeout", () =>
      fail(new EchoClientError("READ_TIMEOUT", name, `echo from ${name} stalled for ${target.timeoutMs} ms (got ${counts.received} of ${counts.sent} bytes)`)),
    );
    input.once("end", () => {
      inputEnded = true;
      armDeadline();
    });
    socket.on("data", (chunk: Buffer) => {
      counts.received += chunk.length;
      onProgress?.(counts);
      if (!output.write(chunk)) {
        waitingForOutput = true;
        armDeadline();
        socket.pause();
        output.once("drain", () => {
          waitingForOutput = false;
          armDeadline();
          socket.resume();
        });
      }
    });
    socket.on("error", fail);
    output.on("error", fail);
    socket.on("end", () => {
      if (settled) return;
      settled = true;
      socket.end();
      if (counts.received !== counts.sent) {
        reject(new EchoClientError("CLOSED_EARLY", name, `${name} closed after echoing ${counts.received} of ${counts.sent} bytes`));
      } else {
        resolve(counts);
      }
    });
    input.pipe(socket);
  });
}
