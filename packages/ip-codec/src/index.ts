export { toHex } from "./hex.js";
