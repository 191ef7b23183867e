import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** Minified ESM bundle of `contents` (resolved from this folder), and its gzipped size. */
export async function bundleSize(contents) {
  const result = await build({
    stdin: { contents, resolveDir: import.meta.dirname, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}
