// Runs every benchmark in turn, each in its own process; exits non-zero if any missed a target.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

// scale.js is another engineer's bench, run when it has been built.
const scripts = ["fanout.js", "history.js", "cluster.js", "logins.js", "websocket.js", "scale.js"];

let failed = 0;
for (const script of scripts) {
  const file = fileURLToPath(new URL(script, import.meta.url));
  if (!existsSync(file)) {
    console.log(`\n${script}: not built, skipped`);
    continue;
  }
  console.log(`\n## ${script}\n`);
  const { status } = spawnSync(process.execPath, [file], { stdio: "inherit" });
  if (status !== 0) failed = status ?? 1;
}
process.exit(failed);
