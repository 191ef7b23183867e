import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { workspacePackages } from "../src/workspace.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const changesetBin = join(root, "node_modules", ".bin", "changeset");
const packages = workspacePackages(root);
let copy = "";

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; version: string; private?: boolean; dependencies?: Record<string, string> };
const pendingChangesets = (dir: string): string[] =>
  readdirSync(join(dir, ".changeset"))
    .filter((file) => file.endsWith(".md") && file !== "README.md")
    .map((file) => readFileSync(join(dir, ".changeset", file), "utf8"));

// `changeset version` rewrites manifests and changelogs: run it on a copy of just those.
beforeAll(async () => {
  copy = mkdtempSync(join(tmpdir(), "netlab-release-"));
  // tooling/* is part of the workspace too: a changeset may name one of its packages (e.g. the bench kit).
  const tooling = readdirSync(join(root, "tooling")).flatMap((dir) => ["package.json", "CHANGELOG.md"].map((file) => join("tooling", dir, file)));
  const files = ["package.json", "pnpm-workspace.yaml", ".changeset", ...tooling, ...packages.flatMap((pkg) => ["package.json", "CHANGELOG.md"].map((file) => join(pkg.dir, file).slice(root.length)))];
  for (const file of files) {
    const from = join(root, file);
    if (!existsSync(from)) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(from, join(copy, file), { recursive: true });
  }
  const code = await new Promise<number>((resolve) => execFile(changesetBin, ["version"], { cwd: copy, timeout: 30_000 }, (error) => resolve(error ? 1 : 0)));
  expect(code).toBe(0);
});

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

test("every package not yet released is named by a pending changeset", () => {
  const pending = pendingChangesets(root).join("\n");
  const unreleased = packages.filter((pkg) => manifest(pkg.dir).version === "0.0.0");
  for (const pkg of unreleased) expect(pending, `${pkg.name} has no changeset`).toContain(`"${pkg.name}"`);
});

test("changeset version gives every pending package a new version and a changelog entry, and uses up the changesets", () => {
  const pending = pendingChangesets(root).join("\n");
  for (const pkg of packages) {
    const before = manifest(pkg.dir);
    const after = manifest(join(copy, pkg.dir.slice(root.length)));
    if (!pending.includes(`"${pkg.name}"`)) continue;
    expect(after.version, pkg.name).not.toBe(before.version);
    const changelog = readFileSync(join(copy, pkg.dir.slice(root.length), "CHANGELOG.md"), "utf8");
    expect(changelog, pkg.name).toContain(`# ${pkg.name}\n\n## ${after.version}\n`);
  }
  expect(pendingChangesets(copy)).toEqual([]);
  // Internal dependencies stay workspace ranges; pnpm pack turns them into the new versions.
  expect(manifest(join(copy, "packages", "net-info")).dependencies?.["@netlab/ip-codec"]).toBe("workspace:^");
});
