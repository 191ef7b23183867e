// Import plus first lookup in the embedded registry alone; reports CPU time.
// The package by its own name: dist/index.bundle.js, as users import it (types from dist/index.d.ts).
import { createServiceDb } from "@netlab/service-db";

if (createServiceDb({ source: "embedded" }).serviceByPort(80, "tcp")?.name !== "http") process.exit(1);
const usage = process.cpuUsage();
process.stdout.write(String((usage.user + usage.system) / 1000));
