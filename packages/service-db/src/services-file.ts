import { PROTOCOLS, type Protocol } from "./protocol.js";
import type { Service } from "./service.js";
import type { ServiceIndex } from "./service-index.js";
import { ServicesLine } from "./services-line.js";

/** Describes a line that has no comment of its own (service-db asks the registry). */
export type DescribeService = (name: string, port: number, protocolIndex: number) => string | undefined;

const MISSING_NAMES_KEPT = 1024;

/** What a pass over every line finds: the counts and the ports. */
interface WholeFile {
  readonly entries: number;
  readonly malformedLines: number;
  readonly otherProtocolLines: number;
  readonly ports: readonly number[];
}

/**
 * The services of a services(5) file, answered from its text as libc reads it (the first line
 * for a port/protocol or a name wins). Nothing is indexed up front: a lookup searches the text
 * for its port or name, reads only the lines it finds there, and keeps the answer.
 */
export class ServiceTable implements ServiceIndex {
  private readonly text: string;
  private readonly describe: DescribeService | undefined;
  /** One line reader, reused: reading a line allocates nothing. */
  private readonly line = new ServicesLine();
  /** Answers by port/protocol slot; null for a slot known to be empty. */
  private readonly byPortCache = new Map<number, Service | null>();
  /** The answer on each protocol, by lower-case name; names found only, so it stays as small as the file. */
  private readonly byNameCache = new Map<string, (Service | undefined)[]>();
  /** Names the file lacks, asked recently: asking again stays a set lookup (bounded, as any name can be asked). */
  private readonly missingNames = new Set<string>();
  /** The Service of each line answered so far, by where the line starts: one object per answer. */
  private readonly services = new Map<number, Service>();
  private lowerText: string | undefined;
  private wholeFile: WholeFile | undefined;

  constructor(text: string, describe?: DescribeService) {
    this.text = text;
    this.describe = describe;
  }

  byPort(port: number, protocolIndex: number): Service | undefined {
    const slot = port * PROTOCOLS.length + protocolIndex;
    let cached = this.byPortCache.get(slot);
    if (cached === undefined) {
      this.findPort(port);
      cached = this.byPortCache.get(slot) ?? null;
    }
    return cached ?? undefined;
  }

  byName(lowerName: string, protocolIndex: number | undefined): Service | undefined {
    let services = this.byNameCache.get(lowerName);
    if (services === undefined) {
      if (this.missingNames.has(lowerName)) return undefined;
      const lines = this.findName(lowerName);
      if (lines.every((at) => at < 0)) {
        if (this.missingNames.size >= MISSING_NAMES_KEPT) this.missingNames.clear();
        this.missingNames.add(lowerName);
        return undefined;
      }
      services = lines.map((at) => (at < 0 ? undefined : this.serviceAt(at)));
      this.byNameCache.set(lowerName, services);
    }
    if (protocolIndex !== undefined) return services[protocolIndex];
    for (const service of services) if (service !== undefined) return service;
    return undefined;
  }

  ports(): number[] {
    return [...this.readWholeFile().ports];
  }

  /** Lines that are entries, malformed, or for another protocol; counted on the first call. */
  counts(): { entries: number; malformedLines: number; otherProtocolLines: number } {
    const { entries, malformedLines, otherProtocolLines } = this.readWholeFile();
    return { entries, malformedLines, otherProtocolLines };
  }

  /** Reads the lines where `port/` occurs and keeps the first entry for each protocol on that port. */
  private findPort(port: number): void {
    const { text, line } = this;
    const first = [-1, -1, -1, -1];
    const needle = `${String(port)}/`;
    for (let hit = text.indexOf(needle); hit >= 0; hit = text.indexOf(needle, line.next)) {
      const start = text.lastIndexOf("\n", hit) + 1;
      if (line.read(text, start) === "entry" && line.port === port && first[line.protocolIndex] === -1) first[line.protocolIndex] = start;
    }
    first.forEach((at, index) => this.byPortCache.set(port * PROTOCOLS.length + index, at < 0 ? null : this.serviceAt(at)));
  }

  /** The first entry line naming `lowerName` on each protocol, -1 where there is none. */
  private findName(lowerName: string): number[] {
    const { text, line } = this;
    this.lowerText ??= text.toLowerCase();
    // Lower-casing kept every offset unless some character grew (rare outside ASCII): then read every line.
    const lower = this.lowerText.length === text.length ? this.lowerText : undefined;
    const first = [-1, -1, -1, -1];
    let at = lower === undefined ? 0 : lower.indexOf(lowerName);
    while (at >= 0 && at < text.length) {
      const start = lower === undefined ? at : text.lastIndexOf("\n", at) + 1;
      const isEntry = line.read(text, start) === "entry";
      if (isEntry && first[line.protocolIndex] === -1 && line.names(text).some((name) => name.toLowerCase() === lowerName)) {
        first[line.protocolIndex] = start;
      }
      at = lower === undefined ? line.next : lower.indexOf(lowerName, line.next);
    }
    return first;
  }

  private readWholeFile(): WholeFile {
    if (this.wholeFile !== undefined) return this.wholeFile;
    const { text, line } = this;
    let entries = 0;
    let malformedLines = 0;
    let otherProtocolLines = 0;
    const ports = new Set<number>();
    for (let at = 0; at < text.length; at = line.next) {
      const kind = line.read(text, at);
      if (kind === "entry") {
        entries++;
        ports.add(line.port);
      } else if (kind === "other") otherProtocolLines++;
      else if (kind === "malformed") malformedLines++;
    }
    this.wholeFile = { entries, malformedLines, otherProtocolLines, ports: [...ports].sort((a, b) => a - b) };
    return this.wholeFile;
  }

  private serviceAt(start: number): Service {
    const known = this.services.get(start);
    if (known !== undefined) return known;
    const { text, line } = this;
    line.read(text, start);
    const { port, protocolIndex } = line;
    const [name = "", ...aliases] = line.names(text);
    const description = line.comment(text) ?? this.describe?.(name, port, protocolIndex);
    const service: Service = Object.freeze({
      name,
      port,
      protocol: PROTOCOLS[protocolIndex] as Protocol,
      aliases: Object.freeze(aliases),
      ...(description === undefined ? {} : { description }),
      source: "system" as const,
    });
    this.services.set(start, service);
    return service;
  }
}

/** A services(5) file read into a table, with what was left out (counted on first use). */
export interface ServicesFile {
  readonly table: ServiceTable;
  readonly entries: number;
  /** Lines that are not `name port/protocol [aliases...]`. */
  readonly malformedLines: number;
  /** Well-formed lines for a protocol other than tcp, udp, sctp, dccp (ddp, say). */
  readonly otherProtocolLines: number;
}

/**
 * Reads services(5) text: `name port/protocol [aliases...] [# comment]`; bad lines are skipped
 * and counted. A line's comment becomes its description, else `describe` is asked. Lines are
 * read when a lookup or a count needs them.
 */
export function parseServicesFile(text: string, describe?: DescribeService): ServicesFile {
  const table = new ServiceTable(text, describe);
  return {
    table,
    get entries() {
      return table.counts().entries;
    },
    get malformedLines() {
      return table.counts().malformedLines;
    },
    get otherProtocolLines() {
      return table.counts().otherProtocolLines;
    },
  };
}
