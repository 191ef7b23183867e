import { Session, type SessionOptions } from "../src/session.js";

/** Every capability chat-server offers with accounts and history. */
export const allCaps =
  "account-notify account-tag away-notify batch cap-notify chghost draft/account-registration draft/chathistory draft/message-redaction draft/read-marker echo-message extended-join extended-monitor invite-notify labeled-response message-tags multi-prefix sasl=PLAIN,SCRAM-SHA-256 server-time setname userhost-in-names";

export interface Fixture {
  session: Session;
  /** Lines the session sent, in order. */
  sent: string[];
  /** Feeds lines from the server. */
  feed: (...lines: string[]) => void;
  /** Returns the lines sent since the last call and forgets them. */
  take: () => string[];
}

export function startSession(options: Partial<SessionOptions> = {}): Fixture {
  const sent: string[] = [];
  const session = new Session({ nick: "alice", now: () => Date.parse("2026-01-02T10:00:00.000Z"), ...options }, (line) => sent.push(line));
  return {
    session,
    sent,
    feed: (...lines) => {
      for (const line of lines) session.receive(line);
    },
    take: () => sent.splice(0),
  };
}

/**
 * Connects and registers: CAP LS (caps), ACK of what was asked, welcome and ISUPPORT.
 * Leaves the lines sent from the JOINs on in the fixture.
 */
export function register(fixture: Fixture, caps = allCaps): void {
  const { session, feed, take } = fixture;
  session.connected();
  feed(`:irc.test CAP * LS :${caps}`);
  const req = take().find((line) => line.startsWith("CAP REQ"));
  if (req) feed(`:irc.test CAP * ACK :${req.slice("CAP REQ :".length)}`);
  take();
  feed(
    `:irc.test 001 ${session.nick} :Welcome to the test network, ${session.nick}`,
    `:irc.test 005 ${session.nick} CASEMAPPING=rfc1459 CHANTYPES=# PREFIX=(ov)@+ CHANMODES=beI,k,l,imnst NETWORK=TestNet CHATHISTORY=1000 :are supported by this server`,
  );
}
