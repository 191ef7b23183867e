import type { ServerSupport } from "./server-support.js";

/** A membership mode given or taken by a MODE line: `+o alice` is { adding: true, symbol: "@", nick: "alice" }. */
export interface PrefixChange {
  adding: boolean;
  symbol: string;
  nick: string;
}

/**
 * The membership changes (op, voice...) in a channel MODE line's modes and arguments,
 * skipping the arguments of the other modes by the server's CHANMODES.
 */
export function prefixChanges(modes: string, args: readonly string[], support: ServerSupport): PrefixChange[] {
  const { prefixModes, prefixSymbols, listModes, paramModes, setParamModes } = support;
  const changes: PrefixChange[] = [];
  let adding = true;
  let next = 0;
  for (const mode of modes) {
    if (mode === "+" || mode === "-") {
      adding = mode === "+";
      continue;
    }
    const rank = prefixModes.indexOf(mode);
    const takesArg = rank >= 0 || listModes.includes(mode) || paramModes.includes(mode) || (adding && setParamModes.includes(mode));
    const arg = takesArg ? args[next++] : undefined;
    if (rank >= 0 && arg !== undefined) changes.push({ adding, symbol: prefixSymbols[rank] as string, nick: arg });
  }
  return changes;
}

/** A member's prefixes after a change, highest first by the server's PREFIX order. */
export function applyPrefixChange(prefixes: string, change: PrefixChange, order: string): string {
  const others = prefixes.replace(change.symbol, "");
  const changed = change.adding ? others + change.symbol : others;
  return [...changed].sort((a, b) => order.indexOf(a) - order.indexOf(b)).join("");
}
