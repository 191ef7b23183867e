import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { describe, expect, test } from "vitest";
import { binPath } from "../src/daemon-bin.js";

/**
 * The same bad inputs against every netlab command: each must refuse them at once with exit
 * code 2 and exactly one line on stderr naming the command, never a stack trace, never by
 * starting to work (a daemon that listened would be killed by the timeout and fail the test).
 */

function run(bin: string, args: readonly string[]): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 10_000, env: { ...process.env, NETLAB_DEBUG: "" } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : String(error.signal ?? error.code)) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const chatServer = binPath("@netlab/chat-server");
const bins = {
  "ip-codec": binPath("@netlab/ip-codec"),
  "service-db": binPath("@netlab/service-db"),
  "net-info": binPath("@netlab/net-info"),
  "echo-server": binPath("@netlab/echo-server"),
  "echo-client": binPath("@netlab/echo-client"),
  "chat-server": chatServer,
  "chat-server-account": join(dirname(chatServer), "chat-server-account.js"),
  "chat-client": binPath("@netlab/chat-client"),
  netlab: join(import.meta.dirname, "..", "bin", "netlab.js"),
} as const;

type Name = keyof typeof bins;

/** Per command: a valid positional part (may be empty), its port flags, its host flags, and a flag that takes one value. */
const shapes: Record<Name, { positional: string[]; ports: string[]; hosts: string[]; valued: [flag: string, value: string] }> = {
  "ip-codec": { positional: ["127.0.0.1"], ports: [], hosts: [], valued: ["--json", ""] },
  "service-db": { positional: ["80"], ports: [], hosts: [], valued: ["--services-file", "/etc/services"] },
  "net-info": { positional: ["resolve", "localhost"], ports: [], hosts: [], valued: ["--timeout", "1000"] },
  "echo-server": { positional: [], ports: ["--port", "--udp-port", "--tls-port"], hosts: ["--host"], valued: ["--port", "0"] },
  "echo-client": { positional: ["hi"], ports: ["--port"], hosts: ["--host"], valued: ["--port", "9900"] },
  "chat-server": { positional: [], ports: ["--port", "--tls-port", "--websocket-port"], hosts: ["--host"], valued: ["--data-dir", "/tmp/netlab-bad-input"] },
  "chat-server-account": { positional: ["add", "alice"], ports: [], hosts: [], valued: ["--data-dir", "/tmp/netlab-bad-input"] },
  "chat-client": { positional: [], ports: ["--port"], hosts: ["--host"], valued: ["--nick", "alice"] },
  netlab: { positional: ["bench"], ports: [], hosts: [], valued: ["--from", "bench/results"] },
};

/** The bad command lines of one command, each with a word its one-line error must contain. */
function badInputs(name: Name): [label: string, args: string[], says: RegExp][] {
  const { positional, ports, hosts, valued } = shapes[name];
  const rows: [string, string[], RegExp][] = [
    ["an unknown flag before the positionals", ["--no-such-flag", ...positional], /--no-such-flag/],
    ["an unknown flag after the positionals", [...positional, "--no-such-flag"], /--no-such-flag/],
  ];
  for (const flag of ports) {
    for (const port of ["70000", "-1", "abc", ""]) rows.push([`${flag} ${JSON.stringify(port)}`, [...positional, flag, port], new RegExp(`${flag}|port`)]);
  }
  for (const flag of hosts) rows.push([`${flag} 999.1.1.1`, [...positional, flag, "999.1.1.1"], /host|999\.1\.1\.1/]);
  const [flag, value] = valued;
  // A switch may be said twice; a flag that takes one value may not.
  if (value !== "") {
    rows.push([`${flag} given twice`, [...positional, flag, value, flag, value], new RegExp(`${flag} given 2 times`)]);
    rows.push([`${flag} with an empty value`, [...positional, flag, ""], new RegExp(flag)]);
  }
  return rows;
}

describe.each(Object.keys(bins) as Name[])("%s refuses bad input with one line and exit 2", (name) => {
  test.each(badInputs(name))("%s", async (_label, args, says) => {
    const { code, stdout, stderr } = await run(bins[name], args);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatch(new RegExp(`^${name}: [^\\n]+\\n$`));
    expect(stderr).toMatch(says);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
