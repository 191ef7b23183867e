import type { NameOnlyService, Service } from "./service.js";

export const TABLE_HEADER = ["Port", "Protocol", "Service", "Aliases", "Description"] as const;

/** One table row for a service: a range shows as 6665-6669, a missing value as "-". */
export function serviceRow(service: Service | NameOnlyService): string[] {
  const port = service.range === undefined ? service.port : `${String(service.range.first)}-${String(service.range.last)}`;
  return [
    port === undefined ? "-" : String(port),
    service.protocol ?? "-",
    service.name,
    service.aliases.length === 0 ? "-" : service.aliases.join(", "),
    service.description ?? "-",
  ];
}

/** Lines of a plain-text table, columns padded to their widest cell (the last one is not padded). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length)));
  return all.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}
