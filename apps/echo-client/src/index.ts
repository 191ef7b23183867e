export { echoOnce, type EchoOnceOptions } from "./echo-once.js";
