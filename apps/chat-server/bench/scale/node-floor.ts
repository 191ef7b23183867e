// The memory floor under any Node server: Node itself, as an ES module holding one listening socket,
// and the same with the logging library chat-server uses (pino), before any code of the server's own.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { settledRss } from "../settle.js";

const listen = "import net from 'node:net'; net.createServer().listen(0, '127.0.0.1');";
const pinoUrl = pathToFileURL(createRequire(import.meta.url).resolve("pino")).href;

/** Settled RSS of a Node process running `source` as an ES module. */
async function settledRssOf(source: string): Promise<number> {
  // The young generation as chat-server keeps it (young-generation.ts), so the floors compare.
  const child = spawn(process.execPath, ["--semi-space-growth-factor=1", "--input-type=module", "-e", source], { stdio: "ignore" });
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (child.pid === undefined || child.exitCode !== null) throw new Error("node did not start");
    return await settledRss(child.pid);
  } finally {
    child.kill("SIGKILL");
  }
}

/** Node alone, and Node with pino loaded and one logger made. */
export async function nodeFloors(): Promise<{ bare: number; withPino: number }> {
  return { bare: await settledRssOf(listen), withPino: await settledRssOf(`import pino from '${pinoUrl}'; pino(); ${listen}`) };
}
