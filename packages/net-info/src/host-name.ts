import os from "node:os";

/** This machine's host name, as `hostname` prints it. */
export function hostName(): string {
  return os.hostname();
}
