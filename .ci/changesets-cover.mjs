// Every package whose shipped files changed since the last release commit (subject "release: ...")
// is named by a pending changeset. Tests are not shipped: a change under test/ needs none.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";

const git = (...args) => execFileSync("git", args, { encoding: "utf8" }).trim();
const release = git("log", "--grep=^release:", "--format=%H", "-1");
if (!release) process.exit(0);
const dirs = new Set();
for (const file of git("diff", "--name-only", `${release}..HEAD`).split("\n")) {
  const match = /^((?:packages|apps|tooling)\/[^/]+)\/(.*)$/.exec(file);
  if (match && !/(^|\/)test\//.test(match[2])) dirs.add(match[1]);
}
const pending = readdirSync(".changeset")
  .filter((file) => file.endsWith(".md") && file !== "README.md")
  .map((file) => readFileSync(`.changeset/${file}`, "utf8"))
  .join("\n");
const missing = [...dirs]
  .filter((dir) => existsSync(`${dir}/package.json`))
  .map((dir) => JSON.parse(readFileSync(`${dir}/package.json`, "utf8")).name)
  .filter((name) => !pending.includes(`"${name}"`));
if (missing.length > 0) {
  console.error(`ci: changed since the last release without a changeset: ${missing.join(", ")} (run pnpm changeset)`);
  process.exit(1);
}
