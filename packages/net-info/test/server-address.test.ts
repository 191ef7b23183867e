import fc from "fast-check";
import { expect, test } from "vitest";
import { formatServerAddress, parseServerAddress, ServerAddressError } from "../src/index.js";

test.each([
  ["127.0.0.1", "127.0.0.1", 53],
  ["127.0.0.1:5353", "127.0.0.1", 5353],
  ["::1", "::1", 53],
  ["[::1]", "::1", 53],
  ["[::1]:5353", "::1", 5353],
  ["[2001:db8::53]:65535", "2001:db8::53", 65535],
])("parseServerAddress(%s)", (input, address, port) => {
  expect(parseServerAddress(input)).toEqual({ address, port });
});

test.each(["", "localhost", "dns.example:53", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:x", "[127.0.0.1]:53", "[::1]:", "1.2.3:53", "::1:99999x"])(
  "parseServerAddress(%j) is a ServerAddressError",
  (input) => {
    expect(() => parseServerAddress(input)).toThrow(ServerAddressError);
  },
);

test("the error names the input and has code BAD_SERVER", () => {
  expect(() => parseServerAddress("dns.example:53")).toThrow(
    expect.objectContaining({ code: "BAD_SERVER", input: "dns.example:53", message: expect.stringContaining('"dns.example:53"') }),
  );
});

test("format then parse gives back any IPv4 or IPv6 server address and port", () => {
  const server = fc.record({
    address: fc.oneof(fc.ipV4(), fc.ipV6()),
    port: fc.integer({ min: 1, max: 65535 }),
  });
  fc.assert(fc.property(server, (value) => {
    const parsed = parseServerAddress(formatServerAddress(value));
    return parsed.address === value.address && parsed.port === value.port;
  }));
});
