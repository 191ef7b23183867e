import { describe, expect, it } from "vitest";
import { alternatingOrder, ratio, runAlternating } from "../src/rounds.js";

describe("alternatingOrder", () => {
  it("alternates two variants AB BA AB", () => {
    expect(alternatingOrder(["A", "B"], 3)).toEqual([
      ["A", "B"],
      ["B", "A"],
      ["A", "B"],
    ]);
  });

  it("reverses three or more every other round, so each pair of rounds mirrors places", () => {
    const order = alternatingOrder(["A", "B", "C"], 4);
    expect(order.map((round) => round.join(""))).toEqual(["ABC", "CBA", "ABC", "CBA"]);
    // Over each pair of rounds, every variant's places sum to the same.
    const [first = [], second = []] = order;
    for (const v of ["A", "B", "C"]) expect(first.indexOf(v) + second.indexOf(v)).toBe(2);
  });

  it("refuses fewer than two variants or no rounds", () => {
    expect(() => alternatingOrder(["A"], 2)).toThrow(RangeError);
    expect(() => alternatingOrder(["A", "B"], 0)).toThrow(RangeError);
    expect(() => alternatingOrder(["A", "B"], 1.5)).toThrow(RangeError);
  });
});

describe("runAlternating", () => {
  it("runs in alternating order and groups results by name", async () => {
    const log: string[] = [];
    const variant = (name: string) => ({
      name,
      run: async (round: number) => {
        log.push(`${name}${round}`);
        return round * 10 + name.length;
      },
    });
    const results = await runAlternating([variant("a"), variant("bb")], 3);
    expect(log).toEqual(["a0", "bb0", "bb1", "a1", "a2", "bb2"]);
    expect(results.get("a")).toEqual([1, 11, 21]);
    expect(results.get("bb")).toEqual([2, 12, 22]);
  });

  it("refuses two variants of one name", async () => {
    await expect(runAlternating([{ name: "x", run: () => 1 }, { name: "x", run: () => 2 }], 1)).rejects.toThrow(RangeError);
  });
});

describe("ratio", () => {
  it("gives the best-of ratio and the median and range of per-round ratios", () => {
    // Per round: 2, 1.5, 3.
    expect(ratio([200, 150, 330], [100, 100, 110])).toEqual({ best: 3, median: 2, min: 1.5, max: 3 });
  });

  it("takes the lowest as best when lower is better", () => {
    const r = ratio([2, 4], [4, 4], { better: "lower" });
    expect(r.best).toBe(0.5);
    expect(r.median).toBe(0.75);
    expect([r.min, r.max]).toEqual([0.5, 1]);
  });

  it("refuses empty or unequal lists", () => {
    expect(() => ratio([], [])).toThrow(RangeError);
    expect(() => ratio([1, 2], [1])).toThrow(RangeError);
  });
});
