import { randomUUID } from "node:crypto";
import { escapeTagValue } from "@netlab/irc-protocol";
import { Cap } from "./capabilities.js";

/** Longest label a client may send (IRCv3 labeled-response); a longer one is ignored. */
export const maxLabelBytes = 64;

/** Both capabilities a client needs for its labels to be answered: labeled-response depends on batch. */
const labelCaps = Cap.labeledResponse | Cap.batch;

/** The label a command line carries, if its client asked for labeled responses and the label is valid. */
export function labelOf(caps: number, tags: Readonly<Record<string, string>> | undefined): string | undefined {
  const label = tags?.label;
  if ((caps & labelCaps) !== labelCaps || !label || Buffer.byteLength(label) > maxLabelBytes) return undefined;
  return label;
}

/** Where a response is gathered and, finished, written: its connection's output. */
export interface ResponseOutput {
  readonly closing: boolean;
  /** The response gathering what is sent to it right now: set only while that command (or a part of it) runs. */
  gathering: LabeledResponse | undefined;
  /** Queues lines (each ending in CR LF) without gathering them into a response. */
  queueOutput(data: string | Buffer, lines: number): void;
}

/** The tag section of a line, without its `@` (empty when it has none). */
function tagsOf(line: string): string {
  return line.startsWith("@") ? line.slice(1, line.indexOf(" ")) : "";
}

function withTag(line: string, tag: string): string {
  return line.startsWith("@") ? `@${tag};${line.slice(1)}` : `@${tag} ${line}`;
}

function hasBatchTag(line: string): boolean {
  return tagsOf(line)
    .split(";")
    .some((tag) => tag === "batch" || tag.startsWith("batch="));
}

/** `BATCH +id ...` or `BATCH -id`: the sign and id of a batch start or end line, else undefined. */
function batchBound(line: string): string | undefined {
  let rest = line.startsWith("@") ? line.slice(line.indexOf(" ") + 1) : line;
  if (rest.startsWith(":")) rest = rest.slice(rest.indexOf(" ") + 1);
  return rest.startsWith("BATCH ") ? rest.slice(6).split(" ", 1)[0] : undefined;
}

/** The lines are one batch from start to end: the label goes on its start, no batch around it. */
function isOneBatch(lines: string[]): boolean {
  const first = batchBound(lines[0] ?? "");
  const last = batchBound(lines[lines.length - 1] ?? "");
  return lines.length > 1 && first?.startsWith("+") === true && last === "-" + first.slice(1);
}

/**
 * The reply to one labeled command (IRCv3 labeled-response): what the command sends its own
 * connection, in its run and in the parts answered later (a cluster claim, a history read),
 * gathered and written once the last part is done: an ACK when there is nothing, the one line
 * labeled, or the lines in a `labeled-response` batch whose start carries the label.
 */
export class LabeledResponse {
  /** The response gathering right now: commands run one at a time, so there is at most one. */
  private static current: LabeledResponse | undefined;
  private readonly chunks: string[] = [];
  /** Parts still to come: the command's run, then each answer it waits for. */
  private pending = 1;

  constructor(
    readonly connection: ResponseOutput,
    private readonly label: string,
    private readonly serverName: string,
  ) {}

  /** Runs fn with nothing gathered: what a client receives as a recipient is no reply to its command. */
  static outside(fn: () => void): void {
    const connection = LabeledResponse.current?.connection;
    if (!connection) return fn();
    const gathering = connection.gathering;
    connection.gathering = undefined;
    try {
      fn();
    } finally {
      connection.gathering = gathering;
    }
  }

  /** Takes lines sent to the connection while this response gathers. */
  add(data: string | Buffer): void {
    this.chunks.push(typeof data === "string" ? data : data.toString("utf8"));
  }

  /** Runs fn (the command, or a part of it answered later) with what it sends to the connection gathered here. */
  within(fn: () => void): void {
    const { connection } = this;
    const outer = LabeledResponse.current;
    const outerHere = connection.gathering;
    LabeledResponse.current = this;
    connection.gathering = this;
    try {
      fn();
    } finally {
      LabeledResponse.current = outer;
      connection.gathering = outerHere;
    }
  }

  /** One more part will be answered later. */
  wait(): void {
    this.pending++;
  }

  /** A part is done; after the last one the response is written. */
  done(): void {
    if (--this.pending === 0) this.write();
  }

  private write(): void {
    const { connection, serverName } = this;
    const lines = this.chunks.join("").split("\r\n");
    lines.pop();
    const label = `label=${escapeTagValue(this.label)}`;
    if (lines.length === 0) {
      if (!connection.closing) connection.queueOutput(`@${label} :${serverName} ACK\r\n`, 1);
      return;
    }
    if (lines.length === 1 || isOneBatch(lines)) {
      lines[0] = withTag(lines[0] as string, label);
      connection.queueOutput(lines.join("\r\n") + "\r\n", lines.length);
      return;
    }
    // randomUUID draws from a cached pool; the id is letters and digits, as batch ids must be.
    const id = randomUUID().replaceAll("-", "").slice(0, 12);
    let text = `@${label} :${serverName} BATCH +${id} labeled-response\r\n`;
    // A line already in a nested batch (history) stays in it; that batch's start and end are in ours.
    for (const line of lines) text += (hasBatchTag(line) ? line : withTag(line, `batch=${id}`)) + "\r\n";
    text += `:${serverName} BATCH -${id}\r\n`;
    connection.queueOutput(text, lines.length + 2);
  }
}
