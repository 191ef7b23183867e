export { assertPort } from "./port.js";
