/** Throws a RangeError naming the value unless it is an integer port in 0..65535. */
export function assertPort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be an integer in 0..65535, got ${typeof port === "string" ? JSON.stringify(port) : String(port)}`);
  }
}
