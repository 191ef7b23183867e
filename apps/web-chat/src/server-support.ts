/** What the server announced in RPL_ISUPPORT (005) that the client needs. */
export interface ServerSupport {
  network: string | undefined;
  casemapping: string;
  /** First characters of channel names. */
  chantypes: string;
  /** Membership modes and their symbols, highest first: `ov` and `@+`. */
  prefixModes: string;
  prefixSymbols: string;
  /** CHANMODES groups: list modes, modes with a parameter always, only when set, never. */
  listModes: string;
  paramModes: string;
  setParamModes: string;
  /** Most messages one CHATHISTORY request returns; 0 when not announced. */
  chathistoryLimit: number;
}

export function defaultSupport(): ServerSupport {
  return {
    network: undefined,
    casemapping: "rfc1459",
    chantypes: "#&",
    prefixModes: "ov",
    prefixSymbols: "@+",
    listModes: "beI",
    paramModes: "k",
    setParamModes: "l",
    chathistoryLimit: 0,
  };
}

/** Applies the `KEY=value` tokens of one 005 line (without the nick and the trailing text). */
export function applyIsupport(support: ServerSupport, tokens: readonly string[]): void {
  for (const token of tokens) {
    const eq = token.indexOf("=");
    const key = (eq < 0 ? token : token.slice(0, eq)).toUpperCase();
    const value = eq < 0 ? "" : token.slice(eq + 1);
    switch (key) {
      case "NETWORK":
        support.network = value || undefined;
        break;
      case "CASEMAPPING":
        support.casemapping = value.toLowerCase() || "rfc1459";
        break;
      case "CHANTYPES":
        support.chantypes = value;
        break;
      case "PREFIX": {
        const match = /^\(([^)]*)\)(.*)$/.exec(value);
        if (match && match[1]?.length === match[2]?.length) {
          support.prefixModes = match[1] ?? "";
          support.prefixSymbols = match[2] ?? "";
        }
        break;
      }
      case "CHANMODES": {
        const [list = "", always = "", set = ""] = value.split(",");
        support.listModes = list;
        support.paramModes = always;
        support.setParamModes = set;
        break;
      }
      case "CHATHISTORY":
        support.chathistoryLimit = Number(value) > 0 ? Number(value) : 0;
        break;
    }
  }
}

/** True when name is a channel on this server (`#x`, `&x`...). */
export function isChannel(support: ServerSupport, name: string): boolean {
  return name.length > 1 && support.chantypes.includes(name[0] as string);
}
