import { describe, expect, test } from "vitest";
import { RecentIds } from "../src/recent-ids.js";

describe("RecentIds", () => {
  test("remembers the last `size` ids and forgets the oldest first", () => {
    const ids = new RecentIds(3);
    for (const id of ["a", "b", "c", "d"]) ids.add(id);
    expect(["a", "b", "c", "d"].map((id) => ids.has(id))).toEqual([false, true, true, true]);
    // Adding an id again does not make it newer: b is still the oldest.
    ids.add("b");
    ids.add("e");
    expect(["b", "c", "d", "e"].map((id) => ids.has(id))).toEqual([false, true, true, true]);
  });
});
