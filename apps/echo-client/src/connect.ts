import net from "node:net";
import tls from "node:tls";
import { describeNetworkError, EchoClientError } from "./errors.js";
import { formatTarget, type EchoTarget } from "./target.js";

/** Opens a TCP or TLS connection, or rejects with EchoClientError (CONNECT_TIMEOUT, REFUSED, DNS...). */
export function openStream(target: EchoTarget): Promise<net.Socket> {
  const name = formatTarget(target.host, target.port);
  return new Promise((resolve, reject) => {
    const base = { host: target.host, port: target.port, allowHalfOpen: true, noDelay: true, ...(target.lookup ? { lookup: target.lookup } : {}) };
    const socket =
      target.transport === "tls"
        ? tls.connect({
            ...base,
            ...(target.tls?.ca ? { ca: target.tls.ca } : {}),
            rejectUnauthorized: !(target.tls?.insecure ?? false),
            servername: target.tls?.servername ?? (net.isIP(target.host) ? undefined : target.host),
          })
        : net.connect(base);
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
