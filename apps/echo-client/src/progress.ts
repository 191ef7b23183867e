import cliProgress from "cli-progress";

export interface ProgressDisplay {
  update(value: number, fields?: Record<string, string>): void;
  /** Shows the bar full (with these last fields) and leaves it on screen. */
  done(fields?: Record<string, string>): void;
  /** Stops the bar where it is. */
  stop(): void;
  /** Stops the bar and erases it (a run that failed: its error line says the rest). */
  clear(): void;
}

/** What shows when stderr is no terminal: nothing (pipes and logs stay clean). */
export const noProgress: ProgressDisplay = { update: () => undefined, done: () => undefined, stop: () => undefined, clear: () => undefined };

/** A progress bar on stderr when it is a terminal; nothing otherwise. */
export function progressBar(format: string, total: number, initial: Record<string, string> = {}): ProgressDisplay {
  if (!process.stderr.isTTY) return noProgress;
  const bar = new cliProgress.SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: false, fps: 5 }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, initial);
  let active = true;
  const stop = (): void => {
    if (!active) return;
    active = false;
    bar.stop();
  };
  return {
    update: (value, fields) => bar.update(value, fields),
    done: (fields) => {
      if (active) bar.update(total, fields);
      stop();
    },
    stop,
    clear: () => {
      if (!active) return;
      stop();
      // stop() drew the last frame and a newline: go back up and erase that line.
      process.stderr.write("\x1b[1A\x1b[2K");
    },
  };
}
