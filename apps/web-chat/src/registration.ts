import { saslPlainParams } from "./sasl.js";

/** The IRCv3 capabilities the client asks for, each only when the server offers it. */
export const wantedCaps = [
  "server-time",
  "message-tags",
  "echo-message",
  "batch",
  "draft/chathistory",
  "sasl",
  "multi-prefix",
  "away-notify",
  "account-tag",
  "labeled-response",
  "draft/read-marker",
] as const;

/** Offline, then CAP negotiation, SASL, the rest of registration (until 001), registered. */
export type Phase = "offline" | "negotiating" | "authenticating" | "registering" | "registered";

export interface RegistrationEvents {
  send: (command: string, ...params: string[]) => void;
  /** Something the user should know: the login failed, the server cannot log in. */
  problem: (text: string) => void;
  /** The capabilities or the account changed. */
  changed: () => void;
}

/**
 * Registration up to the welcome: CAP LS 302, the wanted capabilities the server offers,
 * SASL PLAIN when there is a password, then CAP END; and the capabilities afterwards
 * (cap-notify's NEW and DEL).
 */
export class Registration {
  phase: Phase = "offline";
  /** Capabilities enabled on this connection. */
  readonly caps = new Set<string>();
  account: string | undefined;
  private readonly offered = new Map<string, string>();

  constructor(
    private readonly login: { password?: string; account?: string },
    private readonly events: RegistrationEvents,
  ) {}

  /** The socket is open: asks for the capabilities, and registers nick. */
  start(nick: string, realname: string): void {
    this.phase = "negotiating";
    this.caps.clear();
    this.offered.clear();
    this.account = undefined;
    this.events.send("CAP", "LS", "302");
    this.events.send("NICK", nick);
    this.events.send("USER", nick.replace(/[^A-Za-z0-9]/g, "").toLowerCase() || "web", "0", "*", realname);
  }

  welcomed(): void {
    this.phase = "registered";
  }

  stop(): void {
    this.phase = "offline";
    this.caps.clear();
  }

  onCap(params: readonly string[]): void {
    const sub = (params[1] ?? "").toUpperCase();
    const more = params[2] === "*" && params.length > 3;
    const list = (params[params.length - 1] ?? "").split(" ").filter(Boolean);
    const negotiating = this.phase === "negotiating";
    switch (sub) {
      case "LS":
      case "NEW": {
        for (const item of list) {
          const eq = item.indexOf("=");
          this.offered.set(eq < 0 ? item : item.slice(0, eq), eq < 0 ? "" : item.slice(eq + 1));
        }
        if (more) return;
        const password = Boolean(this.login.password);
        // SASL is for registering: a sasl offered later (NEW) is not taken up.
        const wanted = wantedCaps.filter((cap) => this.offered.has(cap) && !this.caps.has(cap) && (cap !== "sasl" || (negotiating && password)));
        if (negotiating && password && !this.offered.has("sasl")) this.events.problem("The server does not offer SASL: connected without logging in.");
        if (wanted.length > 0) this.events.send("CAP", "REQ", wanted.join(" "));
        else if (negotiating) this.endCaps();
        return;
      }
      case "ACK":
        for (const item of list) {
          if (item.startsWith("-")) this.caps.delete(item.slice(1));
          else this.caps.add(item);
        }
        this.events.changed();
        if (!negotiating) return;
        if (this.caps.has("sasl") && this.login.password) {
          this.phase = "authenticating";
          this.events.send("AUTHENTICATE", "PLAIN");
        } else this.endCaps();
        return;
      case "NAK":
        if (negotiating) this.endCaps();
        return;
      case "DEL":
        for (const item of list) {
          this.caps.delete(item);
          this.offered.delete(item);
        }
        this.events.changed();
    }
  }

  /** AUTHENTICATE + from the server: the PLAIN response, for the account (the nick by default). */
  onAuthenticate(params: readonly string[], nick: string): void {
    if (params[0] !== "+" || this.phase !== "authenticating") return;
    for (const piece of saslPlainParams(this.login.account || nick, this.login.password ?? "")) this.events.send("AUTHENTICATE", piece);
  }

  /** The SASL numerics (900-908); false for any other. */
  onNumeric(command: string, params: readonly string[]): boolean {
    switch (command) {
      case "900":
        this.account = params[2];
        this.events.changed();
        return true;
      case "901":
        this.account = undefined;
        this.events.changed();
        return true;
      case "903":
      case "907":
        if (this.phase === "authenticating") this.endCaps();
        return true;
      case "902":
      case "904":
      case "905":
      case "906":
        if (this.phase !== "authenticating") return true;
        this.events.problem(`Login failed: ${params[params.length - 1] ?? command}`);
        this.endCaps();
        return true;
      case "908":
        return true;
    }
    return false;
  }

  private endCaps(): void {
    this.phase = "registering";
    this.events.send("CAP", "END");
  }
}
