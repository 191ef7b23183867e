import { Writable } from "node:stream";
import { expect, test } from "vitest";
import { createLogger } from "../src/index.js";

function collect(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, lines: () => chunks.join("").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test("logs one JSON line per event with name and level, and drops events below the level", () => {
  const out = collect();
  const log = createLogger({ name: "echo-server", level: "info", destination: out.stream });
  log.debug("hidden");
  log.info({ protocol: "tcp", port: 9900 }, "listening");
  const lines = out.lines();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ name: "echo-server", level: 30, msg: "listening", protocol: "tcp", port: 9900 });
});

test("an Error under err is written with its stack; an error already described (a plain object) as it is", () => {
  const out = collect();
  const log = createLogger({ name: "echo-server", destination: out.stream });
  log.error({ err: new Error("boom") }, "failed");
  log.fatal({ err: { type: "Error", message: "listen EADDRINUSE", code: "EADDRINUSE" } }, "cannot listen");
  const [first, second] = out.lines();
  expect(first?.err).toMatchObject({ type: "Error", message: "boom", stack: expect.stringMatching(/^Error: boom\n\s+at /) as unknown });
  expect(second?.err).toEqual({ type: "Error", message: "listen EADDRINUSE", code: "EADDRINUSE" });
});
