// Import plus first lookup with the defaults (system services file over the registry); reports CPU time.
import { serviceByPort } from "../../dist/index.bundle.js";

if (serviceByPort(80, "tcp")?.name !== "http") process.exit(1);
const usage = process.cpuUsage();
process.stdout.write(String((usage.user + usage.system) / 1000));
