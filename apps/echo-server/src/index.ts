export { createEchoServer, type EchoServer, type EchoServerOptions } from "./server.js";
