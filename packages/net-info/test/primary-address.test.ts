import { execFileSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { findProgram } from "@netlab/test-kit";
import { fallbackAddress, interfaces, primaryAddress, routeSourceAddress } from "../src/index.js";

const ip = findProgram("ip", "iproute2");

// What `ip route get` says the kernel would use as source for destination, if it has a route.
function kernelSource(family: 4 | 6, destination: string): string | undefined {
  try {
    const [route] = JSON.parse(execFileSync("ip", [`-${family}`, "-j", "route", "get", destination], { encoding: "utf8" })) as {
      prefsrc?: string;
    }[];
    return route?.prefsrc;
  } catch {
    return undefined;
  }
}

describe.skipIf(ip.skip)("primaryAddress() on this machine", () => {
  test.each([
    [4, "192.0.2.1"],
    [6, "2001:db8::1"],
  ] as const)("IPv%i: the routing table's source address, or the fallback when there is no route", async (family, destination) => {
    const primary = await primaryAddress({ family });
    const fromKernel = kernelSource(family, destination);
    if (fromKernel === undefined) {
      expect(primary).toEqual(fallbackAddress(interfaces(), family));
    } else {
      expect(primary).toMatchObject({ address: fromKernel, family, source: "route" });
      expect(interfaces().find((entry) => entry.address === fromKernel)?.name).toBe(primary.interface);
    }
  });

  test("the destination decides: loopback for a loopback destination", async () => {
    expect(await primaryAddress({ family: 4, destination: "127.0.0.1" })).toEqual({
      address: "127.0.0.1",
      family: 4,
      interface: interfaces().find((entry) => entry.address === "127.0.0.1")?.name,
      source: "route",
    });
    if (interfaces().some(({ address }) => address === "::1")) {
      expect(await primaryAddress({ family: 6, destination: "::1" })).toMatchObject({ address: "::1", source: "route" });
    }
  });

  test("a destination of the other family is a RangeError", async () => {
    await expect(primaryAddress({ family: 6, destination: "127.0.0.1" })).rejects.toBeInstanceOf(RangeError);
  });
});

test("a destination the kernel gives no source for (broadcast) falls back to the interface list", async () => {
  expect(await routeSourceAddress("255.255.255.255", 4)).toBe("0.0.0.0");
  expect(await primaryAddress({ family: 4, destination: "255.255.255.255" })).toEqual(fallbackAddress(interfaces(), 4));
});

// A network namespace of our own has no route and no running interface.
function canUnshareNetwork(): boolean {
  try {
    execFileSync("unshare", ["-rn", "true"], { stdio: "ignore", timeout: 5_000 });
    return true;
  } catch {
    console.warn("SKIPPED: unshare -rn (a user and network namespace) is not allowed here");
    return false;
  }
}

describe.skipIf(!canUnshareNetwork())("with no route at all (a fresh network namespace)", () => {
  test("primaryAddress() falls back to loopback", () => {
    const script = `
      const { primaryAddress } = await import(${JSON.stringify(new URL("../dist/index.js", import.meta.url).href)});
      console.log(JSON.stringify([await primaryAddress({ family: 4 }), await primaryAddress({ family: 6 })]));`;
    const output = execFileSync("unshare", ["-rn", process.execPath, "--input-type=module", "-e", script], { encoding: "utf8", timeout: 10_000 });
    expect(JSON.parse(output)).toEqual([
      { address: "127.0.0.1", family: 4, source: "loopback" },
      { address: "::1", family: 6, source: "loopback" },
    ]);
  });
});
