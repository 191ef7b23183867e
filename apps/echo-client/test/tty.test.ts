import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { findProgram } from "@netlab/test-kit";
import { startTestServer } from "./test-servers.js";

const run = promisify(execFile);
const script = findProgram("script", "bsdutils");
const BIN = fileURLToPath(new URL("../bin/echo-client.js", import.meta.url));
const ESC = "\u001b";

describe.skipIf(script.skip)("on a terminal (a pty from script(1))", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let dir: string;
  beforeAll(async () => {
    server = await startTestServer("echo");
    dir = mkdtempSync(join(tmpdir(), "echo-client-tty-"));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a shell command line with a terminal as stdin/stdout/stderr; returns what the terminal showed. */
  async function onTerminal(commandLine: string): Promise<string> {
    const { stdout } = await run("script", ["-qec", commandLine, "/dev/null"], { timeout: 20_000 }).catch((error: unknown) => {
      // A command that fails (exit 1): what it showed is still what matters.
      const { stdout: shown, code } = error as { stdout?: string; code?: number };
      if (typeof shown !== "string" || typeof code !== "number") throw error;
      return { stdout: shown };
    });
    return stdout;
  }

  test("pipe mode shows a progress bar on stderr, and the data still goes through byte for byte", async () => {
    const input = Buffer.alloc(2_000_000, 0x5a);
    writeFileSync(join(dir, "in.bin"), input);
    const screen = await onTerminal(`${process.execPath} ${BIN} - --host 127.0.0.1 --port ${server.port} < ${join(dir, "in.bin")} > ${join(dir, "out.bin")}`);
    expect(screen).toContain("100% | 2000000/2000000 bytes echoed");
    expect(readFileSync(join(dir, "out.bin")).equals(input)).toBe(true);
  });

  test("bench shows a live progress line, and its last frame is the whole run (full) before the summary", async () => {
    const screen = await onTerminal(`${process.execPath} ${BIN} bench --host 127.0.0.1 --port ${server.port} --connections 2 --duration 1500ms`);
    expect(screen).toMatch(/bench .* [01]\/2 s \| [\d,]+ msg\/s \| [\d.]+ MB\/s \| p99 [\d.-]+ ms \| errors 0/);
    expect(screen).toContain("pingpong: 2/2 connections");
    // Frames are redrawn in place: the last one drawn before the summary.
    const frames = screen
      .slice(0, screen.indexOf("pingpong: "))
      .replaceAll(`${ESC}[1G`, "\r")
      .split("\r")
      .filter((frame) => frame.includes("bench "));
    expect(frames.at(-1)).toMatch(/ 2\/2 s \| [\d,]+ msg\/s/);
    expect(frames.at(-1)).not.toContain("\u2591");
  });

  test("bench that reaches no server: the bar is cleared and one line says why", async () => {
    const closed = await startTestServer("echo");
    await closed.close();
    const screen = await onTerminal(`${process.execPath} ${BIN} bench --host 127.0.0.1 --port ${closed.port} --connections 2 --duration 1s`);
    // Up one line, erase it (the bar), then the error in its place.
    expect(screen).toContain(`${ESC}[1A${ESC}[2Kecho-client: no connection could be opened (0 of 2): connection refused by 127.0.0.1:${closed.port}`);
  });
});
