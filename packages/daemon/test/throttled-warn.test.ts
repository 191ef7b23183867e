import { Writable } from "node:stream";
import { expect, test } from "vitest";
import { createLogger, throttledWarn } from "../src/index.js";

test("one warning per key per second, counting the ones it held back", () => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  let now = 0;
  const warn = throttledWarn(createLogger({ name: "t", destination }), 1, () => now);
  for (let i = 0; i < 5; i++) warn("max-connections", { remoteAddress: "10.0.0.1" }, "connection refused");
  warn("rate-limit", {}, "datagram dropped");
  now += 1000;
  warn("max-connections", { remoteAddress: "10.0.0.2" }, "connection refused");
  expect(lines.map((l) => [l.msg, l.suppressed, l.remoteAddress, l.level])).toEqual([
    ["connection refused", 0, "10.0.0.1", 40],
    ["datagram dropped", 0, undefined, 40],
    ["connection refused", 4, "10.0.0.2", 40],
  ]);
});
