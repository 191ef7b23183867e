import { PagedRegistry } from "./paged-registry.js";
import { REGISTRY_PAGES, REGISTRY_TEXT_PAGES } from "./registry-data.js";

// The embedded data never changes, so every database shares one registry, read page by page on use.
let registry: PagedRegistry | undefined;

/** Page `index` of the embedded registry in its text form (see registry-format.ts). */
export function embeddedRegistryPage(index: number): string {
  const text = REGISTRY_TEXT_PAGES[index];
  if (text !== undefined) return text;
  // zlib is loaded on the first compressed page, not on import: a lookup of a well-known port never needs it.
  const { brotliDecompressSync } = process.getBuiltinModule("node:zlib");
  return brotliDecompressSync(Buffer.from(REGISTRY_PAGES[index] ?? "", "base64")).toString("utf8");
}

/** The embedded IANA registry. */
export function embeddedRegistry(): PagedRegistry {
  registry ??= new PagedRegistry(embeddedRegistryPage);
  return registry;
}
