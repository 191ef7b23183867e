import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { cliParser, once, packageVersion, parseCount, reportError, UsageError } from "@netlab/cli";
import { hideBin } from "yargs/helpers";
import { reportSummary, writeReport } from "./bench-report.js";
import { runPackageBench } from "./bench-run.js";
import { runDemo } from "./demo.js";
import { startLab } from "./start.js";
import { freshResultsDir, hasResults, readPackageResults, saveRunStatus } from "./saved-run.js";
import { workspacePackages, workspaceRoot, type WorkspacePackage } from "./workspace.js";
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

/** The packages to report on: those named by --only, else every one with a bench script (in a saved run: every one it holds). */
function benchPackages(root: string, argv: BenchArgs): WorkspacePackage[] {
  const benched = workspacePackages(root).filter((pkg) => pkg.scripts.bench);
  if (argv.only) {
    const unknown = argv.only.filter((name) => !benched.some((pkg) => pkg.short === name || pkg.name === name));
    if (unknown.length > 0) throw new UsageError(`no package with a bench script is named ${unknown.join(", ")}`);
    return benched.filter((pkg) => argv.only?.includes(pkg.short) || argv.only?.includes(pkg.name));
  }
  if (!argv.from) return benched;
  const from = argv.from;
  const saved = benched.filter((pkg) => hasResults(from, pkg));
  if (saved.length === 0) throw new Error(`no package results in ${from} (a saved run has one folder of <bench>.json per package, e.g. ${join(from, benched[0]?.short ?? "ip-codec")})`);
  return saved;
}

async function bench(argv: BenchArgs): Promise<number> {
  const root = workspaceRoot();
  const outDir = resolve(argv.out ?? join(root, "bench", "results"));
  if (argv.from && !existsSync(argv.from)) throw new Error(`no saved run at ${argv.from}`);
  const wanted = benchPackages(root, argv);
  const runDir = argv.from ?? join(outDir, argv.date);
  if (!argv.from) {
    for (const pkg of wanted) {
      writeOut(`\n=== ${pkg.name}: pnpm bench\n`);
      const { log, ...status } = await runPackageBench(root, pkg, freshResultsDir(runDir, pkg), argv.timeout * 1000, (chunk) => writeOut(chunk));
      saveRunStatus(runDir, pkg, status, log);
    }
  }
  const command = argv.from ? `\`netlab bench --from ${argv.from}\`, the report rebuilt from a saved run` : "`pnpm bench`";
  const report = writeReport(
    wanted.map((pkg) => readPackageResults(runDir, pkg)),
    { date: argv.date, outDir, command },
  );
  const ok = report.missed.length === 0 && report.problems.length === 0;
  // The details are in the report; this line says why the exit code is 1.
  if (ok) writeOut(`\nnetlab: ${reportSummary(report)}\n`);
  else process.stderr.write(`\nnetlab: ${reportSummary(report)}\n`);
  return ok ? 0 : 1;
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
    "run every package's benchmarks and write bench/results/<date>.md (targets, scale figures, SVG charts) from the JSON results they save",
    (y) =>
      y.options({
        from: { type: "string", coerce: text("from"), describe: "run nothing: rebuild the report from a saved run (a folder with <package>/<bench>.json, e.g. bench/results/<date>)" },
        only: { type: "array", string: true, describe: "only these packages (folder or package name)" },
        out: { type: "string", coerce: text("out"), describe: "folder for the report (default: bench/results of the workspace)" },
        date: { type: "string", default: new Date().toISOString().slice(0, 10), coerce: text("date"), describe: "name of the report and of its folder of results and charts" },
        timeout: { type: "string", default: "2400", coerce: once("timeout", (value) => parseCount(value)), describe: "seconds one package's benchmarks may take" },
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
  .example("$0 bench --from bench/results/2026-12-06 --date 2026-12-06", "rebuild that day's report from the JSON results it saved");

try {
  await parser.parseAsync();
} catch (error) {
  process.exitCode = reportError("netlab", error);
}
