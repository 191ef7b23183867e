import { isIPv4 } from "node:net";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { IPParseError, IPValueError, inetNtop, inetPton, inetPtonInto, parseIPv4ToNumber, toHex } from "../src/index.js";

/** The error a call throws (or undefined). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** What an IPParseError says: its message (with the reason) and index. */
function said(fn: () => unknown): unknown {
  const error = thrown(fn);
  return error instanceof IPParseError ? { message: error.message, index: error.index } : error;
}

// Texts the strict IPv4 parser must refuse, each for a different reason or position.
const BAD_IPV4 = ["", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1.2.3.2550", "01.2.3.4", "1.2.3.00", "1..2.3", ".1.2.3", "1.2.3.4.", "1.2.3.4 ", " 1.2.3.4", "127.1", "0x7f.0.0.1", "1.2.3.-4", "::1", "1.2.3.٤", "255.255.255.2555", "1.2.34", "1234.1.1.1"];

describe("inetPtonInto", () => {
  test("writes the bytes at the offset, leaves the rest alone and returns how many it wrote", () => {
    const out = new Uint8Array(24).fill(0xee);
    expect(inetPtonInto(4, "192.168.0.1", out, 2)).toBe(4);
    expect(inetPtonInto(6, "2001:db8::1", out, 7)).toBe(16);
    expect(toHex(out)).toBe("eeeec0a80001ee20010db8000000000000000000000001ee");
    expect(inetPtonInto(4, "10.0.0.1", out)).toBe(4);
    expect(toHex(out.subarray(0, 4))).toBe("0a000001");
  });

  test.each(BAD_IPV4)("IPv4 %j: the same IPParseError as inetPton, and the buffer untouched", (text) => {
    const out = new Uint8Array(4).fill(7);
    const error = thrown(() => inetPtonInto(4, text, out));
    expect(error).toBeInstanceOf(IPParseError);
    expect(said(() => inetPtonInto(4, text, out))).toEqual(said(() => inetPton(4, text)));
    expect([...out]).toEqual([7, 7, 7, 7]);
  });

  test.each(["", "1::2::3", "1:2:3:4:5:6:7:8:9", "::ffff:1.2.3", "fe80::1%eth0"])("IPv6 %j: the same IPParseError as inetPton", (text) => {
    const error = thrown(() => inetPtonInto(6, text, new Uint8Array(16)));
    expect(error).toBeInstanceOf(IPParseError);
    expect(said(() => inetPtonInto(6, text, new Uint8Array(16)))).toEqual(said(() => inetPton(6, text)));
  });

  test.each([
    [4, 3, 0],
    [4, 8, 5],
    [6, 16, 1],
    [4, 8, -1],
    [4, 8, 1.5],
    [4, 8, Number.NaN],
  ])("IPv%i into %i bytes at offset %d is a RangeError", (family, size, offset) => {
    const out = new Uint8Array(size);
    expect(() => inetPtonInto(family as 4 | 6, family === 4 ? "1.2.3.4" : "::1", out, offset)).toThrow(RangeError);
    expect(out.every((byte) => byte === 0)).toBe(true);
  });

  test("a family other than 4 or 6 is a value error", () => {
    expect(() => inetPtonInto(5 as 4, "1.2.3.4", new Uint8Array(16))).toThrow(IPValueError);
  });

  test("every 4- and 16-byte value survives inetNtop then inetPtonInto at any offset", () => {
    const bytes = fc.oneof(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 16, maxLength: 16 }));
    fc.assert(
      fc.property(bytes, fc.nat(8), (value, offset) => {
        const family = value.length === 4 ? 4 : 6;
        const out = new Uint8Array(offset + value.length + 3);
        expect(inetPtonInto(family, inetNtop(family, value), out, offset)).toBe(value.length);
        expect(out.subarray(offset, offset + value.length)).toEqual(value);
      }),
    );
  });
});

describe("parseIPv4ToNumber", () => {
  test.each([
    ["0.0.0.0", 0],
    ["127.0.0.1", 2130706433],
    ["192.168.0.1", 3232235521],
    ["255.255.255.255", 4294967295],
    ["1.22.133.4", 0x01168504],
  ])("%s is %i", (text, value) => {
    expect(parseIPv4ToNumber(text)).toBe(value);
  });

  test.each(BAD_IPV4)("%j: the same IPParseError as inetPton(4)", (text) => {
    const error = thrown(() => parseIPv4ToNumber(text));
    expect(error).toBeInstanceOf(IPParseError);
    expect(said(() => parseIPv4ToNumber(text))).toEqual(said(() => inetPton(4, text)));
  });

  test("every uint32 survives formatting then parseIPv4ToNumber", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (value) => {
        const text = `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
        expect(parseIPv4ToNumber(text)).toBe(value);
      }),
    );
  });

  test("accepts exactly what Node's net.isIPv4 accepts (the same strict grammar), with the value of its parts", () => {
    // Digits and dots mostly, so that near-misses (leading zeros, 256, 4 digits, empty parts) are common.
    const near = fc.stringMatching(/^[0-9.]{0,18}$/);
    const mixed = fc.array(fc.constantFrom("0", "1", "2", "5", "9", "25", "255", "256", "00", ".", ".", "x", " ", ":"), { maxLength: 10 }).map((parts) => parts.join(""));
    // A valid address, kept or with one character deleted, replaced or inserted.
    const edited = fc
      .tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.constantFrom(0, 1, 1, 2, 2), fc.nat(15), fc.constantFrom(..."0123456789.x"))
      .map(([bytes, kind, at, char]) => {
        const text = bytes.join(".");
        const i = at % (text.length + 1);
        return text.slice(0, i) + (kind === 0 ? "" : char) + text.slice(kind === 2 ? i : i + 1);
      });
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(near, mixed, edited), (text) => {
        const ours = thrown(() => parseIPv4ToNumber(text)) === undefined;
        expect(ours).toBe(isIPv4(text));
        if (ours) {
          accepted++;
          const value = text.split(".").reduce((word, part) => word * 256 + Number(part), 0);
          expect(parseIPv4ToNumber(text)).toBe(value);
        } else {
          const { index } = thrown(() => parseIPv4ToNumber(text)) as IPParseError;
          expect(index).toBeGreaterThanOrEqual(0);
          expect(index).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 20_000 },
    );
    expect(accepted).toBeGreaterThan(2000);
  });
});
