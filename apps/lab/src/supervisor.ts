import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import { logRecord, readableLogLine } from "./log-line.js";
import { writeOut } from "./stdout.js";

export interface ServiceSpec {
  /** Shown before each of its lines. */
  name: string;
  command: string;
  args: string[];
}

export interface SupervisorOptions {
  /** Where prefixed lines go; stdout by default. */
  write?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Called with each JSON log record of a service, before its line is printed. */
  onRecord?: (service: string, record: Record<string, unknown>) => void;
}

export interface Supervisor {
  /** Passes a signal to every service still running (the first asks them to drain, a second to exit at once). */
  signal(signal: NodeJS.Signals): void;
  /** 0 when every service stopped cleanly after a signal, 1 when one failed or stopped by itself. */
  done: Promise<number>;
}

interface Running {
  spec: ServiceSpec;
  child: ChildProcess;
  exit: Promise<number | null>;
}

/**
 * Runs several daemons side by side with prefixed, readable output. Each gets its own process
 * group, so a terminal's Ctrl-C reaches it once, through signal(), not twice.
 */
export function supervise(specs: ServiceSpec[], options: SupervisorOptions = {}): Supervisor {
  const write = options.write ?? ((line: string) => writeOut(`${line}\n`));
  const width = Math.max(...specs.map((spec) => spec.name.length));
  let stopping = false;
  let failed = false;

  const running: Running[] = specs.map((spec) => {
    const prefix = `${spec.name.padEnd(width)} | `;
    const child = spawn(spec.command, spec.args, { stdio: ["ignore", "pipe", "pipe"], detached: true, env: options.env ?? process.env });
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      readline.createInterface({ input: stream }).on("line", (line) => {
        const record = logRecord(line);
        if (record) options.onRecord?.(spec.name, record);
        write(prefix + readableLogLine(line));
      });
    }
    const exit = new Promise<number | null>((resolve) => {
      child.once("error", (error) => {
        write(`${prefix}cannot start: ${error.message}`);
        resolve(1);
      });
      child.once("exit", (code, signal) => {
        if (code !== 0 || !stopping) write(`${prefix}exited with ${code ?? signal}`);
        resolve(code);
      });
    });
    return { spec, child, exit };
  });

  const signal = (sig: NodeJS.Signals): void => {
    stopping = true;
    for (const { child } of running) if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  };

  // One service ending on its own (a port in use, a crash) takes the others down with it.
  for (const service of running) {
    void service.exit.then((code) => {
      if (code !== 0 || !stopping) failed = true;
      if (!stopping) signal("SIGTERM");
    });
  }

  const done = Promise.all(running.map((service) => service.exit)).then(() => (failed ? 1 : 0));
  return { signal, done };
}
