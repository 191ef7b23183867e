import { PROTOCOLS, type Protocol } from "./protocol.js";
import type { NameOnlyService, PortRange, Service } from "./service.js";
import type { ServiceIndex } from "./service-index.js";

/** The letter of each protocol in the text form, by index in PROTOCOLS. */
const LETTERS = ["t", "u", "s", "d"];
const TAB = 9;

/** One line of the text form. */
interface Line {
  readonly port: number | undefined;
  readonly protocols: string;
  readonly name: string;
  readonly range: PortRange | undefined;
  readonly description: string | undefined;
}

/**
 * The embedded registry, answered straight from its text form (registry-format.ts) with no
 * index to build first: a port lookup binary-searches the sorted lines, a name lookup
 * searches the text, and each answer is kept for the next time.
 */
export class RegistryIndex implements ServiceIndex {
  private readonly text: string;
  /** Where the port lines end: the line break before the empty line. */
  private readonly portEnd: number;
  private lowerText: string | undefined;
  /** Answers by port/protocol slot; null for a slot known to be empty. */
  private readonly byPortCache = new Map<number, Service | null>();
  /** Answers by lower-case name, one map per protocol index and one for "any" (hits only, so they stay as small as the registry). */
  private readonly byNameCache = Array.from({ length: PROTOCOLS.length + 1 }, () => new Map<string, Service>());

  constructor(text: string) {
    this.text = text;
    const gap = text.indexOf("\n\n");
    this.portEnd = gap < 0 ? text.length : gap;
  }

  byPort(port: number, protocolIndex: number): Service | undefined {
    const slot = port * PROTOCOLS.length + protocolIndex;
    const cached = this.byPortCache.get(slot);
    if (cached !== undefined) return cached ?? undefined;
    const letter = LETTERS[protocolIndex] ?? "";
    let primary: Line | undefined;
    const aliases: string[] = [];
    for (let at = this.firstLineFrom(port); at < this.portEnd && this.portAt(at) === port; at = this.nextLine(at)) {
      const line = this.lineAt(at);
      if (!line.protocols.includes(letter)) continue;
      if (primary === undefined) primary = line;
      else if (line.name !== primary.name && !aliases.includes(line.name)) aliases.push(line.name);
    }
    const service = primary === undefined ? null : makeService(primary, port, protocolIndex, aliases);
    this.byPortCache.set(slot, service);
    return service ?? undefined;
  }

  byName(lowerName: string, protocolIndex: number | undefined): Service | undefined {
    const cache = this.byNameCache[protocolIndex ?? PROTOCOLS.length] as Map<string, Service>;
    const cached = cache.get(lowerName);
    if (cached !== undefined) return cached;
    // The first port line naming it on each protocol; lines are in port order.
    const firstPort: (number | undefined)[] = [];
    for (const at of this.linesNamed(lowerName)) {
      if (at >= this.portEnd) break;
      const line = this.lineAt(at);
      PROTOCOLS.forEach((_, index) => {
        if (firstPort[index] === undefined && line.protocols.includes(LETTERS[index] ?? "")) firstPort[index] = line.port;
      });
      if (protocolIndex === undefined ? firstPort[0] !== undefined : firstPort[protocolIndex] !== undefined) break;
    }
    for (let index = 0; index < PROTOCOLS.length; index++) {
      if (protocolIndex !== undefined && index !== protocolIndex) continue;
      const port = firstPort[index];
      const found = port === undefined ? undefined : this.byPort(port, index);
      if (found !== undefined) {
        cache.set(lowerName, found);
        return found;
      }
    }
    return undefined;
  }

  /** A registration of this name (any case) with no port/protocol pair, on the protocol when one is given. */
  nameOnlyByName(name: string, protocol: Protocol | undefined): NameOnlyService | undefined {
    for (const at of this.linesNamed(name)) {
      if (at < this.portEnd) continue;
      const found = nameOnlyServices(this.lineAt(at)).find((s) => protocol === undefined || s.protocol === undefined || s.protocol === protocol);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Every registration with no port/protocol pair, in registry order. */
  *nameOnlyServices(): Generator<NameOnlyService> {
    for (let at = this.portEnd + 2; at < this.text.length; at = this.nextLine(at)) yield* nameOnlyServices(this.lineAt(at));
  }

  /** Every port with a service, ascending. */
  ports(): number[] {
    const ports: number[] = [];
    for (let at = 0; at < this.portEnd; at = this.nextLine(at)) {
      const port = this.portAt(at);
      if (ports.at(-1) !== port) ports.push(port);
    }
    return ports;
  }

  /** The start of the first port line whose port is at least `port` (binary search over line starts). */
  private firstLineFrom(port: number): number {
    let low = 0;
    let high = this.portEnd;
    while (low < high) {
      const middle = this.text.lastIndexOf("\n", ((low + high) >>> 1) - 1) + 1;
      const start = middle < low ? low : middle;
      if (this.portAt(start) < port) low = this.nextLine(start);
      else high = start;
    }
    return low;
  }

  private nextLine(at: number): number {
    const end = this.text.indexOf("\n", at);
    return end < 0 ? this.text.length : end + 1;
  }

  private portAt(at: number): number {
    let port = 0;
    for (let code = this.text.charCodeAt(at); code !== TAB; code = this.text.charCodeAt(++at)) port = port * 10 + code - 48;
    return port;
  }

  private lineAt(at: number): Line {
    const newline = this.text.indexOf("\n", at);
    const end = newline < 0 ? this.text.length : newline;
    const [port = "", protocols = "", name = "", range = "", description = ""] = this.text.slice(at, end).split("\t");
    const dash = range.indexOf("-");
    return {
      port: port === "" ? undefined : Number(port),
      protocols,
      name,
      range: dash < 0 ? undefined : Object.freeze({ first: Number(range.slice(0, dash)), last: Number(range.slice(dash + 1)) }),
      description: description === "" ? undefined : description,
    };
  }

  /** Starts of the lines whose name is `name` (any case), in text order. */
  private *linesNamed(name: string): Generator<number> {
    this.lowerText ??= this.text.toLowerCase();
    const lower = this.lowerText;
    const pattern = `\t${name.toLowerCase()}\t`;
    for (let hit = lower.indexOf(pattern); hit >= 0; hit = lower.indexOf(pattern, hit + 1)) {
      const start = lower.lastIndexOf("\n", hit) + 1;
      // The name is the third field: the match must begin at the line's second tab.
      if (lower.indexOf("\t", lower.indexOf("\t", start) + 1) === hit) yield start;
    }
  }
}

function makeService(line: Line, port: number, protocolIndex: number, aliases: string[]): Service {
  return Object.freeze({
    name: line.name,
    port,
    protocol: PROTOCOLS[protocolIndex] as Protocol,
    aliases: Object.freeze(aliases),
    ...(line.description === undefined ? {} : { description: line.description }),
    ...(line.range === undefined ? {} : { range: line.range }),
    source: "iana" as const,
  });
}

function nameOnlyServices(line: Line): NameOnlyService[] {
  const protocols = line.protocols === "" ? [undefined] : [...line.protocols].map((letter) => PROTOCOLS[LETTERS.indexOf(letter)]);
  return protocols.map((protocol) =>
    Object.freeze({
      name: line.name,
      port: line.port,
      protocol,
      aliases: Object.freeze([]),
      ...(line.description === undefined ? {} : { description: line.description }),
      ...(line.range === undefined ? {} : { range: line.range }),
      source: "iana" as const,
    }),
  );
}
