import { brotliDecompressSync } from "node:zlib";
import { REGISTRY_BROTLI_BASE64 } from "./registry-data.js";
import { RegistryIndex } from "./registry-index.js";

// The embedded data never changes, so every database shares one table, built on first use.
let index: RegistryIndex | undefined;

/** The embedded registry in its text form (see registry-format.ts). */
export function embeddedRegistryText(): string {
  return brotliDecompressSync(Buffer.from(REGISTRY_BROTLI_BASE64, "base64")).toString("utf8");
}

/** The embedded IANA registry, decoded on first use. */
export function embeddedRegistry(): RegistryIndex {
  index ??= new RegistryIndex(embeddedRegistryText());
  return index;
}
