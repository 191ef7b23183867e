export { probe, type ProbeOptions, type ProbeResult, type ProbeStep } from "./probe.js";
export { connectProbe, type ProbeConnection, type RoundTrip } from "./prober.js";
export { pipeThrough, type PipeResult } from "./pipe.js";
export { runBench, type BenchMode, type BenchOptions, type BenchResult, type BenchSnapshot } from "./bench.js";
export { runBenchThreads, type ThreadedBenchOptions } from "./bench-threads.js";
export { LatencyStats, type LatencyState, type LatencySummary } from "./latency-stats.js";
export { EchoClientError, type EchoClientErrorCode } from "./errors.js";
export { formatTarget, type EchoTarget, type TlsClientOptions } from "./target.js";
