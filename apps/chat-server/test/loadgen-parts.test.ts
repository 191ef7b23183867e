import { percentile } from "@netlab/bench-kit";
import { describe, expect, test } from "vitest";
import { describeFailures, LoadLimitError } from "../bench/loadgen/errors.js";
import { lineKind, pingToken, sentAt } from "../bench/loadgen/lines.js";
import { pool, Reservoir } from "../bench/loadgen/reservoir.js";
import { assignTargets, loopbackSources, parseTarget } from "../bench/loadgen/targets.js";

const kind = (line: string) => lineKind(line, 0, line.length);

describe("load client lines", () => {
  test("tells the replies it acts on from the rest", () => {
    expect(kind(":irc.x 001 a :Welcome")).toBe("welcome");
    expect(kind("PING :irc.x")).toBe("ping");
    expect(kind(":irc.x 366 a #c :End of /NAMES list.")).toBe("endOfNames");
    expect(kind(":a!u@h PRIVMSG #c :1700000000000.125 3")).toBe("privmsg");
    expect(kind(":a!u@h QUIT :Node lost")).toBe("quit");
    expect(kind("ERROR :Closing Link: 127.0.0.2 (Too many connections)")).toBe("error");
    expect(kind(":irc.x 433 * a :Nickname is already in use")).toBe("nickRefused");
    expect(kind(":irc.x 353 a = #c :PRIVMSG 001")).toBe("other");
  });

  test("reads the send time of a message and the PING token in place", () => {
    const text = "xx:a!u@h PRIVMSG #c :1700000000000.125 3\r\nPING :tok\r\n";
    expect(sentAt(text, 2, 40)).toBe(1700000000000.125);
    expect(pingToken(text, 42, 51)).toBe(":tok");
  });
});

describe("targets and source addresses", () => {
  test("parses host:port and host:port=weight", () => {
    expect(parseTarget("127.0.0.1:6667")).toEqual({ host: "127.0.0.1", port: 6667 });
    expect(parseTarget("[::1]:7000=2")).toEqual({ host: "::1", port: 7000, weight: 2 });
    expect(() => parseTarget("nohost")).toThrow(RangeError);
  });

  test("interleaves clients over targets by weight, so any run of clients spans them", () => {
    expect([...assignTargets([{ host: "a", port: 1 }, { host: "b", port: 1 }, { host: "c", port: 1 }], 6)]).toEqual([0, 1, 2, 0, 1, 2]);
    const weighted = assignTargets([{ host: "a", port: 1, weight: 3 }, { host: "b", port: 1 }], 8);
    expect(weighted.filter((t) => t === 0)).toHaveLength(6);
    expect([...weighted.slice(0, 4)].sort()).toEqual([0, 0, 0, 1]);
  });

  test("uses enough loopback addresses that none runs out of ports", () => {
    expect(loopbackSources(300, 2)).toEqual(["127.0.0.2", "127.0.0.3"]);
    expect(loopbackSources(100_000)).toHaveLength(100);
  });
});

describe("latency reservoir", () => {
  test("keeps everything up to its size, a sample beyond", () => {
    const small = new Reservoir(10);
    for (let i = 0; i < 5; i++) small.add(i);
    expect([...small.kept()]).toEqual([0, 1, 2, 3, 4]);
    const big = new Reservoir(1_000);
    for (let i = 0; i < 100_000; i++) big.add(i);
    expect(big.seen).toBe(100_000);
    expect(big.kept()).toHaveLength(1_000);
    // A uniform sample of 0..99,999: its median is near 50,000.
    expect(Math.abs(percentile([...big.kept()], 50) - 50_000)).toBeLessThan(8_000);
  });

  test("pools reservoirs in proportion to what each saw", () => {
    const many = { seen: 10_000, values: new Float64Array(1_000).fill(1) };
    const few = { seen: 1_000, values: new Float64Array(1_000).fill(2) };
    const pooled = pool([many, few]);
    expect(pooled.filter((v) => v === 1)).toHaveLength(1_000);
    expect(pooled.filter((v) => v === 2)).toHaveLength(100);
  });
});

describe("load errors", () => {
  test("name the limit with counts, most frequent first", () => {
    const text = describeFailures({ timeout: 3, EMFILE: 120, refused: 2 }, { refused: "ERROR :Closing Link: 127.0.0.2 (Too many connections)" });
    expect(text).toBe("120 EMFILE (a load worker ran out of open files), 3 timeout (no 001 in time), 2 refused (ERROR :Closing Link: 127.0.0.2 (Too many connections))");
    const error = new LoadLimitError("register", 18_342, 19_000, { EMFILE: 120 }, text);
    expect(error.message).toBe(`register stopped at 18342 of 19000: ${text}`);
    expect(error.name).toBe("LoadLimitError");
  });
});
