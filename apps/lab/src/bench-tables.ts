/** One markdown table a benchmark printed, with the heading above it. */
export interface BenchTable {
  title: string;
  header: string[];
  rows: string[][];
}

/** A bar chart's data: the ratio column of one table. */
export interface RatioSeries {
  title: string;
  column: string;
  bars: { label: string; value: number }[];
}

// Lines from pnpm and npm around a script, not from the benchmark itself.
const NOISE = [/^npm warn /, /^> /, /^\s*ELIFECYCLE/, /^undefined$/];

/** What a package's `bench` script printed, without the package manager's lines. */
export function benchOutput(log: string): string {
  return log
    .split("\n")
    .filter((line) => !NOISE.some((pattern) => pattern.test(line)))
    .join("\n")
    .trim();
}

const cells = (line: string): string[] => line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((cell) => cell.trim());
const isTableLine = (line: string): boolean => line.trim().startsWith("|");
const isSeparator = (line: string): boolean => /^\|?\s*:?-{3,}/.test(line.trim());

/** Every markdown table in a benchmark's output, titled by the heading above it or its first header cell. */
export function parseTables(output: string): BenchTable[] {
  const lines = output.split("\n");
  const tables: BenchTable[] = [];
  let title = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const next = lines[i + 1] ?? "";
    if (isTableLine(line) && isSeparator(next)) {
      const header = cells(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && isTableLine(lines[i] ?? "")) rows.push(cells(lines[i++] ?? ""));
      i--;
      tables.push({ title: title || header[0] || "table", header, rows });
      // A table right after another has no title line of its own.
      title = "";
    } else if (/^#+ /.test(line)) {
      title = line.replace(/^#+\s*/, "").trim();
    }
  }
  return tables;
}

const RATIO_HEADER = /ratio|\bvs\b|faster by|\bx\b/i;
const RATIO_CELL = /^(\d+(?:\.\d+)?)x$/;

/** The ratio column of a table (a header that says so, or cells like `6.23x`), or undefined. */
export function ratioSeries(table: BenchTable): RatioSeries | undefined {
  for (let column = 1; column < table.header.length; column++) {
    const name = table.header[column] ?? "";
    const values = table.rows.map((row) => row[column] ?? "");
    const numeric = values.filter((value) => /^\d+(\.\d+)?x?$/.test(value));
    if (numeric.length < 2) continue;
    if (!RATIO_HEADER.test(name) && !numeric.every((value) => RATIO_CELL.test(value))) continue;
    const bars = table.rows.flatMap((row) => {
      const value = Number.parseFloat(row[column] ?? "");
      return Number.isFinite(value) ? [{ label: row[0] ?? "", value }] : [];
    });
    return { title: table.title, column: name, bars };
  }
  return undefined;
}

const MISSED_CELL = /^(no|missed)$/i;

/** Targets a benchmark says it missed: table rows marked no/missed, and `targets missed:` lists. */
export function missedTargets(output: string): string[] {
  const fromTables = parseTables(output).flatMap((table) => table.rows.filter((row) => row.some((cell) => MISSED_CELL.test(cell))).map((row) => row[0] ?? ""));
  const lines = output.split("\n");
  const listStart = lines.findIndex((line) => /^targets missed:?\s*$/i.test(line.trim()));
  const fromList: string[] = [];
  for (let i = listStart + 1; listStart >= 0 && /^\s*- /.test(lines[i] ?? ""); i++) fromList.push((lines[i] ?? "").replace(/^\s*- /, "").trim());
  return [...fromTables, ...fromList];
}

const SUBJECT_HEADER = /^(server|candidate|tool|implementation|library)$/i;
const leadingNumber = (cell: string): number => (/^\d/.test(cell) ? Number.parseFloat(cell.replace(/,/g, "")) : Number.NaN);

/**
 * For a table of two tools side by side (first column "server", "candidate"...) without a
 * ratio column: the second row over the first, column by column.
 */
export function pairSeries(table: BenchTable): RatioSeries | undefined {
  const [base, other] = table.rows;
  if (!base || !other || table.rows.length !== 2 || !SUBJECT_HEADER.test(table.header[0] ?? "")) return undefined;
  const bars = table.header.slice(1).flatMap((label, index) => {
    const a = leadingNumber(base[index + 1] ?? "");
    const b = leadingNumber(other[index + 1] ?? "");
    return a > 0 && Number.isFinite(b) ? [{ label, value: Number((b / a).toPrecision(3)) }] : [];
  });
  return bars.length >= 2 ? { title: table.title, column: `${other[0] ?? ""} / ${base[0] ?? ""}, column by column`, bars } : undefined;
}
