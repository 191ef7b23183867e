import { expect, test } from "vitest";
import { assertPort } from "../src/index.js";

test.each([0, 80, 65535])("accepts port %d", (port) => {
  expect(() => assertPort(port)).not.toThrow();
});

test.each([-1, 65536, 1.5, Number.NaN])("rejects port %d with a RangeError naming it", (port) => {
  expect(() => assertPort(port)).toThrow(new RangeError(`port must be an integer in 0..65535, got ${String(port)}`));
});
