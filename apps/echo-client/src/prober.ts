import type dgram from "node:dgram";
import type net from "node:net";
import { performance } from "node:perf_hooks";
import { openStream } from "./connect.js";
import { describeNetworkError, EchoClientError } from "./errors.js";
import { formatTarget, type EchoTarget } from "./target.js";
import { openDatagram } from "./udp-socket.js";

export interface RoundTrip {
  echo: Buffer;
  rttMs: number;
}

export interface ProbeConnection {
  /** Local and remote ends, for the connect step. */
  local: string;
  remote: string;
  connectMs: number;
  /** Sends payload and resolves with what came back once as many bytes (or one datagram) arrived. */
  roundTrip(payload: Buffer): Promise<RoundTrip>;
  close(): Promise<void>;
}

/** Connects to an echo server (TCP, TLS or UDP) for one or more round trips. */
export async function connectProbe(target: EchoTarget): Promise<ProbeConnection> {
  const started = performance.now();
  if (target.transport === "udp") {
    const socket = await openDatagram(target);
    return datagramProbe(socket, target, performance.now() - started);
  }
  const socket = await openStream(target);
  return streamProbe(socket, target, performance.now() - started);
}

function streamProbe(socket: net.Socket, target: EchoTarget, connectMs: number): ProbeConnection {
  const name = formatTarget(target.host, target.port);
  let buffered: Buffer[] = [];
  let length = 0;
  let waiter: (() => void) | undefined;
  let failure: EchoClientError | undefined;
  let ended = false;
  let cancel: (() => void) | undefined;
  socket.on("data", (chunk: Buffer) => {
    buffered.push(chunk);
    length += chunk.length;
    waiter?.();
  });
  socket.on("end", () => {
    ended = true;
    waiter?.();
  });
  socket.on("error", (error) => {
    failure = describeNetworkError(error, name);
    waiter?.();
  });
  return {
    local: formatTarget(socket.localAddress ?? "?", socket.localPort ?? 0),
    remote: formatTarget(socket.remoteAddress ?? target.host, socket.remotePort ?? target.port),
    connectMs,
    roundTrip: (payload) =>
      new Promise((resolve, reject) => {
        const sentAt = performance.now();
        const timer = setTimeout(() => {
          waiter = undefined;
          cancel = undefined;
          reject(new EchoClientError("READ_TIMEOUT", name, `no full echo from ${name} within ${target.timeoutMs} ms (got ${length} of ${payload.length} bytes)`));
        }, target.timeoutMs);
        cancel = () => {
          clearTimeout(timer);
          waiter = undefined;
          reject(new EchoClientError("CLOSED_EARLY", name, `closed while waiting for the echo from ${name}`));
        };
        const check = (): void => {
          if (failure || (ended && length < payload.length)) {
            clearTimeout(timer);
            waiter = undefined;
            cancel = undefined;
            reject(failure ?? new EchoClientError("CLOSED_EARLY", name, `${name} closed the connection after ${length} of ${payload.length} bytes`));
          } else if (length >= payload.length) {
            clearTimeout(timer);
            waiter = undefined;
            cancel = undefined;
            const all = Buffer.concat(buffered, length);
            const echo = all.subarray(0, payload.length);
            buffered = length > payload.length ? [all.subarray(payload.length)] : [];
            length -= payload.length;
            resolve({ echo, rttMs: performance.now() - sentAt });
          }
        };
        waiter = check;
        socket.write(payload);
        check();
      }),
    close: () =>
      new Promise((resolve) => {
        // A round trip still waiting (the run was interrupted) ends now, with its timer.
        cancel?.();
        cancel = undefined;
        if (socket.destroyed) return resolve();
        socket.once("close", () => resolve());
        socket.end();
        // Do not wait forever for a server that never closes its side.
        setTimeout(() => socket.destroy(), target.timeoutMs).unref();
      }),
  };
}

function datagramProbe(socket: dgram.Socket, target: EchoTarget, connectMs: number): ProbeConnection {
  const name = formatTarget(target.host, target.port);
  const local = socket.address();
  const remote = socket.remoteAddress();
  let cancel: (() => void) | undefined;
  return {
    local: formatTarget(local.address, local.port),
    remote: formatTarget(remote.address, remote.port),
    connectMs,
    roundTrip: (payload) =>
      new Promise((resolve, reject) => {
        const sentAt = performance.now();
        const cleanup = (): void => {
          clearTimeout(timer);
          cancel = undefined;
          socket.off("message", onMessage);
          socket.off("error", onError);
        };
        cancel = () => {
          cleanup();
          reject(new EchoClientError("CLOSED_EARLY", name, `closed while waiting for the echo from ${name}`));
        };
        const onMessage = (message: Buffer): void => {
          cleanup();
          resolve({ echo: message, rttMs: performance.now() - sentAt });
        };
        const onError = (error: Error): void => {
          cleanup();
          reject(describeNetworkError(error, name));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new EchoClientError("READ_TIMEOUT", name, `no echo datagram from ${name} within ${target.timeoutMs} ms`));
        }, target.timeoutMs);
        socket.on("message", onMessage);
        socket.on("error", onError);
        socket.send(payload);
      }),
    close: () =>
      new Promise((resolve) => {
        cancel?.();
        socket.close(() => resolve());
      }),
  };
}
