import { binPath } from "./daemon-bin.js";
import { supervise, type ServiceSpec } from "./supervisor.js";

/** The two daemons `pnpm start` runs; ports and every other flag come from NETLAB_* variables. */
export function labServices(): ServiceSpec[] {
  return [
    { name: "echo-server", command: process.execPath, args: [binPath("@netlab/echo-server")] },
    { name: "chat-server", command: process.execPath, args: [binPath("@netlab/chat-server")] },
  ];
}

/** Runs both daemons until SIGINT/SIGTERM, passing each signal on; resolves to the exit code. */
export async function startLab(): Promise<number> {
  const supervisor = supervise(labServices());
  const forward = (signal: NodeJS.Signals): void => supervisor.signal(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  process.on("SIGHUP", forward);
  process.stdout.write("netlab: starting echo-server and chat-server; Ctrl-C stops both\n");
  const code = await supervisor.done;
  process.stdout.write(code === 0 ? "netlab: both daemons stopped\n" : "netlab: a daemon failed; the other was stopped\n");
  return code;
}
