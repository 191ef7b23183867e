import type { Socket } from "node:net";

export interface StreamEchoLimits {
  idleTimeoutMs: number;
  /** 0: no limit. */
  maxBytes: number;
}

export type StreamCloseReason = "idle-timeout" | "max-bytes";

/**
 * Echoes every byte of socket back to it (RFC 862). Stops reading while the write side is
 * full, so memory stays bounded whatever the peer's read speed; on the peer's half-close it
 * flushes what is pending, then ends. Calls onBytes per chunk and onLimit when it cuts.
 */
export function echoStream(
  socket: Socket,
  limits: StreamEchoLimits,
  onBytes: (count: number) => void,
  onLimit: (reason: StreamCloseReason) => void,
): void {
  let total = 0;
  socket.on("data", (chunk: Buffer) => {
    total += chunk.length;
    if (limits.maxBytes > 0 && total > limits.maxBytes) {
      const allowed = chunk.length - (total - limits.maxBytes);
      if (allowed > 0) socket.write(chunk.subarray(0, allowed));
      onBytes(Math.max(0, allowed));
      onLimit("max-bytes");
      socket.removeAllListeners("data");
      socket.pause();
      socket.end();
      return;
    }
    onBytes(chunk.length);
    if (!socket.write(chunk)) socket.pause();
  });
  socket.on("drain", () => socket.resume());
  // Half-close: end our side once everything pending has been written.
  socket.on("end", () => socket.end());
  if (limits.idleTimeoutMs > 0) {
    socket.setTimeout(limits.idleTimeoutMs, () => {
      onLimit("idle-timeout");
      socket.destroy();
    });
  }
}
