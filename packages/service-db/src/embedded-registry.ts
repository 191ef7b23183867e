import { brotliDecompressSync } from "node:zlib";
import { PagedRegistry } from "./paged-registry.js";
import { REGISTRY_PAGES } from "./registry-data.js";

// The embedded data never changes, so every database shares one registry, unpacked page by page on use.
let registry: PagedRegistry | undefined;

/** Page `index` of the embedded registry in its text form (see registry-format.ts). */
export function embeddedRegistryPage(index: number): string {
  return brotliDecompressSync(Buffer.from(REGISTRY_PAGES[index] ?? "", "base64")).toString("utf8");
}

/** The embedded IANA registry. */
export function embeddedRegistry(): PagedRegistry {
  registry ??= new PagedRegistry(embeddedRegistryPage);
  return registry;
}
