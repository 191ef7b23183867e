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

// One regular expression over the whole text: matching natively beats splitting each line in JavaScript.
const ENTRY = /^[ \t]*([^\s#]+)[ \t]+(\d{1,5})\/([A-Za-z0-9-]+)(?=[\s#]|$)([^#\n]*)(?:#([^\n]*))?$/gm;
const CONTENT_LINE = /^[ \t]*[^\s#]/gm;

/**
 * Parses services(5) text: `name port/protocol [aliases...] [# comment]`; bad lines are skipped
 * and counted. A line's comment becomes its description, else `describe` is asked.
 */
export function parseServicesFile(text: string, describe?: DescribeService): ServicesFile {
  const table = new ServiceTable(describe);
  let entries = 0;
  let otherProtocolLines = 0;
  for (const [, name = "", portText = "", protocol = "", rest = "", comment = ""] of text.matchAll(ENTRY)) {
    const port = Number(portText);
    if (port > 65535) continue;
    const index = protocolIndex(protocol.toLowerCase());
    if (index < 0) {
      otherProtocolLines++;
      continue;
    }
    const aliases = rest.trim() === "" ? [] : rest.trim().split(/\s+/);
    const description = comment.trim();
    table.addLine(Object.freeze([name, ...aliases]), port, index, description === "" ? undefined : description);
    entries++;
  }
  const contentLines = text.match(CONTENT_LINE)?.length ?? 0;
  return { table, entries, malformedLines: contentLines - entries - otherProtocolLines, otherProtocolLines };
}
