/** LATEST on joining, BEFORE when scrolling up, AFTER to catch up after a reconnect. */
export type HistoryKind = "latest" | "before" | "after";

/** A CHATHISTORY request waiting for its batch. */
export interface HistoryRequest {
  label: string;
  /** The buffer's folded name. */
  key: string;
  kind: HistoryKind;
  limit: number;
  /** AFTER requests made before this one in the same catch-up: each full page asks for the next. */
  page: number;
}

/** A batch the server opened (BATCH +id type params...) and has not closed yet. */
export interface OpenBatch {
  type: string;
  params: string[];
  label: string | undefined;
  parent: string | undefined;
  /** Its lines, kept for the end of a history batch; other batches' lines are handled as they come. */
  lines: { tags?: Record<string, string>; prefix?: string; command: string; params: string[] }[];
}

/** Batch types whose lines are history, handled together when the batch ends. */
const collectedTypes = new Set(["chathistory", "draft/chathistory-targets"]);

/**
 * CHATHISTORY requests in flight and the batches that answer them: a reply is matched to
 * its request by label (labeled-response), else to the oldest request for the same target.
 */
export class HistoryRequests {
  private readonly requests: HistoryRequest[] = [];
  private readonly batches = new Map<string, OpenBatch>();
  private counter = 0;

  add(key: string, kind: HistoryKind, limit: number, page = 0): HistoryRequest {
    const request = { label: `wc${++this.counter}`, key, kind, limit, page };
    this.requests.push(request);
    return request;
  }

  /** Removes and returns the request a reply answers. */
  take(label: string | undefined, key: string | undefined): HistoryRequest | undefined {
    let index = label === undefined ? -1 : this.requests.findIndex((request) => request.label === label);
    if (index < 0 && key !== undefined) index = this.requests.findIndex((request) => request.key === key);
    return index < 0 ? undefined : this.requests.splice(index, 1)[0];
  }

  pendingFor(key: string): boolean {
    return this.requests.some((request) => request.key === key);
  }

  openBatch(id: string, batch: Omit<OpenBatch, "lines">): void {
    this.batches.set(id, { ...batch, lines: [] });
  }

  /** The open history batch a line tagged batch=id belongs to, or undefined when it is to be handled now. */
  collecting(id: string): OpenBatch | undefined {
    const batch = this.batches.get(id);
    return batch && collectedTypes.has(batch.type) ? batch : undefined;
  }

  closeBatch(id: string): OpenBatch | undefined {
    const batch = this.batches.get(id);
    this.batches.delete(id);
    return batch;
  }

  /** The label a batch answers: its own, or that of the labeled-response batch around it. */
  labelOf(batch: OpenBatch): string | undefined {
    return batch.label ?? (batch.parent === undefined ? undefined : this.batches.get(batch.parent)?.label);
  }

  /** The connection is gone: nothing will answer. */
  clear(): void {
    this.requests.length = 0;
    this.batches.clear();
  }
}
