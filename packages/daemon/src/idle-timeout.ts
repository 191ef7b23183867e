import type { Socket } from "node:net";

/** Calls onIdle once when socket has neither read nor written for ms (0 turns it off). */
export function watchIdle(socket: Socket, ms: number, onIdle: () => void): void {
  if (!(ms > 0)) return;
  socket.setTimeout(ms);
  socket.once("timeout", onIdle);
}
