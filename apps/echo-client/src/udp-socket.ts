import dgram from "node:dgram";
import dns from "node:dns/promises";
import net from "node:net";
import { describeNetworkError } from "./errors.js";
import { formatTarget, type EchoTarget } from "./target.js";

/** A UDP socket connected to the target (so only its replies arrive), name resolved first. */
export async function openDatagram(target: EchoTarget): Promise<dgram.Socket> {
  const name = formatTarget(target.host, target.port);
  let address = target.host;
  let family = net.isIP(address);
  if (family === 0) {
    try {
      if (target.lookup) {
        const lookup = target.lookup;
        ({ address, family } = await new Promise<{ address: string; family: number }>((resolve, reject) =>
          lookup(target.host, {}, (error, found, foundFamily) => (error ? reject(error) : resolve({ address: String(found), family: foundFamily ?? 4 }))),
        ));
      } else {
        ({ address, family } = await dns.lookup(target.host));
      }
    } catch (error) {
      throw describeNetworkError(error, name);
    }
  }
  const socket = dgram.createSocket(family === 6 ? "udp6" : "udp4");
  await new Promise<void>((resolve, reject) => {
    socket.once("error", (error) => reject(describeNetworkError(error, name)));
    socket.connect(target.port, address, () => resolve());
  });
  return socket;
}
