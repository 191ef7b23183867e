import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface WorkspacePackage {
  name: string;
  /** Folder name, e.g. `ip-codec`. */
  short: string;
  dir: string;
  scripts: Record<string, string>;
}

/** The workspace root: the nearest folder above `from` with a pnpm-workspace.yaml. */
export function workspaceRoot(from = process.cwd()): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no pnpm-workspace.yaml above ${from}`);
  }
}

/** Packages and apps of the workspace, libraries first, each folder in name order. */
export function workspacePackages(root: string): WorkspacePackage[] {
  return ["packages", "apps"].flatMap((group) =>
    readdirSync(join(root, group))
      .sort()
      .filter((short) => existsSync(join(root, group, short, "package.json")))
      .map((short) => {
        const dir = join(root, group, short);
        const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; scripts?: Record<string, string> };
        return { name: manifest.name, short, dir, scripts: manifest.scripts ?? {} };
      }),
  );
}
