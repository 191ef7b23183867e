import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@netlab/test-kit";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LoadGenerator } from "../bench/loadgen/coordinator.js";
import { LoadLimitError } from "../bench/loadgen/errors.js";
import { startDaemon } from "./daemon-process.js";

/** Transpiles bench/loadgen/*.ts (types stripped, no checking) to a temp dir, so the coordinator can fork its worker as plain JS. */
function buildLoadgen(): { worker: string; remove: () => void } {
  const source = fileURLToPath(new URL("../bench/loadgen/", import.meta.url));
  const dir = mkdtempSync(path.join(os.tmpdir(), "loadgen-test-"));
  // Node reads .js as ES modules only under a package.json that says so.
  writeFileSync(path.join(dir, "package.json"), '{ "type": "module" }\n');
  for (const file of readdirSync(source).filter((name) => name.endsWith(".ts"))) {
    const output = ts.transpileModule(readFileSync(path.join(source, file), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    writeFileSync(path.join(dir, file.replace(/\.ts$/, ".js")), output.outputText);
  }
  return { worker: path.join(dir, "worker.js"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

let build: ReturnType<typeof buildLoadgen>;
beforeAll(() => {
  build = buildLoadgen();
});
afterAll(() => build.remove());

/** Flags that let many clients in from one address and leave them be. */
const serverFlags = (maxConnections = 0) => ["--history", "none", "--accounts", "none", "--flood-rate", "0", "--max-per-address", "0", "--max-connections", String(maxConnections), "--idle-timeout", "0"];

describe("load generator against a real chat-server", () => {
  test("300 clients over 2 workers and 2 source addresses register, join, and receive every message", async () => {
    const { handle, port } = await startDaemon(serverFlags());
    const load = new LoadGenerator({
      targets: [{ host: "127.0.0.1", port }], clients: 300, workers: 2, sourceAddresses: ["127.0.0.2", "127.0.0.3"],
      rate: 3_000, workerScript: build.worker, log: () => {}, stallMs: 5_000, lifetimeMs: 60_000,
    });
    try {
      const registered = await load.register();
      expect(registered.registered).toBe(300);
      const joined = await load.join({ channels: 2, size: 100 });
      expect(joined.members).toBe(200);
      const sent = await load.send({ senders: 4, ratePerSecond: 20, durationMs: 1_000, drainMs: 2_000 });
      // 4 senders x 20 messages, each to the 99 other members of its channel.
      expect(sent.expected).toBe(4 * 20 * 99);
      expect(sent.sent).toBe(80);
      expect(sent.delivered).toBe(sent.expected);
      expect(sent.latencyMs.count).toBe(sent.expected);
      expect(sent.latencyMs.p99).toBeGreaterThan(0);
      expect(sent.latencyMs.p99).toBeLessThan(1_000);
      expect(load.totals().failed).toBe(0);
    } finally {
      await load.close();
      await handle.stop();
    }
  }, 15_000);

  test("reports a clear error with counts when nothing is listening", async () => {
    const port = await freePort();
    const load = new LoadGenerator({
      targets: [{ host: "127.0.0.1", port }], clients: 20, workers: 2, sourceAddresses: ["127.0.0.2", "127.0.0.3"],
      workerScript: build.worker, log: () => {}, lifetimeMs: 30_000,
    });
    try {
      const error = await load.register().then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(LoadLimitError);
      expect((error as LoadLimitError).message).toMatch(/^register stopped at 0 of 20: \d+ connections failed; \d+ ECONNREFUSED \(nothing listening\)$/);
      expect((error as LoadLimitError).failures.ECONNREFUSED).toBeGreaterThan(0);
    } finally {
      await load.close();
    }
  }, 15_000);

  test("names the server's refusal, with its ERROR line, when the server hits its connection limit", async () => {
    const { handle, port } = await startDaemon(serverFlags(50));
    const load = new LoadGenerator({
      targets: [{ host: "127.0.0.1", port }], clients: 80, workers: 2, sourceAddresses: ["127.0.0.2", "127.0.0.3"],
      maxPending: 10, workerScript: build.worker, log: () => {}, lifetimeMs: 30_000,
    });
    try {
      const error = await load.register().then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(LoadLimitError);
      expect((error as LoadLimitError).reached).toBeLessThanOrEqual(50);
      expect((error as LoadLimitError).message).toMatch(/^register stopped at \d+ of 80: \d+ connections failed; \d+ refused \(ERROR :Closing Link: 127\.0\.0\.[23] \(Too many connections\)\)/);
    } finally {
      await load.close();
      await handle.stop();
    }
  }, 15_000);
});
