import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { cpuSeconds, peakRssBytes, ProcessGoneError, rssBytes, sampleProcess } from "../src/process-sample.js";

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

/** A node child that runs script and prints "ready" once it has. */
async function child(script: string): Promise<ChildProcess & { pid: number }> {
  const proc = spawn(process.execPath, ["-e", `${script}; console.log("ready"); setInterval(() => {}, 1000);`], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(proc);
  await once(proc.stdout, "data");
  if (proc.pid === undefined) throw new Error("no pid");
  return proc as ChildProcess & { pid: number };
}

describe("this process", () => {
  it("reads RSS and peak RSS that match process.memoryUsage", () => {
    const rss = rssBytes(process.pid);
    const peak = peakRssBytes(process.pid);
    expect(rss % 1024).toBe(0);
    expect(peak).toBeGreaterThanOrEqual(rss);
    // Same kernel figure, read a moment apart.
    expect(Math.abs(rss - process.memoryUsage().rss)).toBeLessThan(32 * 2 ** 20);
  });

  it("reads CPU seconds that match process.cpuUsage, in ticks of 10 ms", () => {
    const start = Date.now();
    while (Date.now() - start < 150) Math.sqrt(Math.random());
    const usage = process.cpuUsage();
    const seconds = cpuSeconds(process.pid);
    expect(Math.round(seconds * 100)).toBeCloseTo(seconds * 100, 6);
    expect(Math.abs(seconds - (usage.user + usage.system) / 1e6)).toBeLessThan(0.1);
    expect(sampleProcess(process.pid)).toEqual({ cpuSeconds: expect.any(Number), rssBytes: expect.any(Number), peakRssBytes: expect.any(Number) });
  });
});

describe("a spawned child", () => {
  it("sees the child's memory grow and its peak stay after a release", async () => {
    const proc = await child("globalThis.big = Buffer.alloc(64 * 2 ** 20, 1); globalThis.big = undefined");
    // RSS first: the peak only grows, so read after it, it can never be below it.
    const rss = rssBytes(proc.pid);
    const peak = peakRssBytes(proc.pid);
    expect(peak).toBeGreaterThan(64 * 2 ** 20);
    expect(peak).toBeGreaterThanOrEqual(rss);
  });

  it("counts the child's CPU time, not ours", async () => {
    // Busy until the child itself has used 0.3 s of CPU, however loaded the machine is.
    const proc = await child("while (process.cpuUsage().user < 300000) Math.sqrt(Math.random())");
    expect(cpuSeconds(proc.pid)).toBeGreaterThanOrEqual(0.2);
  });

  it("throws ProcessGoneError once the child has exited", async () => {
    const proc = await child("");
    const pid = proc.pid;
    proc.kill("SIGKILL");
    await once(proc, "exit");
    for (const read of [cpuSeconds, rssBytes, peakRssBytes]) {
      const error = (() => {
        try {
          read(pid);
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ProcessGoneError);
      expect((error as ProcessGoneError).pid).toBe(pid);
    }
  });

  it("refuses what is not a pid", () => {
    expect(() => rssBytes(0)).toThrow(RangeError);
    expect(() => cpuSeconds(1.5)).toThrow(RangeError);
  });
});
