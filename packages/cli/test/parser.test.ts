import { describe, expect, test } from "vitest";
import { cliParser, once, parsePort } from "../src/index.js";

/** Parses args with a small command (one positional, a port, a repeatable flag); the usage errors and exit code it gave. */
async function parse(args: string[]) {
  const errors: string[] = [];
  let code: number | undefined;
  const argv = await cliParser(args, { name: "tool", version: "1.2.3", usage: "$0 <name>", stderr: (line) => errors.push(line), exit: (c) => (code = c) })
    .command("$0 <name>", "do it")
    .options({
      port: { type: "string", coerce: once("port", parsePort), describe: "a port" },
      verbose: { type: "boolean", describe: "more" },
      tag: { type: "string", array: true, describe: "repeatable" },
    })
    .parseAsync();
  return { argv, errors, code };
}

describe("cliParser", () => {
  test("a flag that takes one value, given twice, is a usage error naming it; a repeatable one is fine", async () => {
    expect(await parse(["x", "--port", "0", "--port", "0"])).toMatchObject({ code: 2, errors: ["tool: --port given 2 times: give it once (see --help)"] });
    // A switch said twice says the same thing: no error.
    expect(await parse(["x", "--verbose", "--verbose"])).toMatchObject({ code: undefined, errors: [] });
    expect(await parse(["x", "--tag", "a", "--tag", "b"])).toMatchObject({ code: undefined, errors: [] });
  });

  test("unknown flags are refused before and after the positional, with the same message", async () => {
    const before = await parse(["--bogus", "x"]);
    const after = await parse(["x", "--bogus"]);
    expect(before.code).toBe(2);
    expect(before.errors).toEqual(after.errors);
    expect(before.errors[0]).toMatch(/^tool: Unknown argument: --bogus \(see --help\)$/);
  });

  test("a bad value is one line naming the flag", async () => {
    expect(await parse(["x", "--port", "70000"])).toMatchObject({ code: 2, errors: ['tool: --port: invalid port "70000": use a number from 0 to 65535 (see --help)'] });
  });
});
