export { CLK_TCK, cpuSeconds, peakRssBytes, ProcessGoneError, ProcFormatError, rssBytes, sampleProcess, type ProcessSample } from "./process-sample.js";
export { findTaskset, pinnedCommand, type PinnedCommand, type PinningOptions } from "./pinning.js";
export { median, percentile, summarize, type Summary } from "./percentile.js";
export { alternatingOrder, ratio, runAlternating, type Ratio, type RatioOptions, type Variant } from "./rounds.js";
export {
  machineInfo,
  newResult,
  readResult,
  resultsDir,
  RESULTS_DIR_VARIABLE,
  saveResult,
  RESULT_VERSION,
  ResultFormatError,
  validateResult,
  writeResult,
  type BenchResult,
  type Machine,
  type Metric,
} from "./result.js";
export { bytes, figure, fixed, int, metricLine, NOT_AVAILABLE, percent, signed, targetMet, times, withRange } from "./format.js";
