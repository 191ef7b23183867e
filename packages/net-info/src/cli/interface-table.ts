import type { InterfaceAddress } from "../interfaces.js";
import { textTable } from "./text-table.js";

/** The interface list as a table: one address per row. */
export function interfaceTable(list: readonly InterfaceAddress[]): string {
  const rows = list.map((entry) => [
    entry.name,
    `IPv${entry.family}`,
    entry.cidr,
    entry.mac,
    [entry.internal ? "internal" : "", entry.scopeId ? `scope ${entry.scopeId}` : ""].filter(Boolean).join(", "),
  ]);
  return textTable([["INTERFACE", "FAMILY", "ADDRESS", "MAC", "NOTES"], ...rows]);
}
