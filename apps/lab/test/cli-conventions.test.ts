import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, test } from "vitest";
import { binPath } from "../src/daemon-bin.js";

// Every command-line tool of the product, as DESIGN.md asks them to behave.
const tools = [
  ["@netlab/ip-codec", "ip-codec"],
  ["@netlab/service-db", "service-db"],
  ["@netlab/net-info", "net-info"],
  ["@netlab/echo-server", "echo-server"],
  ["@netlab/echo-client", "echo-client"],
  ["@netlab/chat-server", "chat-server"],
  ["@netlab/chat-client", "chat-client"],
  ["@netlab/lab", "netlab"],
] as const;

function run(bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe.each(tools)("%s (%s)", (packageName, name) => {
  const bin = packageName === "@netlab/lab" ? join(import.meta.dirname, "..", "bin", "netlab.js") : binPath(packageName);

  test("--help shows usage and examples", async () => {
    const help = await run(bin, ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(name);
    expect(help.stdout).toMatch(/Examples?:/);
  });

  test("--version prints the package version", async () => {
    const { version } = JSON.parse(readFileSync(join(dirname(dirname(bin)), "package.json"), "utf8")) as { version: string };
    expect(await run(bin, ["--version"])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  test("an unknown flag is a usage error: exit 2 and one line on stderr", async () => {
    const result = await run(bin, ["--no-such-flag-anywhere"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^${name}: [^\\n]+\\n$`));
  });

  test("its README has the manual-page sections", () => {
    const readme = readFileSync(join(dirname(dirname(bin)), "README.md"), "utf8");
    expect(readme, "synopsis").toMatch(new RegExp(`^${name} [\\[<a-z-]`, "m"));
    expect(readme, "environment").toMatch(/environment/i);
    expect(readme, "exit codes").toMatch(/exit (codes?|status)/i);
    expect(readme, "examples").toMatch(new RegExp(`^(\\$ )?${name}( |$)`, "m"));
  });
});
