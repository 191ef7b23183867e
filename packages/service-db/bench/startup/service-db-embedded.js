// Import plus first lookup in the embedded registry alone; reports CPU time.
import { createServiceDb } from "../../dist/index.bundle.js";

if (createServiceDb({ source: "embedded" }).serviceByPort(80, "tcp")?.name !== "http") process.exit(1);
const usage = process.cpuUsage();
process.stdout.write(String((usage.user + usage.system) / 1000));
