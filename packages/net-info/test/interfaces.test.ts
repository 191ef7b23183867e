import { execFileSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { findProgram } from "@netlab/test-kit";
import { fromNetworkInterfaces, interfaces } from "../src/index.js";

const ip = findProgram("ip", "iproute2");

interface IpAddrInfo {
  family: string;
  local: string;
  prefixlen: number;
  label?: string;
  scope: string;
  tentative?: boolean;
}
interface IpLink {
  ifindex: number;
  ifname: string;
  flags: string[];
  address?: string;
  addr_info: IpAddrInfo[];
}

describe.skipIf(ip.skip)("interfaces() agrees with ip -j addr", () => {
  test("every address of every running interface, with prefix length, MAC and scope id", () => {
    const links = JSON.parse(execFileSync("ip", ["-j", "addr"], { encoding: "utf8" })) as IpLink[];
    // The OS lists addresses only for interfaces that are up and running.
    const expected = links
      .filter((link) => link.flags.includes("UP") && (link.flags.includes("LOWER_UP") || link.flags.includes("LOOPBACK")))
      .flatMap((link) =>
        link.addr_info
          .filter((info) => !info.tentative)
          .map((info) => ({
            name: info.family === "inet" ? (info.label ?? link.ifname) : link.ifname,
            family: info.family === "inet" ? 4 : 6,
            address: info.local,
            prefixLength: info.prefixlen,
            cidr: `${info.local}/${info.prefixlen}`,
            mac: link.address ?? "00:00:00:00:00:00",
            ...(info.family === "inet6" ? { scopeId: info.scope === "link" ? link.ifindex : 0 } : {}),
          })),
      );
    const key = (entry: { name: string; address: string }): string => `${entry.name} ${entry.address}`;
    const actual = interfaces().map(({ name, family, address, prefixLength, cidr, mac, scopeId }) => ({
      name,
      family,
      address,
      prefixLength,
      cidr,
      mac,
      ...(scopeId === undefined ? {} : { scopeId }),
    }));
    expect(actual.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(expected.sort((a, b) => key(a).localeCompare(key(b))));
  });

  test("loopback is there and internal", () => {
    const loopback = interfaces().filter((entry) => entry.internal);
    expect(loopback.map(({ address }) => address)).toContain("127.0.0.1");
    for (const entry of loopback) expect(entry.name).toMatch(/^lo/);
  });
});

describe("fromNetworkInterfaces()", () => {
  test("turns os.networkInterfaces() entries into our shape", () => {
    expect(
      fromNetworkInterfaces({
        eth0: [
          { address: "192.168.1.20", netmask: "255.255.255.0", family: "IPv4", mac: "02:00:00:00:00:01", internal: false, cidr: "192.168.1.20/24" },
          {
            address: "fe80::1",
            netmask: "ffff:ffff:ffff:ffff::",
            family: "IPv6",
            mac: "02:00:00:00:00:01",
            internal: false,
            cidr: "fe80::1/64",
            scopeid: 2,
          },
        ],
        weird: [{ address: "10.0.0.1", netmask: "255.0.255.0", family: "IPv4", mac: "02:00:00:00:00:02", internal: false, cidr: null }],
      }),
    ).toEqual([
      {
        name: "eth0",
        family: 4,
        address: "192.168.1.20",
        netmask: "255.255.255.0",
        prefixLength: 24,
        cidr: "192.168.1.20/24",
        mac: "02:00:00:00:00:01",
        internal: false,
      },
      {
        name: "eth0",
        family: 6,
        address: "fe80::1",
        netmask: "ffff:ffff:ffff:ffff::",
        prefixLength: 64,
        cidr: "fe80::1/64",
        mac: "02:00:00:00:00:01",
        internal: false,
        scopeId: 2,
      },
      // A non-contiguous netmask has no prefix length: the address is reported as a host.
      {
        name: "weird",
        family: 4,
        address: "10.0.0.1",
        netmask: "255.0.255.0",
        prefixLength: 32,
        cidr: "10.0.0.1/32",
        mac: "02:00:00:00:00:02",
        internal: false,
      },
    ]);
  });
});
