import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { findProgram, type FoundProgram } from "@netlab/test-kit";

const ORACLE = join(import.meta.dirname, "oracle.py");

/** Python 3.13 (its ipaddress rules are the reference): pyenv's build when present, else python3.13 on PATH. */
export function findPython313(): FoundProgram {
  const pyenv = join(homedir(), ".pyenv/versions/3.13.0/bin/python3");
  return findProgram(existsSync(pyenv) ? pyenv : "python3.13", "python3.13");
}

export interface ClassifyAnswer {
  text: string;
  str: string;
  packed: string;
  isPrivate: boolean;
  isGlobal: boolean;
  isLoopback: boolean;
  isLinkLocal: boolean;
  isMulticast: boolean;
  isReserved: boolean;
  isUnspecified: boolean;
}

export interface OracleAnswer {
  version: string;
  pton4: (string | null)[];
  pton6: (string | null)[];
  aton: (string | null)[];
  classify: ClassifyAnswer[];
}

/** Sends one batch to test/oracle.py and returns its answers (hex, or null when rejected). */
export function askOracle(python: string, request: { pton4?: string[]; pton6?: string[]; aton?: string[]; classify?: string[] }): Promise<OracleAnswer> {
  return new Promise((resolve, reject) => {
    const child = execFile(python, [ORACLE], { timeout: 20_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout) as OracleAnswer);
    });
    child.stdin?.end(JSON.stringify(request));
  });
}
