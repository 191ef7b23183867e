// The memory floor under any Node server: Node itself, as an ES module holding one listening socket.
import { spawn } from "node:child_process";
import { settledRss } from "../settle.js";

const bareServer = "import net from 'node:net'; net.createServer().listen(0, '127.0.0.1');";

/** Settled RSS of a bare Node ESM net server on this machine. */
export async function nodeFloorRss(): Promise<number> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", bareServer], { stdio: "ignore" });
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (child.pid === undefined) throw new Error("node did not start");
    return await settledRss(child.pid, 2_000, 10_000);
  } finally {
    child.kill("SIGKILL");
  }
}
