import { execFileSync } from "node:child_process";
import os from "node:os";
import { describe, expect, test } from "vitest";
import { findProgram } from "@netlab/test-kit";
import { hostName } from "../src/index.js";

const hostnameProgram = findProgram("hostname", "hostname");

describe.skipIf(hostnameProgram.skip)("hostName()", () => {
  test("equals what the hostname command prints and os.hostname()", () => {
    const printed = execFileSync("hostname", { encoding: "utf8" }).trim();
    expect(hostName()).toBe(printed);
    expect(hostName()).toBe(os.hostname());
    expect(hostName()).not.toBe("");
  });
});
