import fc from "fast-check";
import { expect, test } from "vitest";
import { PROTOCOLS } from "../src/index.js";
import { parseNameQuery, parsePortQuery } from "../src/service-query.js";

test.each([
  ["80", { value: 80, protocol: undefined }],
  ["53/udp", { value: 53, protocol: "udp" }],
  ["0/SCTP", { value: 0, protocol: "sctp" }],
  ["65535/dccp", { value: 65535, protocol: "dccp" }],
])("parsePortQuery(%j)", (text, expected) => {
  expect(parsePortQuery(text)).toEqual(expected);
});

test.each([
  ["", RangeError],
  ["http", RangeError],
  ["65536", RangeError],
  ["-1", RangeError],
  ["8.5", RangeError],
  ["0x50", RangeError],
  ["80/", TypeError],
  ["80/icmp", TypeError],
])("parsePortQuery(%j) throws %o", (text, kind) => {
  expect(() => parsePortQuery(text)).toThrow(kind);
});

test("every port and protocol round-trips; anything else throws a RangeError or TypeError", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(...PROTOCOLS), (port, protocol) => {
      expect(parsePortQuery(`${String(port)}/${protocol}`)).toEqual({ value: port, protocol });
      expect(parsePortQuery(String(port))).toEqual({ value: port, protocol: undefined });
    }),
  );
  fc.assert(
    fc.property(fc.string(), (text) => {
      try {
        const { value } = parsePortQuery(text);
        expect(Number.isInteger(value) && value >= 0 && value <= 65535).toBe(true);
      } catch (error) {
        expect(error instanceof RangeError || error instanceof TypeError).toBe(true);
      }
    }),
  );
});

test("parseNameQuery splits an optional protocol off the last slash", () => {
  expect(parseNameQuery("ssh")).toEqual({ value: "ssh", protocol: undefined });
  expect(parseNameQuery("imaps/TCP")).toEqual({ value: "imaps", protocol: "tcp" });
  expect(() => parseNameQuery("a/b")).toThrow(TypeError);
});
