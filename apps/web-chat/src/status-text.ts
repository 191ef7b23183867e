import type { ConnectionState } from "./connection.js";

/** What #status says, and its data-state for styles and tests. */
export interface StatusLine {
  state: "connecting" | "registering" | "connected" | "reconnecting" | "closed";
  text: string;
}

export interface SessionSummary {
  registered: boolean;
  nick: string;
  account: string | undefined;
  problem: string | undefined;
}

/** The status line for the connection's state and the session's registration. */
export function statusLine(connection: ConnectionState, session: SessionSummary, now: number): StatusLine {
  const problem = session.problem ? ` ${session.problem}` : "";
  switch (connection.kind) {
    case "connecting":
      return { state: "connecting", text: "Connecting…" };
    case "open":
      if (!session.registered) return { state: "registering", text: `Logging in…${problem}` };
      return { state: "connected", text: `Connected as ${session.nick}${session.account ? ` (account ${session.account})` : ""}.${problem}` };
    case "waiting": {
      const seconds = Math.max(1, Math.ceil((connection.retryAt - now) / 1000));
      return { state: "reconnecting", text: `Disconnected (${connection.reason}). Reconnecting in ${seconds} s…` };
    }
    case "closed":
      return { state: "closed", text: "Disconnected." };
  }
}
