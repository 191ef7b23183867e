// Runs every benchmark script in turn, each in its own process; exits non-zero if any missed a target.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

let failed = 0;
for (const script of ["run.js", "history.js", "cluster.js", "logins.js", "websocket.js"]) {
  const { status } = spawnSync(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], { stdio: "inherit" });
  if (status !== 0) failed = status ?? 1;
}
process.exit(failed);
