// CPU time and memory of a running process, read from Linux /proc.
import { readFileSync } from "node:fs";

/** Clock ticks per second of the times in /proc/<pid>/stat (USER_HZ, 100 on Linux). */
export const CLK_TCK = 100;

/** The process is gone: no /proc entry (exited and reaped), or a zombie with no memory left to read. */
export class ProcessGoneError extends Error {
  override readonly name = "ProcessGoneError";
  constructor(
    readonly pid: number,
    options?: { cause?: unknown },
  ) {
    super(`process ${pid} is gone`, options);
  }
}

/** A /proc file was there but did not read as expected (not Linux, or a format this kit does not know). */
export class ProcFormatError extends Error {
  override readonly name = "ProcFormatError";
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

function checkPid(pid: number): void {
  if (!Number.isInteger(pid) || pid <= 0) throw new RangeError(`not a process id: ${pid}`);
}

function readProc(pid: number, name: "stat" | "status"): string {
  checkPid(pid);
  try {
    return readFileSync(`/proc/${pid}/${name}`, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOENT: no such process; ESRCH: it exited while the file was being read.
    if (code === "ENOENT" || code === "ESRCH") throw new ProcessGoneError(pid, { cause: error });
    throw error;
  }
}

/** CPU seconds (user + system) the process has used so far: utime + stime of /proc/<pid>/stat over CLK_TCK. */
export function cpuSeconds(pid: number): number {
  const file = `/proc/${pid}/stat`;
  const stat = readProc(pid, "stat");
  // The command name (field 2) is in parentheses and may hold spaces or ")": fields resume after the last ")".
  const close = stat.lastIndexOf(")");
  if (close < 0) throw new ProcFormatError(file, "no command name");
  // From field 3 (state) on: utime is field 14, stime field 15, so indexes 11 and 12 here.
  const fields = stat.slice(close + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new ProcFormatError(file, "no utime/stime");
  return (utime + stime) / CLK_TCK;
}

function statusKilobytes(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = readProc(pid, "status");
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status);
  if (match) return Number(match[1]) * 1024;
  // A zombie (exited, not yet reaped) keeps its status file but no memory lines.
  if (/^State:\s+Z/m.test(status)) throw new ProcessGoneError(pid);
  throw new ProcFormatError(`/proc/${pid}/status`, `no ${field} line`);
}

/** Resident set size now, in bytes (VmRSS of /proc/<pid>/status). */
export function rssBytes(pid: number): number {
  return statusKilobytes(pid, "VmRSS");
}

/** Peak resident set size since the process started, in bytes (VmHWM of /proc/<pid>/status). */
export function peakRssBytes(pid: number): number {
  return statusKilobytes(pid, "VmHWM");
}

export interface ProcessSample {
  cpuSeconds: number;
  rssBytes: number;
  peakRssBytes: number;
}

/** All three figures at once. */
export function sampleProcess(pid: number): ProcessSample {
  return { cpuSeconds: cpuSeconds(pid), rssBytes: rssBytes(pid), peakRssBytes: peakRssBytes(pid) };
}
