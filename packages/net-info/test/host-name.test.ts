import { execFileSync } from "node:child_process";
import { expect, test } from "vitest";
import { hostName } from "../src/index.js";

test("hostName() equals what the hostname command prints", () => {
  expect(hostName()).toBe(execFileSync("hostname", { encoding: "utf8" }).trim());
});
