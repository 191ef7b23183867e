import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { EchoPattern } from "../src/echo-pattern.js";

const SPAN = 4096;
const pattern = new EchoPattern(SPAN);

/** The stream from start sent as messages of size bytes: what an echo server must return. */
function sent(start: number, size: number, messages: number): Buffer {
  return Buffer.concat(Array.from({ length: messages }, (_, i) => pattern.slice(start + i * size, size)));
}

/** Checks data as reads of the given sizes would deliver it; -1 or the first position that differs. */
function check(data: Buffer, start: number, reads: number[]): number {
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const read = data.subarray(at, at + (reads[i % reads.length] ?? 1));
    const differs = pattern.firstDifference(read, read.length, start + at);
    if (differs >= 0) return differs;
    at += read.length;
  }
  return -1;
}

describe("EchoPattern", () => {
  test("what was sent checks out however it is cut into reads, across the wrap of the period", () => {
    fc.assert(
      fc.property(fc.nat(200_000), fc.integer({ min: 1, max: SPAN }), fc.array(fc.integer({ min: 1, max: 3 * SPAN }), { minLength: 1, maxLength: 5 }), (start, size, reads) => {
        // Enough messages to pass the 65,521-byte period at least once from any start.
        const data = sent(start, size, Math.ceil(140_000 / size));
        expect(check(data, start, reads)).toBe(-1);
      }),
      { numRuns: 60 },
    );
  });

  test("a changed, lost or repeated byte is found where it happened", () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.integer({ min: 1, max: 70_000 }), fc.constantFrom("changed", "lost", "repeated"), (start, at, fault) => {
        const data = sent(start, 1000, 80);
        const bad =
          fault === "changed"
            ? Buffer.concat([data.subarray(0, at), Buffer.from([(data[at] ?? 0) ^ 0x01]), data.subarray(at + 1)])
            : fault === "lost"
              ? Buffer.concat([data.subarray(0, at), data.subarray(at + 1)])
              : Buffer.concat([data.subarray(0, at + 1), data.subarray(at)]);
        const found = check(bad, start, [1500]) - start;
        // A lost or repeated byte shows where the shifted bytes first differ: at the fault or just after
        // it when neighbours happen to be equal (random bytes: rarely more than a few).
        if (fault === "changed") expect(found).toBe(at);
        else {
          expect(found).toBeGreaterThanOrEqual(at);
          expect(found).toBeLessThan(at + 16);
        }
      }),
      { numRuns: 200 },
    );
  });

  test("two connections' streams differ from their first byte (a crossed echo is caught)", () => {
    const a = EchoPattern.start();
    const b = (a + 1 + 7919) % 65_521;
    // Random bytes: a few may agree by chance, eight in a row next to never.
    const found = pattern.firstDifference(pattern.slice(b, 64), 64, a);
    expect(found).toBeGreaterThanOrEqual(a);
    expect(found).toBeLessThan(a + 8);
  });
});
