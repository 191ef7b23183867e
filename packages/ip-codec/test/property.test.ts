import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { IPAddress, IPParseError, IPPrefix, fromHex, inetAton, inetNtoa, inetNtop, inetPton, parseAddress, parsePrefix, toHex, tryParseAddress } from "../src/index.js";

const bytes4 = fc.uint8Array({ minLength: 4, maxLength: 4 });
// Zero runs are where RFC 5952 formatting gets interesting, so favour them.
const bytes16 = fc
  .tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.nat(15), fc.nat(16))
  .map(([bytes, start, length]) => bytes.fill(0, start, start + length));
const anyBytes = fc.oneof(bytes4, bytes16);

describe("properties", () => {
  test("every 4-byte value survives inetNtop then inetPton, and inetNtoa then inetAton", () => {
    fc.assert(
      fc.property(bytes4, (bytes) => {
        expect(inetPton(4, inetNtop(4, bytes))).toEqual(bytes);
        expect(inetAton(inetNtoa(bytes))).toEqual(bytes);
      }),
    );
  });

  test("every 16-byte value survives inetNtop then inetPton", () => {
    fc.assert(
      fc.property(bytes16, (bytes) => {
        expect(inetPton(6, inetNtop(6, bytes))).toEqual(bytes);
      }),
    );
  });

  test("printed text is canonical RFC 5952 and the strict parser accepts it", () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const address = IPAddress.fromBytes(bytes);
        const text = address.toString();
        const again = parseAddress(text);
        expect(again.equals(address)).toBe(true);
        expect(again.toString()).toBe(text);
        if (address.family === 6) {
          expect(text).toBe(text.toLowerCase());
          expect(text.split("::").length).toBeLessThanOrEqual(2);
          // No group with a leading zero, and no zero group left beside "::" (it would belong to the run).
          if (!address.isIPv4Mapped()) expect(text).not.toMatch(/(^|:)0[0-9a-f]|::0(:|$)|(^|:)0::/);
        }
      }),
    );
  });

  test("IPv6 text equals what the WHATWG URL parser prints (apart from ::ffff:a.b.c.d)", () => {
    fc.assert(
      fc.property(bytes16, (bytes) => {
        const address = IPAddress.fromBytes(bytes);
        fc.pre(!address.isIPv4Mapped());
        expect(`[${address.toString()}]`).toBe(new URL(`http://[${address.toString()}]/`).hostname);
      }),
    );
  });

  test("compare orders like the integers within a family", () => {
    fc.assert(
      fc.property(bytes16, bytes16, (a, b) => {
        const x = IPAddress.fromBytes(a);
        const y = IPAddress.fromBytes(b);
        const expected = x.toBigInt() < y.toBigInt() ? -1 : x.toBigInt() > y.toBigInt() ? 1 : 0;
        expect(x.compare(y)).toBe(expected);
        expect(y.compare(x)).toBe(-expected || 0);
      }),
    );
  });

  test("bytes, hex and integers convert both ways", () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const address = IPAddress.fromBytes(bytes);
        expect(fromHex(toHex(bytes))).toEqual(bytes);
        expect(IPAddress.fromBigInt(address.toBigInt(), address.family).equals(address)).toBe(true);
        if (address.family === 4) expect(IPAddress.fromNumber(address.toNumber()).equals(address)).toBe(true);
      }),
    );
  });

  test("next and prev are inverses and keep the order", () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const address = IPAddress.fromBytes(bytes);
        const next = address.next();
        if (next) {
          expect(next.prev()?.equals(address)).toBe(true);
          expect(address.compare(next)).toBe(-1);
          expect(next.toBigInt()).toBe(address.toBigInt() + 1n);
        }
      }),
    );
  });

  test("any text either parses or throws IPParseError, never anything else", () => {
    const text = fc.oneof(fc.string({ maxLength: 50 }), fc.stringMatching(/^[0-9a-fA-F:.%x]{0,45}$/));
    fc.assert(
      fc.property(text, (input) => {
        for (const parse of [() => parseAddress(input), () => inetPton(4, input), () => inetPton(6, input), () => inetAton(input), () => parsePrefix(input)]) {
          try {
            parse();
          } catch (error) {
            expect(error).toBeInstanceOf(IPParseError);
            const { index } = error as IPParseError;
            expect(index).toBeGreaterThanOrEqual(0);
            expect(index).toBeLessThanOrEqual(input.length);
          }
        }
        expect(tryParseAddress(input) === undefined).toBe((() => { try { parseAddress(input); return false; } catch { return true; } })());
      }),
      { numRuns: 2000 },
    );
  });

  test("a prefix contains exactly the addresses between its first and last", () => {
    fc.assert(
      fc.property(anyBytes, anyBytes, fc.nat(128), (a, b, n) => {
        const address = IPAddress.fromBytes(a);
        const bits = n % (address.bytes.length * 8 + 1);
        const prefix = new IPPrefix(address, bits);
        expect(prefix.contains(address)).toBe(true);
        const other = IPAddress.fromBytes(b);
        const inside = other.family === address.family && other.compare(prefix.first()) >= 0 && other.compare(prefix.last()) <= 0;
        expect(prefix.contains(other)).toBe(inside);
        expect(prefix.last().toBigInt() - prefix.first().toBigInt() + 1n).toBe(prefix.size());
        expect(parsePrefix(prefix.toString()).equals(prefix)).toBe(true);
      }),
    );
  });
});
