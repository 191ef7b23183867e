/** A message as stored: who said what to whom, when, under which msgid. */
export interface HistoryEntry {
  msgid: string;
  time: string;
  source: string;
  command: "PRIVMSG" | "NOTICE";
  target: string;
  text: string;
}

/** Where messages are written before they are fanned out; SQLite or Redis Streams plug in here. */
export interface HistoryStore {
  append(entry: HistoryEntry): void;
}

/** Keeps nothing. */
export const noHistory: HistoryStore = { append() {} };
