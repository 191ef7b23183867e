export { hostName } from "./host-name.js";
