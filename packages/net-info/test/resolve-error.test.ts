import fc from "fast-check";
import { expect, test } from "vitest";
import { checkHostName } from "../src/host-name-check.js";
import { ResolveError, resolveErrorCode } from "../src/index.js";
import { toResolveError } from "../src/resolve-error.js";

test.each([
  ["ENOTFOUND", "NOT_FOUND"],
  ["ENODATA", "NO_DATA"],
  ["ETIMEOUT", "TIMEOUT"],
  ["ECANCELLED", "ABORTED"],
  ["EREFUSED", "REFUSED"],
  ["ESERVFAIL", "SERVFAIL"],
  ["EBADNAME", "BAD_NAME"],
  ["EFORMERR", "BAD_RESPONSE"],
  ["EBADRESP", "BAD_RESPONSE"],
  ["ENOTIMP", "NOT_IMPLEMENTED"],
  ["ECONNREFUSED", "UNREACHABLE"],
  ["EAI_AGAIN", "TEMPORARY_FAILURE"],
  ["ESOMETHINGNEW", "FAILED"],
  [undefined, "FAILED"],
])("node:dns code %s is %s", (nodeCode, code) => {
  expect(resolveErrorCode(nodeCode)).toBe(code);
});

test("the message says what and why; the cause is kept", () => {
  const cause = Object.assign(new Error("queryA ENOTFOUND www.example.invalid"), { code: "ENOTFOUND" });
  const error = toResolveError(cause, "www.example.invalid");
  expect(error).toBeInstanceOf(ResolveError);
  expect(error).toBeInstanceOf(Error);
  expect(error.message).toBe("could not resolve www.example.invalid: no such host");
  expect(error).toMatchObject({ name: "ResolveError", code: "NOT_FOUND", host: "www.example.invalid", reason: "no such host", cause });
  expect(toResolveError(error, "other")).toBe(error);
});

test("an unknown failure keeps the original text as its reason", () => {
  const error = toResolveError(Object.assign(new Error("getaddrinfo EWEIRD x"), { code: "EWEIRD" }), "x", "reverse");
  expect(error.message).toBe("could not reverse-resolve x: getaddrinfo EWEIRD x");
});

test.each([
  ["", "the name is empty"],
  [".", "the name is empty"],
  ["a..b", "the name has an empty label"],
  [".a", "the name has an empty label"],
  ["has space.test", "the name contains a space or a control character"],
  ["tab\there", "the name contains a space or a control character"],
  [`${"a".repeat(64)}.test`, "a label is longer than 63 characters"],
  [Array.from({ length: 64 }, () => "abc").join("."), "the name is 255 characters long, at most 253 are allowed"],
])("checkHostName(%j) is BAD_NAME: %s", (host, reason) => {
  expect(() => checkHostName(host)).toThrow(new ResolveError(host, "BAD_NAME", { reason: `not a valid host name: ${reason}` }));
});

test.each(["localhost", "www.example.org", "www.example.org.", "_sip._udp.example.org", "xn--bcher-kva.example", `${"a".repeat(63)}.test`])(
  "checkHostName(%j) passes",
  (host) => {
    expect(() => checkHostName(host)).not.toThrow();
  },
);

test("any name made of valid labels passes", () => {
  const label = fc.stringMatching(/^[a-z0-9_-]{1,63}$/);
  const name = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join("."));
  fc.assert(fc.property(name, (host) => {
    checkHostName(host);
    return true;
  }));
});
