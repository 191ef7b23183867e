// An empty script: only reports the CPU time its process used.
const usage = process.cpuUsage();
process.stdout.write(String((usage.user + usage.system) / 1000));
