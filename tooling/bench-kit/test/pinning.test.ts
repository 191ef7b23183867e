import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { findTaskset, pinnedCommand } from "../src/pinning.js";

describe("pinnedCommand", () => {
  it("prefixes taskset -c core when given one", () => {
    expect(pinnedCommand(1, "node", ["a.js", "--x"], { taskset: "/usr/bin/taskset" })).toEqual({
      command: "/usr/bin/taskset",
      args: ["-c", "1", "node", "a.js", "--x"],
      pinned: true,
    });
  });

  it("leaves the command unchanged, flagged, without taskset", () => {
    const args = ["a.js"];
    const result = pinnedCommand(0, "node", args, { taskset: null });
    expect(result).toEqual({ command: "node", args: ["a.js"], pinned: false });
    expect(result.args).not.toBe(args);
  });

  it("refuses what is not a core", () => {
    expect(() => pinnedCommand(-1, "node", [])).toThrow(RangeError);
    expect(() => pinnedCommand(0.5, "node", [])).toThrow(RangeError);
  });

  it.skipIf(findTaskset() === undefined)("runs the command on that core with the taskset on PATH", () => {
    const { command, args, pinned } = pinnedCommand(0, process.execPath, ["-e", "process.stdout.write(require('node:fs').readFileSync('/proc/self/status', 'utf8'))"]);
    expect(pinned).toBe(true);
    const status = execFileSync(command, args, { encoding: "utf8" });
    expect(/^Cpus_allowed_list:\s+(\S+)$/m.exec(status)?.[1]).toBe("0");
  });
});
