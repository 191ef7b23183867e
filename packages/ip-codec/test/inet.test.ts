import { describe, expect, test } from "vitest";
import { IPParseError, IPValueError, fromHex, inetAton, inetNtoa, inetNtop, inetPton, toHex } from "../src/index.js";

const hex = (bytes: Uint8Array) => toHex(bytes);

describe("inetPton(4)", () => {
  test.each([
    ["127.0.0.1", "7f000001"],
    ["192.168.0.1", "c0a80001"],
    ["0.0.0.0", "00000000"],
    ["255.255.255.255", "ffffffff"],
    ["1.22.133.4", "01168504"],
  ])("%s -> %s", (text, packed) => {
    expect(hex(inetPton(4, text))).toBe(packed);
  });

  test.each([
    ["", 0, "part 1 is missing or empty"],
    ["1.2.3", 5, "part 4 is missing or empty"],
    ["1.2.3.4.5", 7, "more than 4 parts"],
    ["1.2.3.256", 8, "part 4 is 256, above 255"],
    ["1.2.3.2560", 8, "part 4 is 256, above 255"],
    ["1.2.3.2550", 9, "part 4 has more than 3 digits"],
    ["01.2.3.4", 0, "part 1 has a leading zero"],
    ["1.2.3.00", 6, "part 4 has a leading zero"],
    ["1..2.3", 2, "part 2 is missing or empty"],
    [".1.2.3", 0, "part 1 is missing or empty"],
    ["1.2.3.4.", 7, "more than 4 parts"],
    ["1.2.3.4 ", 7, "unexpected character \" \""],
    [" 1.2.3.4", 0, "unexpected character \" \""],
    ["127.1", 5, "part 3 is missing or empty"],
    ["0x7f.0.0.1", 1, "unexpected character \"x\""],
    ["1.2.3.-4", 6, "unexpected character \"-\""],
    ["1.2.3.٤", 6, "unexpected character"],
    ["::1", 0, "unexpected character \":\""],
  ])("%j is refused at index %i (%s)", (text, index, reason) => {
    const error = catchError(() => inetPton(4, text));
    expect(error).toBeInstanceOf(IPParseError);
    expect(error).toMatchObject({ code: "ERR_IP_PARSE", input: text, index });
    expect(error.reason).toContain(reason);
    expect(error.message).toBe(`invalid IPv4 address ${JSON.stringify(text)}: ${error.reason}`);
  });

  test("the issue's example message", () => {
    expect(() => inetPton(4, "1.2.3.256")).toThrow('invalid IPv4 address "1.2.3.256": part 4 is 256, above 255');
  });
});

describe("inetPton(6)", () => {
  test.each([
    ["::", "00000000000000000000000000000000"],
    ["::1", "00000000000000000000000000000001"],
    ["1::", "00010000000000000000000000000000"],
    ["2001:db8::1", "20010db8000000000000000000000001"],
    ["2001:DB8:0:0:0:0:0:1", "20010db8000000000000000000000001"],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "20010db8000000000000000000000001"],
    ["1:2:3:4:5:6:7::", "00010002000300040005000600070000"],
    ["::2:3:4:5:6:7:8", "00000002000300040005000600070008"],
    ["::ffff:127.0.0.1", "00000000000000000000ffff7f000001"],
    ["::fFFf:127.0.0.1", "00000000000000000000ffff7f000001"],
    ["::1.2.3.4", "00000000000000000000000001020304"],
    ["1:2:3:4:5:6:1.2.3.4", "00010002000300040005000601020304"],
    ["fe80::1:2", "fe800000000000000000000000010002"],
  ])("%s -> %s", (text, packed) => {
    expect(hex(inetPton(6, text))).toBe(packed);
  });

  test.each([
    ["", 0],
    [":", 0],
    [":1::2", 0],
    ["1::2::3", 5],
    ["1:::2", 3],
    ["1:2:3:4:5:6:7:8:9", 15],
    ["1:2:3:4:5:6:7:8::", 15],
    ["::1:2:3:4:5:6:7:8", 15],
    ["1:2:3:4:5:6:7::8", 15],
    ["::1:2:3:4:5:6:1.2.3.4", 15],
    ["1:2:3:4:5:6:7", 13],
    ["1:2:3:4:5:6:7:", 13],
    ["12345::", 4],
    ["g::", 0],
    ["fe80::1%eth0", 7],
    ["::ffff:1.2.3", 12],
    ["::ffff:01.2.3.4", 7],
    ["1:2:3:4:5:6:7:1.2.3.4", 15],
    ["::1.2.3.4:5", 9],
    ["1.2.3.4", 7],
    [" ::1", 0],
  ])("%j is refused at index %i", (text, index) => {
    const error = catchError(() => inetPton(6, text));
    expect(error).toBeInstanceOf(IPParseError);
    expect(error.index).toBe(index);
    expect(error.message).toMatch(/^invalid IPv6 address ".*": .+/);
  });

  test("a family other than 4 or 6 is a value error", () => {
    expect(() => inetPton(5 as 4, "1.2.3.4")).toThrow(IPValueError);
  });
});

