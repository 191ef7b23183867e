import { PagedRegistry } from "./paged-registry.js";
import { REGISTRY_PAGE_OFFSETS, REGISTRY_TEXT_PAGES } from "./registry-data.js";

// The embedded data never changes, so every database shares one registry, read page by page on use.
let registry: PagedRegistry | undefined;

/** Page `index` of the embedded registry in its text form (see registry-format.ts). */
export function embeddedRegistryPage(index: number): string {
  const text = REGISTRY_TEXT_PAGES[index];
  if (text !== undefined) return text;
  const start = REGISTRY_PAGE_OFFSETS[index] ?? 0;
  const packed = Buffer.alloc((REGISTRY_PAGE_OFFSETS[index + 1] ?? start) - start);
  // A file beside the code, not strings in it: as JavaScript the packed pages cost every import about 3 ms to compile.
  const { closeSync, openSync, readSync } = process.getBuiltinModule("node:fs");
  const file = openSync(new URL("../data/registry-pages.bin", import.meta.url), "r");
  try {
    readSync(file, packed, 0, packed.length, start);
  } finally {
    closeSync(file);
  }
  // zlib is loaded on the first compressed page, not on import: a lookup of a well-known port never needs it.
  const { brotliDecompressSync } = process.getBuiltinModule("node:zlib");
  return brotliDecompressSync(packed).toString("utf8");
}

/** The embedded IANA registry. */
export function embeddedRegistry(): PagedRegistry {
  registry ??= new PagedRegistry(embeddedRegistryPage);
  return registry;
}
