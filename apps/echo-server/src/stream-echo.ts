import type { Socket } from "node:net";
import { IdleWatch } from "./idle-watch.js";

export interface StreamEchoLimits {
  idleTimeoutMs: number;
  /** 0: no limit. */
  maxBytes: number;
}

export type StreamCloseReason = "idle-timeout" | "max-bytes";

/** Bytes echoed, added to per chunk (a plain field: cheaper than a callback per chunk). */
export interface ByteTally {
  bytes: number;
}

/**
 * Echoes every byte of socket back to it (RFC 862). Stops reading while the write side is
 * full, so memory stays bounded whatever the peer's read speed; on the peer's half-close it
 * flushes what is pending, then ends. Adds the bytes echoed to each tally and calls onLimit
 * when it cuts. Per chunk it does what `socket.pipe(socket)` does, plus two additions and a flag.
 */
export function echoStream(socket: Socket, limits: StreamEchoLimits, tallies: readonly [ByteTally, ByteTally], onLimit: (reason: StreamCloseReason) => void): void {
  const [connection, server] = tallies;
  const idle = limits.idleTimeoutMs > 0 ? new IdleWatch(limits.idleTimeoutMs, () => cut("idle-timeout"), () => socket.writableLength) : { active: false, stop: () => undefined };
  const cut = (reason: StreamCloseReason): void => {
    onLimit(reason);
    if (reason === "idle-timeout") socket.destroy();
    else {
      socket.removeAllListeners("data");
      socket.pause();
      socket.end();
    }
  };
  const maxBytes = limits.maxBytes;
  socket.on(
    "data",
    maxBytes > 0
      ? (chunk: Buffer) => {
          idle.active = true;
          const allowed = Math.min(chunk.length, maxBytes - connection.bytes);
          connection.bytes += allowed;
          server.bytes += allowed;
          if (allowed < chunk.length) {
            if (allowed > 0) socket.write(chunk.subarray(0, allowed));
            return cut("max-bytes");
          }
          if (!socket.write(chunk)) socket.pause();
        }
      : (chunk: Buffer) => {
          idle.active = true;
          connection.bytes += chunk.length;
          server.bytes += chunk.length;
          if (!socket.write(chunk)) socket.pause();
        },
  );
  socket.on("drain", () => {
    idle.active = true;
    socket.resume();
  });
  // Half-close: end our side once everything pending has been written.
  socket.on("end", () => socket.end());
  socket.once("close", () => idle.stop());
}
