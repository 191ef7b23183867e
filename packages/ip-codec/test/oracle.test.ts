import { beforeAll, describe, expect, test } from "vitest";
import { findProgram } from "@netlab/test-kit";
import { inetAton, inetNtop, inetPton, inetPtonInto, parseAddress, parseIPv4ToNumber, toHex } from "../src/index.js";
import { askOracle, findPython313, type ClassifyAnswer } from "./python.js";
import { addressCandidates, ipv4Candidates, ipv6Candidates, legacyIPv4Candidates } from "./samples.js";

/** Our answer in the oracle's form: packed hex, or null when we throw. */
function ours(parse: () => Uint8Array): string | null {
  try {
    return toHex(parse());
  } catch {
    return null;
  }
}

/** The 4 big-endian bytes of a uint32. */
function fromNumber(value: number): Uint8Array {
  return Uint8Array.of(value >>> 24, value >>> 16, value >>> 8, value);
}

const python3 = findProgram("python3", "python3");

// glibc's inet_pton and inet_aton, reached through Python's socket module (any Python 3).
describe.skipIf(python3.skip)("agrees with glibc (python3 socket)", () => {
  const pton4 = ipv4Candidates(2000);
  const pton6 = ipv6Candidates(2000);
  const aton = legacyIPv4Candidates(2000);

  test("inetPton(4) accepts exactly what inet_pton(AF_INET) accepts, with the same bytes", async () => {
    const answer = await askOracle(python3.path ?? "", { pton4 });
    const mismatches = pton4.filter((text, i) => ours(() => inetPton(4, text)) !== answer.pton4[i]);
    expect(mismatches).toEqual([]);
    // The zero-allocation forms give the same answers.
    const out = new Uint8Array(6);
    const intoMismatches = pton4.filter((text, i) => ours(() => (inetPtonInto(4, text, out, 2), out.subarray(2))) !== answer.pton4[i]);
    expect(intoMismatches).toEqual([]);
    const numberMismatches = pton4.filter((text, i) => ours(() => fromNumber(parseIPv4ToNumber(text))) !== answer.pton4[i]);
    expect(numberMismatches).toEqual([]);
    expect(answer.pton4.filter((hex) => hex !== null).length).toBeGreaterThan(2000);
  });

  test("inetPton(6) accepts exactly what inet_pton(AF_INET6) accepts, with the same bytes", async () => {
    const answer = await askOracle(python3.path ?? "", { pton6 });
    const mismatches = pton6.filter((text, i) => ours(() => inetPton(6, text)) !== answer.pton6[i]);
    expect(mismatches).toEqual([]);
    const out = new Uint8Array(17);
    const intoMismatches = pton6.filter((text, i) => ours(() => (inetPtonInto(6, text, out, 1), out.subarray(1))) !== answer.pton6[i]);
    expect(intoMismatches).toEqual([]);
    expect(answer.pton6.filter((hex) => hex !== null).length).toBeGreaterThan(4000);
  });

  test("inetAton matches inet_aton, except that trailing text after a space is refused", async () => {
    const withSpace = aton.flatMap((text) => [`${text} junk`, `${text}\n`]);
    const answer = await askOracle(python3.path ?? "", { aton: [...aton, ...withSpace] });
    const mismatches = aton.filter((text, i) => ours(() => inetAton(text)) !== answer.aton[i]);
    expect(mismatches).toEqual([]);
    expect(answer.aton.slice(0, aton.length).filter((hex) => hex !== null).length).toBeGreaterThan(500);
    // glibc ignores what follows whitespace; we refuse it.
    expect(answer.aton.slice(aton.length).some((hex) => hex !== null)).toBe(true);
    expect(withSpace.filter((text) => ours(() => inetAton(text)) !== null)).toEqual([]);
  });
});

const python313 = findPython313();

describe.skipIf(python313.skip)("agrees with Python 3.13 ipaddress", () => {
  const FLAGS = ["isPrivate", "isGlobal", "isLoopback", "isLinkLocal", "isMulticast", "isReserved", "isUnspecified"] as const;
  let answers: ClassifyAnswer[] = [];

  let version = "";
  beforeAll(async () => {
    const answer = await askOracle(python313.path ?? "", { classify: addressCandidates(4000) });
    version = answer.version;
    answers = answer.classify;
  });

  test("the oracle is Python 3.13 and saw random addresses plus every IANA block boundary", () => {
    expect(version).toMatch(/^3\.13\./);
    // 9000 random; each block adds its first and last address, their neighbours, and ::ffff: forms.
    expect(answers.length).toBeGreaterThan(9500);
    expect(answers.map((answer) => answer.text)).toEqual(expect.arrayContaining(["192.0.0.8", "192.0.0.9", "192.0.0.10", "192.0.0.11", "100.63.255.255", "100.64.0.0", "100.127.255.255", "100.128.0.0", "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:200::", "::ffff:127.255.255.255"]));
  });

  test.each(FLAGS)("%s equals Python's for every address and block boundary", (flag) => {
    expect(answers.length).toBeGreaterThan(0);
    const pythonName = { isPrivate: "is_private", isGlobal: "is_global" } as Record<string, string>;
    const mismatches = answers
      .filter((answer) => !(flag === "isGlobal" && isMappedShared(answer.packed)))
      .filter((answer) => parseAddress(answer.text)[flag]() !== answer[flag])
      .map((answer) => `${answer.text}: python ${pythonName[flag] ?? flag}=${answer[flag]}`);
    expect(mismatches).toEqual([]);
  });

  test("the one deliberate difference: ::ffff:100.64.0.0/106 is not global (Python 3.13.0 says it is: python/cpython#107205)", () => {
    const mapped = answers.filter((answer) => isMappedShared(answer.packed));
    expect(mapped.length).toBeGreaterThan(3);
    for (const answer of mapped) {
      expect(answer.isGlobal).toBe(true);
      expect(parseAddress(answer.text).isGlobal()).toBe(false);
      expect(parseAddress(answer.text).unmap().isGlobal()).toBe(false);
    }
  });

  test("toString and inetNtop equal Python's str() and packed bytes", () => {
    expect(answers.length).toBeGreaterThan(0);
    const mismatches = answers.filter((answer) => {
      const address = parseAddress(answer.text);
      const bytes = address.bytes;
      return address.toString() !== answer.str || toHex(bytes) !== answer.packed || inetNtop(address.family, bytes) !== answer.str;
    });
    expect(mismatches).toEqual([]);
  });
});

/** ::ffff:100.64.0.0/106, the IPv4-mapped shared address space. */
function isMappedShared(packed: string): boolean {
  return packed.length === 32 && packed.startsWith("00000000000000000000ffff") && (parseInt(packed.slice(24, 26), 16) === 100) && (parseInt(packed.slice(26, 28), 16) & 0xc0) === 64;
}
