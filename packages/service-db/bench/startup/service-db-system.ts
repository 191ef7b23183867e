// Import plus first lookup with the defaults (system services file over the registry); reports CPU time.
// The package by its own name: dist/index.bundle.js, as users import it (types from dist/index.d.ts).
import { serviceByPort } from "@netlab/service-db";

if (serviceByPort(80, "tcp")?.name !== "http") process.exit(1);
const usage = process.cpuUsage();
process.stdout.write(String((usage.user + usage.system) / 1000));
