// Instructions per ping-pong message, echo-server vs the bare Node server, counted by valgrind's
// callgrind: a figure that background load does not move (it counts user-space instructions
// of the server process, all threads, not time), for when the machine is too busy for rates.
// Each server runs under callgrind; after a warm-up the counters are zeroed, a fixed number of
// 64-byte ping-pongs on 50 connections is run, and the counters are dumped. Saves
// bench/results/latest/instructions.json.
// Knobs: INSTR_MESSAGES (per connection, default 400), INSTR_ROUNDS (default 2). Needs valgrind.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { int, median, metricLine, newResult, ratio, runAlternating, saveResult, type Metric } from "@netlab/bench-kit";
import { findProgram, freePort, startProcess } from "@netlab/test-kit";
import { bare, echoServer } from "./peers.js";
import type { ServerCommand } from "./processes.js";

const PER_CONNECTION = Number(process.env.INSTR_MESSAGES ?? 400);
const ROUNDS = Number(process.env.INSTR_ROUNDS ?? 2);
const CONNECTIONS = 50;
const packageDir = new URL("../", import.meta.url).pathname;
const valgrind = findProgram("valgrind", "valgrind");
if (valgrind.skip) {
  console.log(`SKIPPED: ${valgrind.reason}`);
  process.exit(0);
}

/** Exactly perConnection round trips of 64 bytes on each of connections. */
async function pingPong(port: number, connections: number, perConnection: number): Promise<void> {
  const payload = Buffer.alloc(64, 0x61);
  await Promise.all(
    Array.from({ length: connections }, () => {
      return new Promise((resolve, reject) => {
        const socket = net.connect({ host: "127.0.0.1", port, noDelay: true }, () => socket.write(payload));
        let pending = 0;
        let left = perConnection;
        socket.on("data", (chunk: Buffer) => {
          pending += chunk.length;
          for (; pending >= payload.length; pending -= payload.length) {
            if (--left === 0) socket.end();
            else socket.write(payload);
          }
        });
        socket.on("error", reject);
        socket.on("close", resolve);
      });
    }),
  );
}

/** User-space instructions per message of the server that makeCommand starts (a node script), under callgrind. */
async function count(name: string, makeCommand: ServerCommand): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "echo-instructions-"));
  const port = await freePort();
  const [command, commandArgs] = makeCommand(port);
  const args = ["--tool=callgrind", "--smc-check=all-non-file", `--callgrind-out-file=${join(dir, "cg.%p")}`, command, ...commandArgs];
  const handle = await startProcess("valgrind", args, { ready: port, timeoutMs: 120_000, graceMs: 10_000 });
  try {
    await pingPong(port, CONNECTIONS, 100);
    execFileSync("callgrind_control", ["--zero", String(handle.pid)], { stdio: "ignore" });
    await pingPong(port, CONNECTIONS, PER_CONNECTION);
    execFileSync("callgrind_control", ["--dump", String(handle.pid)], { stdio: "ignore" });
    const dump = readdirSync(dir).find((file) => file.endsWith(".1"));
    const summary = /^summary: (\d+)/m.exec(readFileSync(join(dir, dump ?? "none"), "utf8"));
    const perMessage = Number(summary?.[1]) / (CONNECTIONS * PER_CONNECTION);
    process.stderr.write(`${name}: ${int(perMessage)} instructions per message\n`);
    return perMessage;
  } finally {
    await handle.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const counts = await runAlternating(
  [
    { name: "echo-server", run: () => count("echo-server", echoServer) },
    { name: "bare", run: () => count("bare", bare) },
  ],
  ROUNDS,
);
const ours = counts.get("echo-server") ?? [];
const theirs = counts.get("bare") ?? [];
const r = ratio(ours, theirs, { better: "lower" });
const metric: Metric = {
  name: "user-space instructions per 64 B ping-pong message (callgrind): echo-server",
  unit: "instructions",
  value: median(ours),
  alternative: { name: "bare", value: median(theirs) },
  ratio: r,
  note: `medians of ${ROUNDS} runs of ${CONNECTIONS} x ${PER_CONNECTION} messages each; all threads of the server process, kernel time not included`,
};
console.log(`\n${metricLine(metric)}`);
saveResult(packageDir, newResult({ package: "@netlab/echo-server", bench: "instructions", command: "pnpm --filter @netlab/echo-server bench:instructions", metrics: [metric] }));
