// Worker thread of the history bench: fills a store, so its million rows of garbage stay out of the measuring client's heap.
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import { createRedisHistory, openSqliteHistory, type HistoryEntry } from "../dist/index.js";
import { newMsgid } from "../dist/msgid.js";

export interface FillRequest {
  kind: "sqlite" | "redis";
  dataDir: string;
  /** The Redis URL, for kind "redis". */
  url: string | undefined;
  count: number;
  channels: number;
}

export interface Filled {
  /** Every 97th msgid of each channel #h<i>: references for BEFORE, AFTER and AROUND. */
  msgids: string[][];
  seconds: number;
}

/**
 * Writes `count` messages over the channels straight into a store: SQLite by bulk insert
 * (50,000 rows per transaction), Redis through the store's own pipelined commit (5,000 per commit).
 */
async function fill({ kind, dataDir, url, count, channels }: FillRequest): Promise<Filled> {
  const started = performance.now();
  const msgids = Array.from({ length: channels }, (): string[] => []);
  const base = Date.now() - count * 10;
  const sqlite = kind === "sqlite" ? openSqliteHistory({ dataDir }) : undefined;
  const redis = kind === "redis" ? createRedisHistory({ url, maxLines: 0, timeoutMs: 30_000 }) : undefined;
  const chunkSize = sqlite ? 50_000 : 5_000;
  for (let i = 0; i < count; ) {
    const chunk: HistoryEntry[] = [];
    for (const end = Math.min(count, i + chunkSize); i < end; i++) {
      const channel = i % channels;
      const msgid = newMsgid(base + i * 10);
      if (i % 97 === 0) msgids[channel]?.push(msgid);
      chunk.push({ msgid, time: new Date(base + i * 10).toISOString(), source: `u${i % 500}!~u@127.0.0.1`, command: "PRIVMSG", target: `#h${channel}`, text: `message ${i} ${"x".repeat(40)}` });
    }
    sqlite?.bulkInsert(chunk);
    if (redis) {
      for (const entry of chunk) redis.append(entry);
      await redis.commit();
    }
  }
  await sqlite?.close();
  await redis?.close();
  return { msgids, seconds: (performance.now() - started) / 1000 };
}

parentPort?.postMessage(await fill(workerData as FillRequest));
