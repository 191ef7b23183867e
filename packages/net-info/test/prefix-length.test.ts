import fc from "fast-check";
import { expect, test } from "vitest";
import { prefixLengthOf } from "../src/index.js";

test.each([
  ["0.0.0.0", 0],
  ["128.0.0.0", 1],
  ["255.0.0.0", 8],
  ["255.255.255.0", 24],
  ["255.255.255.252", 30],
  ["255.255.255.255", 32],
  ["::", 0],
  ["ffff:ffff:ffff:ffff::", 64],
  ["ffff:ffff:ffff:ff00::", 56],
  ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128],
  ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", 127],
  ["8000::", 1],
])("prefixLengthOf(%s) is %i", (netmask, length) => {
  expect(prefixLengthOf(netmask)).toBe(length);
});

test.each(["255.0.255.0", "0.255.255.255", "ffff::ffff", "::1", "not a mask", "", "255.255.255", "fe80::%eth0", "::ffff:255.255.255.0"])(
  "prefixLengthOf(%j) is undefined",
  (text) => {
    expect(prefixLengthOf(text)).toBeUndefined();
  },
);

// The netmask of a prefix length, written by Node's URL parser (canonical compressed IPv6).
function ipv6Mask(bits: number): string {
  const groups = Array.from({ length: 8 }, (_, i) => {
    const ones = Math.min(16, Math.max(0, bits - i * 16));
    return ((0xffff << (16 - ones)) & 0xffff).toString(16);
  });
  return new URL(`http://[${groups.join(":")}]/`).hostname.slice(1, -1);
}

const ipv4Text = (value: number): string => [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join(".");
const ipv4Mask = (bits: number): string => ipv4Text(bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);

test("every IPv4 and IPv6 prefix length round-trips through its netmask", () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 32 }), (bits) => prefixLengthOf(ipv4Mask(bits)) === bits));
  fc.assert(fc.property(fc.integer({ min: 0, max: 128 }), (bits) => prefixLengthOf(ipv6Mask(bits)) === bits));
});

test("a mask with a one after a zero is never a prefix", () => {
  const prefixAndHole = fc.integer({ min: 0, max: 30 }).chain((bits) => fc.tuple(fc.constant(bits), fc.integer({ min: bits + 1, max: 31 })));
  fc.assert(
    fc.property(prefixAndHole, ([bits, one]) => {
      // Bit `bits` (from the left) is zero and bit `one`, further right, is set.
      const prefix = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      return prefixLengthOf(ipv4Text((prefix | (1 << (31 - one))) >>> 0)) === undefined;
    }),
  );
});
