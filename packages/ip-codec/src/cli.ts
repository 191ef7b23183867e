import { toHex } from "./hex.js";

// Placeholder until the full codec lands: print the hex of dotted quads.
for (const text of process.argv.slice(2)) {
  const bytes = Uint8Array.from(text.split(".").map(Number));
  console.log(`IP Address: ${text} => Packed: ${toHex(bytes)}`);
}
