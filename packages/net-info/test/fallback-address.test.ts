import { expect, test } from "vitest";
import { fallbackAddress, type InterfaceAddress } from "../src/index.js";

function entry(name: string, address: string, internal = false): InterfaceAddress {
  const family = address.includes(":") ? 6 : 4;
  const prefixLength = family === 4 ? 24 : 64;
  return { name, family, address, netmask: "", prefixLength, cidr: `${address}/${prefixLength}`, mac: "02:00:00:00:00:01", internal };
}

const lo4 = entry("lo", "127.0.0.1", true);
const lo6 = entry("lo", "::1", true);

test.each([
  ["the first non-internal address", [lo4, entry("eth0", "192.168.1.20"), entry("wlan0", "10.0.0.5")], 4, "192.168.1.20", "interface"],
  ["a real adapter over a VirtualBox host-only one listed first", [entry("vboxnet0", "192.168.56.1"), entry("eth0", "192.168.1.20")], 4, "192.168.1.20", "interface"],
  ["a real adapter over docker and bridges", [entry("docker0", "172.17.0.1"), entry("br-1a2b", "172.18.0.1"), entry("enp3s0", "10.1.2.3")], 4, "10.1.2.3", "interface"],
  ["a routable address over a link-local one", [entry("eth0", "169.254.10.1"), entry("eth1", "10.1.2.3")], 4, "10.1.2.3", "interface"],
  ["a global IPv6 address over fe80::", [lo6, entry("eth0", "fe80::1"), entry("eth0", "2001:db8::20")], 6, "2001:db8::20", "interface"],
  ["a host-only address when it is all there is", [lo4, entry("vboxnet0", "192.168.56.1")], 4, "192.168.56.1", "interface"],
  ["loopback when there is no other address", [lo4, lo6], 4, "127.0.0.1", "loopback"],
  ["IPv6 loopback for family 6", [lo4, lo6, entry("eth0", "10.0.0.1")], 6, "::1", "loopback"],
  ["127.0.0.1 even from an empty list", [], 4, "127.0.0.1", "loopback"],
  ["::1 even from an empty list", [], 6, "::1", "loopback"],
] as const)("picks %s", (_what, list, family, address, source) => {
  expect(fallbackAddress(list, family)).toMatchObject({ address, family, source });
});
