// Minified and gzipped bundle sizes, with esbuild.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export interface BundleSize {
  min: number;
  gzip: number;
}

/** Minified ESM bundle of `contents` (resolved from this folder, so "../dist/" is the package's build), and its gzipped size. */
export async function bundleSize(contents: string): Promise<BundleSize> {
  const result = await build({
    stdin: { contents, resolveDir: import.meta.dirname, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error("esbuild wrote no bundle");
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}
