import { PROTOCOLS, protocolIndex, type Protocol } from "./protocol.js";
import type { Service } from "./service.js";
import type { ServiceIndex } from "./service-index.js";

/** One services(5) line: its names, port, protocol and comment; its Service value is built on first use. */
interface TableEntry {
  readonly names: readonly string[];
  readonly port: number;
  readonly protocolIndex: number;
  readonly comment: string | undefined;
  service: Service | undefined;
}

/** Describes a line that has no comment of its own (service-db asks the registry). */
export type DescribeService = (name: string, port: number, protocolIndex: number) => string | undefined;

/** The services of a services(5) file, indexed by port/protocol and by name, in file order as libc reads it. */
export class ServiceTable implements ServiceIndex {
  private readonly byPortProtocol = new Map<number, TableEntry>();
  private readonly byLowerName = new Map<string, TableEntry[]>();
  private readonly describe: DescribeService | undefined;

  constructor(describe?: DescribeService) {
    this.describe = describe;
  }

  /** Adds a line; the first line for a port/protocol is the one that answers by port. */
  addLine(names: readonly string[], port: number, protocolIndex: number, comment?: string): void {
    const entry: TableEntry = { names, port, protocolIndex, comment, service: undefined };
    const slot = port * PROTOCOLS.length + protocolIndex;
    if (!this.byPortProtocol.has(slot)) this.byPortProtocol.set(slot, entry);
    for (const name of names) {
      const key = name.toLowerCase();
      const list = this.byLowerName.get(key);
      if (list === undefined) this.byLowerName.set(key, [entry]);
      else if (!list.includes(entry)) list.push(entry);
    }
  }

  byPort(port: number, protocolIndex: number): Service | undefined {
    const entry = this.byPortProtocol.get(port * PROTOCOLS.length + protocolIndex);
    return entry === undefined ? undefined : this.serviceOf(entry);
  }

  ports(): number[] {
    const ports = new Set<number>();
    for (const slot of this.byPortProtocol.keys()) ports.add(Math.floor(slot / PROTOCOLS.length));
    return [...ports].sort((a, b) => a - b);
  }

  byName(lowerName: string, protocolIndex: number | undefined): Service | undefined {
    const list = this.byLowerName.get(lowerName);
    if (list === undefined) return undefined;
    for (let index = 0; index < PROTOCOLS.length; index++) {
      if (protocolIndex !== undefined && index !== protocolIndex) continue;
      for (const entry of list) {
        if (entry.protocolIndex === index) return this.serviceOf(entry);
      }
    }
    return undefined;
  }

  private serviceOf(entry: TableEntry): Service {
    if (entry.service !== undefined) return entry.service;
    const [name = "", ...aliases] = entry.names;
    const description = entry.comment ?? this.describe?.(name, entry.port, entry.protocolIndex);
    entry.service = Object.freeze({
      name,
      port: entry.port,
      protocol: PROTOCOLS[entry.protocolIndex] as Protocol,
      aliases: Object.freeze(aliases),
      ...(description === undefined ? {} : { description }),
      source: "system" as const,
    });
    return entry.service;
  }
}

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
