export { IPAddress, parseAddress, tryParseAddress } from "./address.js";
export { IPParseError, IPValueError } from "./errors.js";
export type { ParseProblem } from "./errors.js";
export { fromHex, toHex } from "./hex.js";
export { inetAton, inetNtoa, inetNtop, inetPton, inetPtonInto, parseIPv4ToNumber } from "./inet.js";
export { IPPrefix, parsePrefix, tryParsePrefix } from "./prefix.js";
