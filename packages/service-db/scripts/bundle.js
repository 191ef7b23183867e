// Bundles tsc's dist/ into dist/index.bundle.js and dist/cli.bundle.js sharing dist/chunk.bundle.js, since each ES
// module file costs a fresh process a file read and a compile (about half of import time here).
import { build } from "esbuild";

await build({
  entryPoints: ["dist/index.js", "dist/cli.js"],
  outdir: "dist",
  entryNames: "[name].bundle",
  chunkNames: "[name].bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
