import cliProgress from "cli-progress";

export interface ProgressDisplay {
  update(value: number, fields?: Record<string, string>): void;
  stop(): void;
}

/** A progress bar on stderr when it is a terminal; nothing otherwise (pipes and logs stay clean). */
export function progressBar(format: string, total: number, initial: Record<string, string> = {}): ProgressDisplay {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: false, fps: 5 }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, initial);
  return {
    update: (value, fields) => bar.update(value, fields),
    stop: () => bar.stop(),
  };
}
