import { dnsmasqProgram, startDnsmasq, type Dnsmasq } from "@netlab/test-kit";

/** Names the lab's DNS server knows; anything else under netlab.test is NXDOMAIN. */
export const LAB_HOST = "alpha.netlab.test";
export const LAB_MISSING_HOST = "missing.netlab.test";

/** dnsmasq on a free loopback port with the lab's zone, or undefined when dnsmasq is not installed. */
export async function startLabDns(): Promise<Dnsmasq | undefined> {
  if (dnsmasqProgram().skip) return undefined;
  return startDnsmasq({ args: [`--host-record=${LAB_HOST},10.9.8.7,fd00::7`, "--local=/netlab.test/"] });
}
