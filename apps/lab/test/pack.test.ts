import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const { packageManager } = (await import(join(root, "package.json"), { with: { type: "json" } })).default as { packageManager: string };
// cli first: the libraries' CLIs depend on it, and npm installs it from its tarball, not the registry.
const libraries = ["cli", "ip-codec", "service-db", "net-info"] as const;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: timeoutMs, encoding: "utf8" }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const tarballs = new Map<string, string>();
let packDir = "";
let installDir = "";

// What a release ships: each library packed by pnpm (workspace:^ becomes a version),
// then installed by npm in an empty folder outside the workspace.
beforeAll(async () => {
  packDir = mkdtempSync(join(tmpdir(), "netlab-pack-"));
  installDir = mkdtempSync(join(tmpdir(), "netlab-install-"));
  for (const name of libraries) {
    const dir = join(root, "packages", name);
    // Built already in a full run (turbo builds first); rebuilding here could rewrite files other tests read.
    const { exports } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { exports: { ".": { default: string } } };
    if (!existsSync(join(dir, exports["."].default))) {
      const build = await run("npx", ["-y", packageManager, "run", "build"], dir);
      expect(build.code, build.stderr + build.stdout).toBe(0);
    }
    const pack = await run("npx", ["-y", packageManager, "pack", "--pack-destination", packDir], dir);
    expect(pack.code, pack.stderr).toBe(0);
    const file = readdirSync(packDir).find((entry) => entry.startsWith(`netlab-${name}-`));
    if (!file) throw new Error(`no tarball for ${name} in ${packDir}`);
    tarballs.set(name, join(packDir, file));
  }
  writeFileSync(join(installDir, "package.json"), JSON.stringify({ name: "netlab-install-check", private: true, type: "module" }));
  const install = await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...libraries.map((name) => tarballs.get(name) ?? "")], installDir, 120_000);
  expect(install.code, install.stderr).toBe(0);
}, 180_000);

afterAll(() => {
  for (const dir of [packDir, installDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("packed libraries install and work outside the workspace", () => {
  const cli = (name: string, args: string[]) => run(join(installDir, "node_modules", ".bin", name), args, installDir);

  test("no workspace: protocol is left in the packed manifests", async () => {
    const manifest = await run("tar", ["-xOzf", tarballs.get("net-info") ?? "", "package/package.json"], packDir);
    expect(manifest.stdout).not.toContain("workspace:");
    expect(JSON.parse(manifest.stdout)).toMatchObject({ dependencies: { "@netlab/ip-codec": expect.stringMatching(/^\^\d/) } });
  });

  test("ip-codec CLI and import", async () => {
    const result = await cli("ip-codec", ["127.0.0.1"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain("Packed: 7f000001");
    const imported = await run(process.execPath, ["-e", "import('@netlab/ip-codec').then((m) => console.log(m.toHex(m.inetPton(4, '192.168.0.1'))))"], installDir);
    expect(imported.stdout.trim()).toBe("c0a80001");
  });

  test("service-db CLI and import", async () => {
    const result = await cli("service-db", ["--embedded", "22"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/22 +tcp +ssh/);
    const imported = await run(process.execPath, ["-e", "import('@netlab/service-db').then((m) => console.log(m.getServByPort(53, 'udp')))"], installDir);
    expect(imported.stdout.trim()).toBe("domain");
  });

  test("net-info CLI (with ip-codec installed beside it) and import", async () => {
    const result = await cli("net-info", ["resolve", "127.0.0.1", "--json"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(result.stdout)).toEqual([{ host: "127.0.0.1", addresses: [{ address: "127.0.0.1", family: 4 }] }]);
    const version = await cli("net-info", ["--version"]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const imported = await run(process.execPath, ["-e", "import('@netlab/net-info').then((m) => console.log(typeof m.hostName()))"], installDir);
    expect(imported.stdout.trim()).toBe("string");
  });
});
