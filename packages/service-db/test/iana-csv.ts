import { parse } from "csv-parse/sync";
import { readFileSync } from "node:fs";
import type { RegistryRow } from "../src/registry-format.js";

/** The IANA CSV committed with the package, read with a real CSV parser. */
export const CSV_PATH = new URL("../data/service-names-port-numbers.csv", import.meta.url);

export function readCsvRows(): RegistryRow[] {
  const records = parse(readFileSync(CSV_PATH), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return records.map((r) => ({
    name: r["Service Name"] ?? "",
    port: r["Port Number"] ?? "",
    protocol: r["Transport Protocol"] ?? "",
    description: r["Description"] ?? "",
  }));
}

/** Every port a row covers ("6665-6669" covers five). */
export function portsOf(row: RegistryRow): number[] {
  if (row.port === "") return [];
  const [first = 0, last = first] = row.port.split("-").map(Number);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
