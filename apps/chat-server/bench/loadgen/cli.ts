// The load generator on its own: node dist-bench/loadgen/cli.js --target 127.0.0.1:6667 --clients 19000 [--channels 5 --channel-size 2000 --senders 10] [--hold 60]
import { parseArgs } from "node:util";
import { int } from "@netlab/bench-kit";
import { LoadGenerator } from "./coordinator.js";
import { LoadLimitError, LoadWorkerError } from "./errors.js";
import { parseTarget } from "./targets.js";

const usage = `node dist-bench/loadgen/cli.js --target HOST:PORT[=WEIGHT] [--target ...] --clients N
  [--workers N] [--rate N/s] [--max-pending N] [--channels N --channel-size N] [--senders N --send-rate N/s --seconds N] [--hold SECONDS]`;

function number(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`--${name} must be a number >= 0: ${value}`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      target: { type: "string", multiple: true }, clients: { type: "string" }, workers: { type: "string" }, rate: { type: "string" }, "max-pending": { type: "string" },
      channels: { type: "string" }, "channel-size": { type: "string" }, senders: { type: "string" }, "send-rate": { type: "string" }, seconds: { type: "string" },
      hold: { type: "string" }, help: { type: "boolean" },
    },
  });
  if (values.help || !values.target?.length || !values.clients) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const workers = values.workers === undefined ? undefined : number(values.workers, 1, "workers");
  const load = new LoadGenerator({
    targets: values.target.map(parseTarget), clients: number(values.clients, 0, "clients"), rate: number(values.rate, 2_000, "rate"),
    maxPending: number(values["max-pending"], 1_000, "max-pending"), ...(workers ? { workers } : {}),
  });
  // Ctrl-C still sends the QUITs and stops the workers.
  process.once("SIGINT", () => void load.close().then(() => process.exit(130)));
  try {
    const registered = await load.register();
    console.log(`registered ${int(registered.registered)} clients in ${(registered.ms / 1000).toFixed(1)} s`);
    const channels = number(values.channels, 0, "channels");
    if (channels > 0) {
      const joined = await load.join({ channels, size: number(values["channel-size"], 100, "channel-size") });
      console.log(`${int(joined.members)} members joined ${channels} channels in ${(joined.ms / 1000).toFixed(1)} s`);
      const senders = number(values.senders, 0, "senders");
      if (senders > 0) {
        const result = await load.send({ senders, ratePerSecond: number(values["send-rate"], 10, "send-rate"), durationMs: number(values.seconds, 5, "seconds") * 1000 });
        const l = result.latencyMs;
        console.log(`delivered ${int(result.delivered)} of ${int(result.expected)}, ${int(result.perSecond)}/s, latency p50 ${l.p50.toFixed(2)} ms p99 ${l.p99.toFixed(2)} ms max ${l.max.toFixed(2)} ms`);
      }
    }
    const hold = number(values.hold, 0, "hold");
    if (hold > 0) {
      console.log(`holding for ${hold} s`);
      await new Promise((resolve) => setTimeout(resolve, hold * 1000));
      const totals = load.totals();
      console.log(`${int(totals.registered - totals.lost)} still connected, ${int(totals.lost)} lost`);
    }
    return 0;
  } catch (error) {
    // A limit is an answer, not a crash: one line with the counts.
    if (error instanceof LoadLimitError || error instanceof LoadWorkerError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await load.close();
  }
}

process.exit(await main());
