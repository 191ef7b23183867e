import { join } from "node:path";
import { cliParser, once, packageVersion, parseCount, reportError } from "@netlab/cli";
import { hideBin } from "yargs/helpers";
import { readSavedRun, runPackageBench, writeReport, type BenchRun } from "./bench-report.js";
import { runDemo } from "./demo.js";
import { startLab } from "./start.js";
import { workspacePackages, workspaceRoot } from "./workspace.js";
import { watchStdout, writeOut } from "./stdout.js";

watchStdout();

const version = packageVersion(import.meta.url);
const text = (flag: string) => once(flag, (value) => value);

interface BenchArgs {
  from: string | undefined;
  only: string[] | undefined;
  out: string | undefined;
  date: string;
  timeout: number;
}

async function bench(argv: BenchArgs): Promise<number> {
  const root = workspaceRoot();
  const wanted = workspacePackages(root).filter((pkg) => pkg.scripts.bench && (!argv.only || argv.only.includes(pkg.short) || argv.only.includes(pkg.name)));
  if (wanted.length === 0) throw new Error(`no package with a bench script matches ${argv.only?.join(", ") ?? "the workspace"}`);
  const runs: BenchRun[] = [];
  for (const pkg of wanted) {
    if (argv.from) {
      runs.push(readSavedRun(argv.from, pkg));
      continue;
    }
    writeOut(`\n=== ${pkg.name}: pnpm bench\n`);
    runs.push(await runPackageBench(root, pkg, argv.timeout * 1000, (chunk) => writeOut(chunk)));
  }
  const command = argv.from ? `\`pnpm bench\`, the report rebuilt from its logs by \`netlab bench --from ${argv.from}\`` : "`pnpm bench`";
  const path = writeReport(runs, { date: argv.date, outDir: argv.out ?? join(root, "bench", "results"), command });
  writeOut(`\nnetlab: report written to ${path}\n`);
  return runs.some((run) => run.code !== 0) ? 1 : 0;
}

const parser = cliParser(hideBin(process.argv), { name: "netlab", version, usage: "$0 <command>\n\nThe netlab lab as one product: both daemons, the lab walk-through, the benchmark report." })
  .command("start", "run echo-server (TCP+UDP 9900) and chat-server (6667) side by side until Ctrl-C", {}, async () => {
    process.exitCode = await startLab();
  })
  .command("demo", "walk through the original lab with netlab's packages, then exit", {}, async () => {
    process.exitCode = await runDemo((line) => writeOut(`${line}\n`));
  })
  .command(
    "bench",
    "run every package's benchmarks and write bench/results/<date>.md with SVG charts",
    (y) =>
      y.options({
        from: { type: "string", coerce: text("from"), describe: "build the report from saved <package>.txt files in this folder instead of running" },
        only: { type: "array", string: true, describe: "only these packages (folder or package name)" },
        out: { type: "string", coerce: text("out"), describe: "folder for the report (default: bench/results of the workspace)" },
        date: { type: "string", default: new Date().toISOString().slice(0, 10), coerce: text("date"), describe: "name of the report" },
        timeout: { type: "string", default: "900", coerce: once("timeout", (value) => parseCount(value)), describe: "seconds one package's benchmarks may take" },
      }),
    async (argv) => {
      process.exitCode = await bench(argv);
    },
  )
  .demandCommand(1, "name a command: start, demo or bench")
  .recommendCommands()
  .example("$0 start", "both daemons with readable, prefixed logs (what `pnpm start` runs)")
  .example("NETLAB_ECHO_SERVER_PORT=7007 NETLAB_CHAT_SERVER_PORT=6668 $0 start", "other ports, through the daemons' own variables")
  .example("$0 demo", "the lab walk-through on free loopback ports (what `pnpm demo` runs)")
  .example("$0 bench --only ip-codec net-info", "two packages' benchmarks and a report of them")
  .example("$0 bench --from bench/results/2026-11-24", "rebuild a report from saved logs");

try {
  await parser.parseAsync();
} catch (error) {
  process.exitCode = reportError("netlab", error);
}
