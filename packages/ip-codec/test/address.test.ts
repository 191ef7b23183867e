import { describe, expect, test } from "vitest";
import { IPAddress, IPParseError, IPValueError, inetAton, parseAddress, toHex, tryParseAddress } from "../src/index.js";

describe("parseAddress", () => {
  test.each([
    ["127.0.0.1", 4, "127.0.0.1", undefined],
    ["2001:DB8:0:0:0:0:0:1", 6, "2001:db8::1", undefined],
    ["fe80::1%eth0", 6, "fe80::1%eth0", "eth0"],
    ["fe80::1%1", 6, "fe80::1%1", "1"],
    ["::ffff:1.2.3.4", 6, "::ffff:1.2.3.4", undefined],
    ["::FFFF:1.2.3.4%en0", 6, "::ffff:1.2.3.4%en0", "en0"],
  ])("%s: family %i, canonical %s, zone %s", (text, family, canonical, zone) => {
    const address = parseAddress(text);
    expect(address.family).toBe(family);
    expect(address.toString()).toBe(canonical);
    expect(address.zone).toBe(zone);
    expect(tryParseAddress(text)?.toString()).toBe(canonical);
  });

  test.each([
    ["", "IPv4 address"],
    ["127.1", "IPv4 address"],
    ["0x7f.0.0.1", "IPv4 address"],
    ["017700000001", "IPv4 address"],
    ["1.2.3.4%eth0", "IPv4 address"],
    ["fe80::1%", "IPv6 address"],
    ["fe80::1%a%b", "IPv6 address"],
    ["[::1]", "IPv6 address"],
    ["::1/128", "IPv6 address"],
    ["1::2::3", "IPv6 address"],
  ])("%j is refused as an %s", (text, what) => {
    expect(() => parseAddress(text)).toThrow(IPParseError);
    expect(() => parseAddress(text)).toThrow(`invalid ${what} ${JSON.stringify(text)}`);
    expect(tryParseAddress(text)).toBeUndefined();
  });
});

describe("IPAddress values", () => {
  test("bytes is a copy, and fromBytes copies its input", () => {
    const input = Uint8Array.of(10, 0, 0, 1);
    const address = IPAddress.fromBytes(input);
    input[0] = 99;
    const bytes = address.bytes;
    bytes[0] = 42;
    expect(address.toString()).toBe("10.0.0.1");
    expect(address.bytes).toEqual(Uint8Array.of(10, 0, 0, 1));
  });

  test("an address is frozen", () => {
    const address = parseAddress("10.0.0.1");
    expect(Object.isFrozen(address)).toBe(true);
    expect(() => {
      (address as { family: number }).family = 6;
    }).toThrow(TypeError);
  });

  test.each([
    [[1, 2, 3], undefined],
    [[256, 0, 0, 0], undefined],
    [[1.5, 0, 0, 0], undefined],
    [[1, 2, 3, 4], "eth0"],
    [new Array(16).fill(0), ""],
    [new Array(16).fill(0), "a%b"],
  ])("fromBytes(%j, %j) is a value error", (bytes, zone) => {
    expect(() => IPAddress.fromBytes(bytes, zone)).toThrow(IPValueError);
  });

  test.each([
    ["0.0.0.0", 0n],
    ["127.0.0.1", 2130706433n],
    ["255.255.255.255", 4294967295n],
    ["::", 0n],
    ["::1", 1n],
    ["::ffff:127.0.0.1", 0xffff7f000001n],
    ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", (1n << 128n) - 1n],
  ])("%s <-> %s", (text, value) => {
    const address = parseAddress(text);
    expect(address.toBigInt()).toBe(value);
    expect(IPAddress.fromBigInt(value, address.family).equals(address)).toBe(true);
    if (address.family === 4) {
      expect(address.toNumber()).toBe(Number(value));
      expect(IPAddress.fromNumber(Number(value)).equals(address)).toBe(true);
    }
  });

  test("integers out of range and IPv6 toNumber are value errors", () => {
    expect(() => IPAddress.fromBigInt(1n << 32n, 4)).toThrow(IPValueError);
    expect(() => IPAddress.fromBigInt(-1n, 6)).toThrow(IPValueError);
    expect(() => IPAddress.fromBigInt(1n << 128n, 6)).toThrow(IPValueError);
    expect(() => IPAddress.fromBigInt(1n, 5 as 4)).toThrow(IPValueError);
    expect(() => IPAddress.fromNumber(2 ** 32)).toThrow(IPValueError);
    expect(() => IPAddress.fromNumber(-1)).toThrow(IPValueError);
    expect(() => parseAddress("::1").toNumber()).toThrow(IPValueError);
  });

  test("compare orders IPv4 first, then bytes, then zone; equals includes the zone", () => {
    const sorted = ["10.0.0.1", "10.0.0.2", "::", "::1", "fe80::1", "fe80::1%a", "fe80::1%b"].map(parseAddress);
    const shuffled = [sorted[4], sorted[6], sorted[0], sorted[3], sorted[5], sorted[2], sorted[1]].map((a) => a as IPAddress);
    expect(shuffled.sort((a, b) => a.compare(b)).map(String)).toEqual(sorted.map(String));
    expect(parseAddress("fe80::1%a").equals(parseAddress("FE80:0::1%a"))).toBe(true);
    expect(parseAddress("fe80::1%a").equals(parseAddress("fe80::1"))).toBe(false);
    // 0.0.0.1 and ::1 share their last byte but not their family.
    expect(parseAddress("0.0.0.1").equals(parseAddress("::1"))).toBe(false);
  });

  test("isIPv4Mapped and unmap", () => {
    const mapped = parseAddress("::ffff:192.168.0.1%eth0");
    expect(mapped.isIPv4Mapped()).toBe(true);
    expect(mapped.unmap().toString()).toBe("192.168.0.1");
    expect(mapped.unmap().family).toBe(4);
    const plain = parseAddress("::1.2.3.4");
    expect(plain.isIPv4Mapped()).toBe(false);
    expect(plain.unmap()).toBe(plain);
    expect(parseAddress("1.2.3.4").isIPv4Mapped()).toBe(false);
  });

  test.each([
    ["10.0.0.255", "10.0.1.0", "10.0.0.254"],
    ["0.0.0.0", "0.0.0.1", undefined],
    ["255.255.255.255", undefined, "255.255.255.254"],
    ["::", "::1", undefined],
    ["::ffff", "::1:0", "::fffe"],
    ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", undefined, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"],
    ["fe80::1%eth0", "fe80::2%eth0", "fe80::%eth0"],
  ])("%s: next %s, prev %s", (text, next, prev) => {
    const address = parseAddress(text);
    expect(address.next()?.toString()).toBe(next);
    expect(address.prev()?.toString()).toBe(prev);
    expect(address.toString()).toBe(parseAddress(text).toString());
  });

  test("JSON and template strings print the canonical text", () => {
    expect(JSON.stringify({ a: parseAddress("2001:0db8::0001") })).toBe('{"a":"2001:db8::1"}');
    expect(`${parseAddress("::ffff:7f00:1")}`).toBe("::ffff:127.0.0.1");
  });
});

