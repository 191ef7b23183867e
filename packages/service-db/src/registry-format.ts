/*
 * The embedded registry as text: one line per port a registration covers, sorted by port
 * (registry order kept within a port), then an empty line, then the registrations that
 * answer by name only (no port, or no protocol), in registry order:
 *
 *   port TAB protocols TAB name TAB range TAB description
 *
 * protocols is letters from "tusd" (tcp, udp, sctp, dccp), "" when the registry names none;
 * range is "" or "6000-6063" when the registration covers a range; port is "" when it has
 * none. Adjacent rows that differ only by protocol share one line. White space in
 * descriptions is folded to single spaces, so a line never holds a tab or a line break.
 *
 * It is shipped in pages (pageRegistry), so that a first lookup by port unpacks one small page.
 */

import { PAGE_COUNT, PAGE_PORTS } from "./paged-registry.js";

/** One row of the IANA CSV, with the columns the database keeps. */
export interface RegistryRow {
  readonly name: string;
  readonly port: string;
  readonly protocol: string;
  readonly description: string;
}

interface Registration {
  readonly name: string;
  readonly ports: string;
  protocols: string;
  readonly description: string;
}

const LETTER_OF: Record<string, string> = { tcp: "t", udp: "u", sctp: "s", dccp: "d", "": "" };
const PORTS = /^(\d{1,5})(?:-(\d{1,5}))?$/;

/** Compiles registry rows to the text form; rows without a service name are placeholders and dropped. */
export function encodeRegistry(rows: Iterable<RegistryRow>): string {
  const registrations: Registration[] = [];
  for (const row of rows) {
    if (row.name === "") continue;
    const letter = LETTER_OF[row.protocol];
    if (letter === undefined) throw new Error(`registry row ${row.name}: unknown protocol ${JSON.stringify(row.protocol)}`);
    if (row.port !== "" && !PORTS.test(row.port)) throw new Error(`registry row ${row.name}: bad port ${JSON.stringify(row.port)}`);
    const description = row.description.replace(/\s+/g, " ").trim();
    const last = registrations.at(-1);
    if (last?.name === row.name && last.ports === row.port && last.description === description && letter !== "" && last.protocols !== "" && !last.protocols.includes(letter)) {
      last.protocols += letter;
      continue;
    }
    registrations.push({ name: row.name, ports: row.port, protocols: letter, description });
  }

  const byPort: { port: number; line: string }[] = [];
  const byNameOnly: string[] = [];
  for (const r of registrations) {
    const [, firstText = "", lastText] = PORTS.exec(r.ports) ?? [];
    const range = lastText === undefined ? "" : r.ports;
    if (firstText === "" || r.protocols === "") {
      byNameOnly.push(`${firstText}\t${r.protocols}\t${r.name}\t${range}\t${r.description}`);
      continue;
    }
    const first = Number(firstText);
    const last = lastText === undefined ? first : Number(lastText);
    if (last < first || last > 65535) throw new Error(`registry row ${r.name}: bad port range ${r.ports}`);
    for (let port = first; port <= last; port++) {
      byPort.push({ port, line: `${String(port)}\t${r.protocols}\t${r.name}\t${range}\t${r.description}` });
    }
  }
  // Array.prototype.sort is stable: registry order is kept within a port.
  byPort.sort((a, b) => a.port - b.port);
  return `${byPort.map((l) => l.line).join("\n")}\n\n${byNameOnly.join("\n")}`;
}

/**
 * Splits the text form into PAGE_COUNT texts of the same form: one per PAGE_PORTS ports (with an
 * empty name-only part), then the name-only registrations (with an empty port part).
 */
export function pageRegistry(text: string): string[] {
  const gap = text.indexOf("\n\n");
  const portLines = gap <= 0 ? [] : text.slice(0, gap).split("\n");
  const nameLines = text.slice(gap + 2);
  const pages: string[][] = Array.from({ length: PAGE_COUNT - 1 }, () => []);
  for (const line of portLines) pages[Math.floor(Number(line.slice(0, line.indexOf("\t"))) / PAGE_PORTS)]?.push(line);
  return [...pages.map((lines) => `${lines.join("\n")}\n\n`), `\n\n${nameLines}`];
}
