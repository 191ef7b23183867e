import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { chatExchange } from "./chat-exchange.js";
import { startDaemon, type DaemonProcess } from "./daemon-process.js";
import { LAB_HOST, LAB_MISSING_HOST, startLabDns } from "./dnsmasq.js";
import { runCli, type CliRun } from "./run-cli.js";
import { socketTimeouts } from "./socket-timeout.js";

type Print = (line: string) => void;

class DemoStepError extends Error {
  readonly code = "DEMO_STEP";
  constructor(readonly step: string, message: string) {
    super(`${step}: ${message}`);
    this.name = "DemoStepError";
  }
}

const indent = (text: string): string[] => text.trimEnd().split("\n").filter((line) => line !== "").map((line) => `    ${line}`);

/** Prints a command, what it printed and its exit code; fails the step on an unexpected code. */
function showRun(print: Print, step: string, run: CliRun, expectedCode = 0): void {
  print(`  $ ${run.shown}`);
  for (const line of [...indent(run.stdout), ...indent(run.stderr)]) print(line);
  print(`  (exit ${run.code})`);
  if (run.code !== expectedCode) throw new DemoStepError(step, `${run.shown} exited ${run.code}, expected ${expectedCode}`);
}

/**
 * The original sockets lab, walked through with netlab's packages: every step says what it
 * does and prints what it got. Starts its own dnsmasq, echo-server and chat-server on free
 * loopback ports and stops them. Resolves to the exit code.
 */
export async function runDemo(print: Print): Promise<number> {
  const daemons: DaemonProcess[] = [];
  const cleanups: (() => void)[] = [];
  let step = "";
  const title = (text: string): void => {
    step = text;
    print("");
    print(text);
  };
  try {
    print("netlab demo: the original sockets lab, step by step");

    title("1. Host name and primary address, and 2. the interface table (net-info)");
    showRun(print, step, await runCli("@netlab/net-info", "net-info", []));

    title("3. Host lookups against a DNS server started on loopback (dnsmasq, net-info resolve)");
    const dns = await startLabDns();
    if (!dns) {
      print("  SKIPPED: dnsmasq not found; install it with \"apt-get install -y dnsmasq-base\" to see this step");
    } else {
      try {
        print(`  dnsmasq answers for ${LAB_HOST} on ${dns.server}`);
        showRun(print, step, await runCli("@netlab/net-info", "net-info", ["resolve", LAB_HOST, "--server", dns.server, "--timeout", "2000"]));
        print("  A name the server does not know fails as the lab's gethostbyname() did (socket.gaierror):");
        showRun(print, step, await runCli("@netlab/net-info", "net-info", ["resolve", LAB_MISSING_HOST, "--server", dns.server, "--timeout", "2000"]), 1);
      } finally {
        await dns.stop();
      }
    }

    title("4. IPv4 addresses to packed bytes, hex and back (ip-codec)");
    showRun(print, step, await runCli("@netlab/ip-codec", "ip-codec", ["127.0.0.1", "192.168.0.1"]));

    title("5. Service names of ports (service-db)");
    showRun(print, step, await runCli("@netlab/service-db", "service-db", ["80", "25", "53/udp", "21", "22", "110"]));

    print("");
    print("Starting echo-server and chat-server (with its console) on free loopback ports...");
    const echo = await startDaemon("@netlab/echo-server", ["--port", "0", "--no-udp"], ["tcp"]);
    daemons.push(echo);
    // Its own working folder: whatever the daemon keeps on disk (history) goes away with it.
    const chatDir = mkdtempSync(join(tmpdir(), "netlab-demo-chat-"));
    cleanups.push(() => rmSync(chatDir, { recursive: true, force: true }));
    const chat = await startDaemon("@netlab/chat-server", ["--port", "0", "--console", "--server-name", "irc.netlab.test"], ["irc"], chatDir);
    daemons.push(chat);
    const echoPort = echo.ports.get("tcp") ?? 0;
    const chatPort = chat.ports.get("irc") ?? 0;
    print(`  echo-server on 127.0.0.1:${echoPort}, chat-server on 127.0.0.1:${chatPort}`);

    title("6. Socket timeout: the default, then a changed one (a TCP socket to echo-server)");
    const timeouts = await socketTimeouts(echoPort, 100_000);
    print(`  default: ${timeouts.before === undefined ? "none (socket.timeout is undefined: reads wait forever)" : `${timeouts.before} ms`}`);
    print(`  after socket.setTimeout(100000): ${timeouts.after} ms`);
    if (timeouts.after !== 100_000) throw new DemoStepError(step, `socket.timeout is ${timeouts.after}`);

    title("7. Echo exchange (echo-client against echo-server)");
    showRun(print, step, await runCli("@netlab/echo-client", "echo-client", ["--host", "127.0.0.1", "--port", String(echoPort)]));

    title("8. Chat: two clients and the server console in #lobby (chat-client API, chat-server --console)");
    const consoleShown = chat.stderrLines.length;
    await chatExchange(chatPort, { type: (line) => chat.child.stdin.write(`${line}\n`) }, (line) => print(`  ${line}`));
    // The console prints asynchronously: give it a moment to show bob leaving.
    for (let waited = 0; waited < 2_000 && !chat.stderrLines.some((line) => line.includes("bob quit")); waited += 50) await delay(50);
    print("  The server console showed:");
    for (const line of chat.stderrLines.slice(consoleShown)) print(`    ${line}`);

    print("");
    print("Stopping the daemons (SIGINT, as Ctrl-C would)...");
    for (const daemon of daemons.splice(0)) {
      const code = await daemon.stop();
      if (code !== 0) throw new DemoStepError("stop", `a daemon exited ${code}`);
    }
    print("Demo complete: every step ran.");
    return 0;
  } catch (error) {
    process.stderr.write(`netlab demo: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    for (const daemon of daemons) await daemon.stop();
    for (const cleanup of cleanups) cleanup();
  }
}