// Classification of well-known addresses; the Python oracle test covers every block boundary.
describe("classification", () => {
  const FLAGS = ["isLoopback", "isPrivate", "isGlobal", "isLinkLocal", "isMulticast", "isUnspecified", "isReserved"] as const;
  test.each([
    ["127.0.0.1", ["isLoopback", "isPrivate"]],
    ["10.1.2.3", ["isPrivate"]],
    ["172.31.255.255", ["isPrivate"]],
    ["172.32.0.0", ["isGlobal"]],
    ["192.168.0.1", ["isPrivate"]],
    ["100.64.0.1", []],
    ["8.8.8.8", ["isGlobal"]],
    ["169.254.169.254", ["isLinkLocal", "isPrivate"]],
    ["224.0.0.1", ["isMulticast", "isGlobal"]],
    ["0.0.0.0", ["isUnspecified", "isPrivate"]],
    ["240.0.0.1", ["isReserved", "isPrivate"]],
    ["255.255.255.255", ["isReserved", "isPrivate"]],
    ["192.0.0.9", ["isGlobal"]],
    ["::1", ["isLoopback", "isPrivate", "isReserved"]],
    ["::", ["isUnspecified", "isPrivate", "isReserved"]],
    ["fe80::1", ["isLinkLocal", "isPrivate"]],
    ["fc00::1", ["isPrivate"]],
    ["ff02::1", ["isMulticast", "isGlobal"]],
    ["2001:db8::1", ["isPrivate"]],
    ["2606:4700::1111", ["isGlobal"]],
    ["::ffff:10.0.0.1", ["isPrivate", "isReserved"]],
    ["::ffff:8.8.8.8", ["isGlobal", "isReserved"]],
  ])("%s is exactly %j", (text, expected) => {
    const address = parseAddress(text);
    expect(FLAGS.filter((flag) => address[flag]())).toEqual(FLAGS.filter((flag) => expected.includes(flag)));
  });
});

// The inputs that broke `ip` (CVE-2023-42282, CVE-2024-29415) and ipaddr.js issue 213.
describe("SSRF traps are never called public", () => {
  test.each(["0x7f.1", "127.1", "017700000001", "0", "0x7f000001", "2130706433", "0177.0.0.1", "127.0.1", "0.0.0.0", "0x0"])(
    "%s: the strict parser refuses it, and read as inet_aton it is loopback or unspecified, never global",
    (text) => {
      if (!["0.0.0.0"].includes(text)) expect(tryParseAddress(text)).toBeUndefined();
      const address = IPAddress.fromBytes(inetAton(text));
      expect(address.isGlobal()).toBe(false);
      expect(address.isPrivate()).toBe(true);
      expect(address.isLoopback() || address.isUnspecified()).toBe(true);
    },
  );

  test.each(["::fFFf:127.0.0.1", "::ffff:7f00:1", "0:0:0:0:0:0:0:1", "::1", "0000:0000:0000:0000:0000:0000:0000:0001", "::ffff:0.0.0.0", "::", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "fe80::1%eth0"])(
    "%s is not global and is private",
    (text) => {
      const address = parseAddress(text);
      expect(address.isGlobal()).toBe(false);
      expect(address.isPrivate()).toBe(true);
    },
  );

  test("IPv4-mapped loopback is loopback, like the IPv4 address inside", () => {
    expect(parseAddress("::fFFf:127.0.0.1").isLoopback()).toBe(true);
    expect(parseAddress("0:0:0:0:0:0:0:1").isLoopback()).toBe(true);
    expect(toHex(parseAddress("::fFFf:127.0.0.1").unmap().bytes)).toBe("7f000001");
  });
});
