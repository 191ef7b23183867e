import type { Argv } from "yargs";
import { hostName } from "../host-name.js";
import { interfaces } from "../interfaces.js";
import { primaryAddress } from "../primary-address.js";
import type { CliIo } from "./cli-io.js";
import { interfaceTable } from "./interface-table.js";

/** `net-info` alone: the lab's two lines (host name, primary address), then the interfaces. */
export function showCommand<T extends { json: boolean }>(parser: Argv<T>, io: CliIo): Argv<T> {
  return parser
    .command(
      "$0",
      "Print this machine's host name, primary IPv4/IPv6 addresses and interface table",
      (command) => command,
      async (argv) => {
        const [ipv4, ipv6] = await Promise.all([primaryAddress({ family: 4 }), primaryAddress({ family: 6 })]);
        const list = interfaces();
        if (argv.json) {
          io.stdout(`${JSON.stringify({ hostName: hostName(), primaryAddress: { ipv4, ipv6 }, interfaces: list }, null, 2)}\n`);
          return;
        }
        const lines = [`Host name: ${hostName()}`, `IP address: ${ipv4.address}`, `IPv6 address: ${ipv6.address}`];
        io.stdout(`${lines.join("\n")}\n\n${interfaceTable(list)}\n`);
      },
    )
    .command(
      "interfaces",
      "Print every interface address with its prefix length, MAC and scope",
      (command) => command,
      (argv) => {
        const list = interfaces();
        io.stdout(argv.json ? `${JSON.stringify(list, null, 2)}\n` : `${interfaceTable(list)}\n`);
      },
    );
}
