import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

/** Writes a services file in a fresh temp dir, removed when the test finishes; returns its path. */
export function servicesFixture(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "service-db-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "services");
  writeFileSync(path, text);
  return path;
}