describe("inetNtop", () => {
  test.each([
    [4, "7f000001", "127.0.0.1"],
    [6, "00000000000000000000000000000000", "::"],
    [6, "00000000000000000000000000000001", "::1"],
    [6, "20010db8000000000000000000000001", "2001:db8::1"],
    // A single zero group is not compressed (RFC 5952 4.2.2).
    [6, "20010db8000000010001000100010001", "2001:db8:0:1:1:1:1:1"],
    // The longest run wins; on a tie the leftmost (4.2.3).
    [6, "20010db8000000000001000000000001", "2001:db8::1:0:0:1"],
    [6, "00010000000000010000000000010001", "1::1:0:0:1:1"],
    [6, "20010000000000010000000000000001", "2001:0:0:1::1"],
    [6, "20010db8000000000000000100000000", "2001:db8::1:0:0"],
    [6, "00010000000000000000000000000000", "1::"],
    [6, "ABCDEF00000000000000000000000000".toLowerCase(), "abcd:ef00::"],
    [6, "00000000000000000000ffff7f000001", "::ffff:127.0.0.1"],
    [6, "00000000000000000000ffff00000000", "::ffff:0.0.0.0"],
    // Only IPv4-mapped addresses get a dotted quad.
    [6, "00000000000000000000000001020304", "::102:304"],
  ])("IPv%i %s -> %s", (family, packed, text) => {
    expect(inetNtop(family as 4 | 6, fromHex(packed))).toBe(text);
  });

  test.each([
    [4, 16],
    [6, 4],
    [4, 0],
    [6, 15],
  ])("IPv%i with %i bytes is a value error", (family, length) => {
    expect(() => inetNtop(family as 4 | 6, new Uint8Array(length))).toThrow(IPValueError);
  });
});

describe("inetAton (legacy BSD forms)", () => {
  test.each([
    ["127.0.0.1", "7f000001"],
    ["127.1", "7f000001"],
    ["0x7f.1", "7f000001"],
    ["017700000001", "7f000001"],
    ["2130706433", "7f000001"],
    ["0x7f000001", "7f000001"],
    ["0X7F.0.0.1", "7f000001"],
    ["0", "00000000"],
    ["0.0", "00000000"],
    ["10.1.2", "0a010002"],
    ["10.65535", "0a00ffff"],
    ["192.168.1", "c0a80001"],
    ["0300.0250.0.01", "c0a80001"],
    ["4294967295", "ffffffff"],
    ["0xffffffff", "ffffffff"],
    ["00000000000000000001", "00000001"],
    ["0x00000000000000000001", "00000001"],
  ])("%s -> %s", (text, packed) => {
    expect(hex(inetAton(text))).toBe(packed);
  });

  test.each([
    ["", 0],
    ["4294967296", 9],
    ["0x100000000", 10],
    ["1.2.0x10000", 4],
    ["1.16777216", 2],
    ["256.1", 0],
    ["08", 1],
    ["0x", 1],
    ["0xg", 1],
    ["1.", 2],
    ["1..2", 2],
    [".1", 0],
    ["1.2.3.4.5", 7],
    ["127.0.0.1 junk", 9],
    ["127.0.0.1\n", 9],
    ["-1", 0],
    ["+1", 0],
    [" 1", 0],
  ])("%j is refused at index %i", (text, index) => {
    const error = catchError(() => inetAton(text));
    expect(error).toBeInstanceOf(IPParseError);
    expect(error.index).toBe(index);
  });
});

describe("inetNtoa, toHex and fromHex", () => {
  test("inetNtoa prints a dotted quad and wants 4 bytes", () => {
    expect(inetNtoa(Uint8Array.of(192, 168, 0, 1))).toBe("192.168.0.1");
    expect(() => inetNtoa(new Uint8Array(16))).toThrow(IPValueError);
  });

  test.each([
    ["7f000001", [127, 0, 0, 1]],
    ["C0A80001", [192, 168, 0, 1]],
    ["", []],
  ])("fromHex(%j)", (text, bytes) => {
    expect([...fromHex(text)]).toEqual(bytes);
    expect(toHex(fromHex(text))).toBe(text.toLowerCase());
  });

  test.each([
    ["7f00000", 7],
    ["7f00000g", 7],
    ["0x7f000001", 1],
  ])("fromHex(%j) is refused at index %i", (text, index) => {
    expect(catchError(() => fromHex(text))).toMatchObject({ code: "ERR_IP_PARSE", index });
  });
});

function catchError(fn: () => unknown): IPParseError {
  try {
    fn();
  } catch (error) {
    return error as IPParseError;
  }
  throw new Error("expected a throw");
}
