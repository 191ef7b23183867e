import net from "node:net";
import tls from "node:tls";
import { describeNetworkError, EchoClientError } from "./errors.js";
import { formatTarget, type EchoTarget } from "./target.js";

/** Where received bytes go when only their number matters: no allocation and no `data` event per read. */
export interface ByteSink {
  /** Scratch space every read lands in (several connections may share it: reads never overlap). */
  buffer: Buffer;
  /** data: the bytes received, in data[0, bytes) (the scratch buffer, or a TLS chunk). */
  count: (bytes: number, data: Buffer) => void;
}

function countInto(sink: ByteSink): (bytes: number) => boolean {
  return (bytes) => {
    sink.count(bytes, sink.buffer);
    // true: keep reading.
    return true;
  };
}

/**
 * Opens a TCP or TLS connection, or rejects with EchoClientError (CONNECT_TIMEOUT, REFUSED, DNS...).
 * With a sink, received data is counted and dropped instead of emitted as `data`.
 */
export function openStream(target: EchoTarget, sink?: ByteSink): Promise<net.Socket> {
  const name = formatTarget(target.host, target.port);
  return new Promise((resolve, reject) => {
    const counting = sink ? { onread: { buffer: sink.buffer, callback: countInto(sink) } } : {};
    const base = { host: target.host, port: target.port, allowHalfOpen: true, noDelay: true, ...(target.lookup ? { lookup: target.lookup } : {}) };
    const socket =
      target.transport === "tls"
        ? tls.connect({
            ...base,
            ...(target.tls?.ca ? { ca: target.tls.ca } : {}),
            rejectUnauthorized: !(target.tls?.insecure ?? false),
            servername: target.tls?.servername ?? (net.isIP(target.host) ? undefined : target.host),
          })
        : net.connect({ ...base, ...counting });
    // TLS sockets take no onread buffer: they count their data events.
    if (sink && target.transport === "tls") socket.on("data", (chunk: Buffer) => sink.count(chunk.length, chunk));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new EchoClientError("CONNECT_TIMEOUT", name, `connect to ${name} timed out after ${target.timeoutMs} ms`));
    }, target.timeoutMs);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      reject(describeNetworkError(error, name));
    };
    socket.once("error", fail);
    socket.once(target.transport === "tls" ? "secureConnect" : "connect", () => {
      clearTimeout(timer);
      socket.off("error", fail);
      resolve(socket);
    });
  });
}
