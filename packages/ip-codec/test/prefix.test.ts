import { describe, expect, test } from "vitest";
import { IPParseError, IPPrefix, IPValueError, parseAddress, parsePrefix, tryParsePrefix } from "../src/index.js";

describe("parsePrefix", () => {
  test.each([
    ["10.0.0.0/8", "10.0.0.0", 8, "10.255.255.255", 16777216n],
    ["10.1.2.3/8", "10.0.0.0", 8, "10.255.255.255", 16777216n],
    ["192.168.1.128/25", "192.168.1.128", 25, "192.168.1.255", 128n],
    ["0.0.0.0/0", "0.0.0.0", 0, "255.255.255.255", 4294967296n],
    ["1.2.3.4/32", "1.2.3.4", 32, "1.2.3.4", 1n],
    ["2001:db8::/32", "2001:db8::", 32, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 1n << 96n],
    ["2001:db8::1/127", "2001:db8::", 127, "2001:db8::1", 2n],
    ["fe80::/10", "fe80::", 10, "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1n << 118n],
    ["::/0", "::", 0, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1n << 128n],
    ["::ffff:10.0.0.0/104", "::ffff:10.0.0.0", 104, "::ffff:10.255.255.255", 1n << 24n],
  ])("%s: first %s, /%i, last %s, size %s", (text, first, bits, last, size) => {
    const prefix = parsePrefix(text);
    expect(prefix.bits).toBe(bits);
    expect(prefix.first().toString()).toBe(first);
    expect(prefix.last().toString()).toBe(last);
    expect(prefix.size()).toBe(size);
    expect(prefix.masked().toString()).toBe(`${first}/${bits}`);
    expect(prefix.toString()).toBe(`${parseAddress(text.split("/")[0] ?? "").toString()}/${bits}`);
    expect(prefix.contains(prefix.first()) && prefix.contains(prefix.last())).toBe(true);
    expect(prefix.contains(prefix.first().prev() ?? prefix.last().next() ?? prefix.first())).toBe(bits === 0);
  });

  test.each([
    ["10.0.0.0", 8],
    ["10.0.0.0/", 9],
    ["10.0.0.0/33", 10],
    ["10.0.0.0/08", 10],
    ["10.0.0.0/8x", 10],
    ["10.0.0.0/-1", 9],
    ["10.0.0/8", 6],
    ["2001:db8::/129", 13],
    ["fe80::%eth0/64", 6],
    ["10.0.0.0/8/8", 8],
  ])("%j is refused at index %i", (text, index) => {
    expect(() => parsePrefix(text)).toThrow(IPParseError);
    expect(() => parsePrefix(text)).toThrow(`invalid IP prefix ${JSON.stringify(text)}`);
    try {
      parsePrefix(text);
    } catch (error) {
      expect((error as IPParseError).index).toBe(index);
    }
    expect(tryParsePrefix(text)).toBeUndefined();
  });

  test("new IPPrefix checks its length and zone", () => {
    expect(new IPPrefix(parseAddress("10.0.0.0"), 8).toString()).toBe("10.0.0.0/8");
    expect(() => new IPPrefix(parseAddress("10.0.0.0"), 33)).toThrow(IPValueError);
    expect(() => new IPPrefix(parseAddress("::"), 129)).toThrow(IPValueError);
    expect(() => new IPPrefix(parseAddress("fe80::%eth0"), 64)).toThrow(IPValueError);
  });
});

describe("contains and overlaps", () => {
  test.each([
    ["10.0.0.0/8", "10.1.2.3", true],
    ["10.0.0.0/8", "11.0.0.0", false],
    ["10.0.0.0/8", "9.255.255.255", false],
    ["192.168.1.0/25", "192.168.1.127", true],
    ["192.168.1.0/25", "192.168.1.128", false],
    ["0.0.0.0/0", "255.255.255.255", true],
    ["2001:db8::/32", "2001:db8:ffff::1", true],
    ["2001:db8::/32", "2001:db9::", false],
    // Families never mix: unmap() first to test a mapped address against an IPv4 prefix.
    ["127.0.0.0/8", "::ffff:127.0.0.1", false],
    ["::ffff:0:0/96", "127.0.0.1", false],
    // A zoned address is scoped to its link, like Go's netip.Prefix.Contains.
    ["fe80::/10", "fe80::1%eth0", false],
  ])("%s contains %s: %s", (prefix, address, expected) => {
    expect(parsePrefix(prefix).contains(parseAddress(address))).toBe(expected);
  });

  test("unmap() lets a mapped address match an IPv4 prefix", () => {
    expect(parsePrefix("127.0.0.0/8").contains(parseAddress("::ffff:127.0.0.1").unmap())).toBe(true);
  });

  test.each([
    ["10.0.0.0/8", "10.1.0.0/16", true],
    ["10.1.0.0/16", "10.0.0.0/8", true],
    ["10.0.0.0/16", "10.1.0.0/16", false],
    ["0.0.0.0/0", "1.2.3.4/32", true],
    ["2001:db8::/32", "2001:db8:1::/48", true],
    ["2001:db8::/33", "2001:db8:8000::/33", false],
    ["10.0.0.0/8", "::/0", false],
  ])("%s overlaps %s: %s", (a, b, expected) => {
    expect(parsePrefix(a).overlaps(parsePrefix(b))).toBe(expected);
  });

  test("equals", () => {
    expect(parsePrefix("10.0.0.0/8").equals(parsePrefix("10.0.0.0/8"))).toBe(true);
    expect(parsePrefix("10.0.0.0/8").equals(parsePrefix("10.0.0.1/8"))).toBe(false);
    expect(parsePrefix("::1/128").equals(parsePrefix("::1/127"))).toBe(false);
  });
});
