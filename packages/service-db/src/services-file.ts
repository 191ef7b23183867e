import { protocolIndex } from "./protocol.js";
import { ServiceTable, type DescribeService } from "./service-table.js";

/** A services(5) file read into a table, with what was left out. */
export interface ServicesFile {
  readonly table: ServiceTable;
  readonly entries: number;
  /** Lines that are not `name port/protocol [aliases...]`. */
  readonly malformedLines: number;
  /** Well-formed lines for a protocol other than tcp, udp, sctp, dccp (ddp, say). */
  readonly otherProtocolLines: number;
}

const PORT_PROTOCOL = /^(\d{1,5})\/([A-Za-z0-9-]+)$/;

/**
 * Parses services(5) text: `name port/protocol [aliases...] [# comment]`; bad lines are skipped
 * and counted. A line's comment becomes its description, else `describe` is asked.
 */
export function parseServicesFile(text: string, describe?: DescribeService): ServicesFile {
  const table = new ServiceTable(describe);
  let entries = 0;
  let malformedLines = 0;
  let otherProtocolLines = 0;
  for (const line of text.split("\n")) {
    const hash = line.indexOf("#");
    const fields = (hash < 0 ? line : line.slice(0, hash)).split(/\s+/).filter((f) => f !== "");
    if (fields.length === 0) continue;
    const [name, portProtocol = "", ...aliases] = fields as [string, ...string[]];
    const match = PORT_PROTOCOL.exec(portProtocol);
    const port = Number(match?.[1]);
    if (match === null || port > 65535) {
      malformedLines++;
      continue;
    }
    const index = protocolIndex((match[2] ?? "").toLowerCase());
    if (index < 0) {
      otherProtocolLines++;
      continue;
    }
    const comment = hash < 0 ? "" : line.slice(hash + 1).trim();
    table.addLine(Object.freeze([name, ...aliases]), port, index, comment === "" ? undefined : comment);
    entries++;
  }
  return { table, entries, malformedLines, otherProtocolLines };
}
