import { EventEmitter } from "node:events";
import { Writable } from "node:stream";
import { expect, test } from "vitest";
import { createLogger, handleShutdownSignals } from "../src/index.js";

function quietLog() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger({ name: "t", destination }), lines };
}

test("first signal drains with the grace period then exits 0; the handlers can be removed", async () => {
  const emitter = new EventEmitter();
  const { log, lines } = quietLog();
  const codes: number[] = [];
  const graces: number[] = [];
  const remove = handleShutdownSignals({
    log,
    graceMs: 1234,
    emitter,
    exit: (code) => codes.push(code),
    shutdown: async (graceMs) => {
      graces.push(graceMs);
      await new Promise((r) => setTimeout(r, 20));
    },
  });
  emitter.emit("SIGTERM", "SIGTERM");
  await new Promise((r) => setTimeout(r, 60));
  expect(graces).toEqual([1234]);
  expect(codes).toEqual([0]);
  expect(lines.join("")).toContain('"msg":"shutting down"');
  remove();
  expect(emitter.listenerCount("SIGTERM")).toBe(0);
});

test("a second signal exits 1 at once without waiting for the drain", () => {
  const emitter = new EventEmitter();
  const codes: number[] = [];
  handleShutdownSignals({ log: quietLog().log, graceMs: 60_000, emitter, exit: (code) => codes.push(code), shutdown: () => new Promise(() => undefined) });
  emitter.emit("SIGINT", "SIGINT");
  expect(codes).toEqual([]);
  emitter.emit("SIGINT", "SIGINT");
  expect(codes).toEqual([1]);
});

test("a failed shutdown exits 1", async () => {
  const emitter = new EventEmitter();
  const codes: number[] = [];
  handleShutdownSignals({ log: quietLog().log, graceMs: 10, emitter, exit: (code) => codes.push(code), shutdown: () => Promise.reject(new Error("stuck")) });
  emitter.emit("SIGTERM", "SIGTERM");
  await new Promise((r) => setTimeout(r, 10));
  expect(codes).toEqual([1]);
});
