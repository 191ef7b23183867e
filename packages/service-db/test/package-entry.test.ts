import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import * as source from "../src/index.js";

test("the package entry (the bundle, built by the test script) exports what src/index.ts does, and answers", async () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { exports: { ".": { default: string } } };
  const entry = (await import(new URL(`../${pkg.exports["."].default}`, import.meta.url).href)) as typeof source;
  expect(Object.keys(entry).sort()).toEqual(Object.keys(source).sort());
  expect(entry.createServiceDb({ source: "embedded" }).getServByPort(6667, "tcp")).toBe("ircu");
  expect(() => entry.getServByName("no-such-service-here")).toThrow(entry.ServiceNotFoundError);
});
