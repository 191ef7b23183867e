// Instructions per ping-pong message, echo-server vs the bare Node server, counted by valgrind's
// callgrind: a figure that background load does not move (it counts user-space instructions
// of the server process, all threads, not time), for when the machine is too busy for rates.
// Each server runs under callgrind; after a warm-up the counters are zeroed, a fixed number of
// 64-byte ping-pongs on 50 connections is run, and the counters are dumped.
// Knobs: INSTR_MESSAGES (per connection, default 400), INSTR_ROUNDS (default 2). Needs valgrind.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findProgram, freePort, startProcess } from "@netlab/test-kit";
import { median } from "./processes.js";

const here = dirname(fileURLToPath(import.meta.url));
const PER_CONNECTION = Number(process.env.INSTR_MESSAGES ?? 400);
const ROUNDS = Number(process.env.INSTR_ROUNDS ?? 2);
const CONNECTIONS = 50;
const valgrind = findProgram("valgrind", "valgrind");
if (valgrind.skip) {
  console.log(`SKIPPED: ${valgrind.reason}`);
  process.exit(0);
}
const servers = {
  "echo-server": (port) => [join(here, "..", "bin", "echo-server.js"), "--port", String(port), "--no-udp", "--log-level", "warn"],
  bare: (port) => [join(here, "bare-echo-server.js"), String(port)],
};

/** Exactly perConnection round trips of 64 bytes on each of connections. */
async function pingPong(port, connections, perConnection) {
  const payload = Buffer.alloc(64, 0x61);
  await Promise.all(
    Array.from({ length: connections }, () => {
      return new Promise((resolve, reject) => {
        const socket = net.connect({ host: "127.0.0.1", port, noDelay: true }, () => socket.write(payload));
        let pending = 0;
        let left = perConnection;
        socket.on("data", (chunk) => {
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

async function count(name, makeArgs) {
  const dir = mkdtempSync(join(tmpdir(), "echo-instructions-"));
  const port = await freePort();
  const args = ["--tool=callgrind", "--smc-check=all-non-file", `--callgrind-out-file=${join(dir, "cg.%p")}`, process.execPath, ...makeArgs(port)];
  const handle = await startProcess("valgrind", args, { ready: port, timeoutMs: 120_000, graceMs: 10_000 });
  try {
    await pingPong(port, CONNECTIONS, 100);
    execFileSync("callgrind_control", ["--zero", String(handle.pid)], { stdio: "ignore" });
    await pingPong(port, CONNECTIONS, PER_CONNECTION);
    execFileSync("callgrind_control", ["--dump", String(handle.pid)], { stdio: "ignore" });
    const dump = readdirSync(dir).find((file) => file.endsWith(".1"));
    const summary = /^summary: (\d+)/m.exec(readFileSync(join(dir, dump ?? "none"), "utf8"));
    const perMessage = Number(summary?.[1]) / (CONNECTIONS * PER_CONNECTION);
    process.stderr.write(`${name}: ${Math.round(perMessage)} instructions per message\n`);
    return perMessage;
  } finally {
    await handle.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const counts = { "echo-server": [], bare: [] };
for (let round = 1; round <= ROUNDS; round++) {
  const order = round % 2 === 1 ? Object.keys(servers) : Object.keys(servers).reverse();
  for (const name of order) counts[name].push(await count(name, servers[name]));
}
const ours = median(counts["echo-server"]);
const theirs = median(counts.bare);
console.log(`\n| Measure | This | Other | Ratio |\n| --- | ---: | ---: | ---: |`);
console.log(`| user-space instructions per 64 B ping-pong message (callgrind): echo-server vs bare | ${Math.round(ours).toLocaleString("en-US")} | ${Math.round(theirs).toLocaleString("en-US")} | ${(ours / theirs).toFixed(2)}x |`);
console.log(`\nMedians of ${ROUNDS} runs of ${CONNECTIONS} x ${PER_CONNECTION} messages each; all threads of the server process, kernel time not included.`);
