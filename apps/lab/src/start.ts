import { binPath } from "./daemon-bin.js";
import { supervise, type ServiceSpec } from "./supervisor.js";
import { writeOut } from "./stdout.js";

/** Where `pnpm start` serves the web chat unless NETLAB_CHAT_SERVER_WEBSOCKET_PORT says otherwise. */
export const webChatPort = 8097;

/** The two daemons `pnpm start` runs; ports and every other flag come from NETLAB_* variables. */
export function labServices(): ServiceSpec[] {
  // chat-server reads NETLAB_CHAT_SERVER_WEBSOCKET_PORT itself; without it, the web chat gets its usual port.
  const webChat = process.env.NETLAB_CHAT_SERVER_WEBSOCKET_PORT ? [] : ["--websocket-port", String(webChatPort)];
  return [
    { name: "echo-server", command: process.execPath, args: [binPath("@netlab/echo-server")] },
    { name: "chat-server", command: process.execPath, args: [binPath("@netlab/chat-server"), ...webChat] },
  ];
}

/** The link to the web chat, for a `ws`/`wss` listener of chat-server. */
function webChatLink(protocol: string | undefined, host: string, port: number | undefined): string | undefined {
  if (protocol !== "ws" && protocol !== "wss") return undefined;
  const shown = host === "0.0.0.0" || host === "[::]" ? "127.0.0.1" : host;
  return `${protocol === "wss" ? "https" : "http"}://${shown}:${port ?? "?"}/`;
}

/** Runs both daemons until SIGINT/SIGTERM, passing each signal on; resolves to the exit code. */
export async function startLab(): Promise<number> {
  const services = labServices();
  const listeners = new Map<string, string[]>();
  let link: string | undefined;
  let ready: NodeJS.Timeout | undefined;
  // Once every daemon has said where it listens (and a moment passed with no more), one line sums it up.
  const onRecord = (service: string, record: Record<string, unknown>): void => {
    if (record.msg !== "listening") return;
    const { protocol, address, port } = record as { protocol?: string; address?: string; port?: number };
    const host = address?.includes(":") ? `[${address}]` : (address ?? "?");
    listeners.set(service, [...(listeners.get(service) ?? []), `${protocol ?? "?"} ${host}:${port ?? "?"}`]);
    link ??= webChatLink(protocol, host, port);
    clearTimeout(ready);
    if (listeners.size < services.length) return;
    ready = setTimeout(() => {
      const summary = [...listeners].map(([name, list]) => `${name} on ${list.join(", ")}`).join("; ");
      writeOut(`netlab: ready: ${summary}; Ctrl-C stops both\n`);
      if (link) writeOut(`netlab: chat in your browser: ${link}\n`);
    }, 200);
  };
  const supervisor = supervise(services, { onRecord });
  const forward = (signal: NodeJS.Signals): void => supervisor.signal(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  process.on("SIGHUP", forward);
  writeOut("netlab: starting echo-server and chat-server\n");
  const code = await supervisor.done;
  clearTimeout(ready);
  writeOut(code === 0 ? "netlab: both daemons stopped\n" : "netlab: a daemon failed; the other was stopped\n");
  return code;
}
