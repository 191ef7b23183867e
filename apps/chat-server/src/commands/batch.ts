import { randomUUID } from "node:crypto";
import { Cap } from "../capabilities.js";
import type { Connection } from "../connection.js";
import type { HistoryEntry } from "../history.js";
import { Outgoing } from "../outgoing.js";

/** Sends lines to a connection, inside a batch of type when it has the batch capability. */
export function sendBatch(serverName: string, connection: Connection, type: string, params: string[], lines: Outgoing[]): void {
  const batched = (connection.caps & Cap.batch) !== 0;
  // randomUUID draws from a cached pool; randomBytes asks the system for entropy on every call.
  const id = randomUUID().replaceAll("-", "").slice(0, 12);
  // One string for the whole batch: a replayed line goes to this connection alone, so no per-line Buffer is kept.
  let text = batched ? `:${serverName} BATCH +${id} ${[type, ...params].join(" ")}\r\n` : "";
  for (const line of lines) {
    if (batched) line.tags.batch = id;
    text += line.textFor(connection.caps);
  }
  if (batched) text += `:${serverName} BATCH -${id}\r\n`;
  if (text) connection.send(text, lines.length + (batched ? 2 : 0));
}

/** A stored message as a line to replay, with its original time and msgid. */
export function replayLine(entry: HistoryEntry): Outgoing {
  return new Outgoing(entry.source, entry.command, [entry.target, entry.text], { time: entry.time, msgid: entry.msgid });
}
