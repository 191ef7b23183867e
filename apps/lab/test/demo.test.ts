import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { findProgram } from "@netlab/test-kit";
import { expect, test } from "vitest";

const bin = fileURLToPath(new URL("../bin/netlab.js", import.meta.url));
const dnsmasq = findProgram("dnsmasq", "dnsmasq-base");

test("netlab demo walks through every step of the lab and exits 0", async () => {
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, "demo"], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
  expect(stderr).toBe("");
  expect(code).toBe(0);
  // Host name, primary address and the interface table.
  expect(stdout).toMatch(/Host name: \S+/);
  expect(stdout).toMatch(/IP address: \d+\.\d+\.\d+\.\d+/);
  expect(stdout).toMatch(/lo +IPv4 +127\.0\.0\.1\/8/);
  // A lookup that succeeds and one that fails, against the demo's own dnsmasq.
  if (dnsmasq.skip) {
    expect(stdout).toContain("SKIPPED: dnsmasq not found");
  } else {
    expect(stdout).toMatch(/alpha\.netlab\.test +10\.9\.8\.7 +fd00::7/);
    expect(stdout).toMatch(/missing\.netlab\.test +error NOT_FOUND: no such host/);
  }
  // IPv4 conversions.
  expect(stdout).toContain("IP Address: 127.0.0.1 => Packed: 7f000001, Unpacked: 127.0.0.1");
  expect(stdout).toContain("IP Address: 192.168.0.1 => Packed: c0a80001, Unpacked: 192.168.0.1");
  // The port table.
  for (const row of [/80 +tcp +http/, /25 +tcp +smtp/, /53 +udp +domain/, /21 +tcp +ftp/, /22 +tcp +ssh/, /110 +tcp +pop3/]) expect(stdout).toMatch(row);
  // Socket timeouts.
  expect(stdout).toContain("default: none");
  expect(stdout).toContain("after socket.setTimeout(100000): 100000 ms");
  // The echo exchange.
  expect(stdout).toContain('Received 33 bytes');
  expect(stdout).toContain("Echo matches what was sent");
  // The chat: both clients, the console, and what the console saw.
  expect(stdout).toContain('alice -> #lobby: "Hello from alice" (received by bob)');
  expect(stdout).toContain('bob -> #lobby: "Hi alice, bob here" (received by alice)');
  expect(stdout).toContain('server console -> #lobby: "Welcome to the lab, alice and bob" (received by alice, bob)');
  expect(stdout).toContain("[#lobby] <alice> Hello from alice");
  expect(stdout).toContain("Demo complete: every step ran.");
});

test("netlab demo | head -1: the reader goes away, the demo still stops what it started and exits 0 quietly", async () => {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, [bin, "demo"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  await new Promise((resolve) => child.stdout.once("data", resolve));
  child.stdout.destroy();
  expect(await exited).toBe(0);
  expect(stderr).toBe("");
}, 60_000);
