import { fileURLToPath } from "node:url";
import { startProcess } from "@netlab/test-kit";

export const bin = fileURLToPath(new URL("../bin/chat-server.js", import.meta.url));

/** Runs the chat-server CLI on a free port; resolves once it logs `listening`, with that port. */
export async function startDaemon(args: string[] = []) {
  const handle = await startProcess(process.execPath, [bin, "--port", "0", "--server-name", "irc.cli", ...args], { ready: /"msg":"listening"/ });
  const port = Number(/"port":(\d+)/.exec(handle.output())?.[1]);
  return { handle, port };
}
