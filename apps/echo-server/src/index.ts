export { createEchoServer, type EchoServer, type EchoServerAddresses } from "./server.js";
export type { EchoServerOptions, EchoTlsOptions } from "./options.js";
export type { EchoProtocol, EchoServerEvents, ConnectionEvent, RefusedEvent, ClosedEvent, DroppedEvent } from "./events.js";
export { DEFAULT_BLOCKED_SOURCE_PORTS } from "./loop-ports.js";
