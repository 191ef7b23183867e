import net from "node:net";

export interface SocketTimeouts {
  /** socket.timeout as Node reports it before any setTimeout: undefined means none. */
  before: number | undefined;
  after: number | undefined;
}

/**
 * The lab's getdefaulttimeout()/setdefaulttimeout(): Node sockets have no timeout until one
 * is set, and socket.setTimeout(ms) sets the idle timeout of that socket.
 */
export async function socketTimeouts(port: number, changedMs: number): Promise<SocketTimeouts> {
  const socket = net.connect({ host: "127.0.0.1", port });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const before = socket.timeout;
    socket.setTimeout(changedMs);
    return { before, after: socket.timeout };
  } finally {
    socket.destroy();
  }
}
