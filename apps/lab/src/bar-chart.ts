import { times } from "@netlab/bench-kit";

/** One bar: a ratio, with the lowest and highest of its rounds when known. */
export interface Bar {
  label: string;
  value: number;
  range?: { min: number; max: number };
}

/** A bar chart's data: a title, what the bars measure, and the bars. */
export interface ChartSeries {
  title: string;
  column: string;
  bars: Bar[];
}

const escapeXml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const ROW = 26;
const MAX_LABEL = 64;
// Wide enough for 12px sans-serif text of that many characters.
const CHAR_WIDTH = 6.8;
const BAR_WIDTH = 380;
const TOP = 44;

/**
 * A horizontal bar chart of ratios as a standalone SVG, each bar with a line over its range
 * when it has one. Ratios that span more than 20 times use a log scale, so 0.9x and 700x both
 * stay readable; the 1x line is marked.
 */
export function barChartSvg(series: ChartSeries): string {
  const values = series.bars.flatMap((bar) => [bar.value, ...(bar.range ? [bar.range.min, bar.range.max] : [])]);
  const longest = Math.min(MAX_LABEL, Math.max(...series.bars.map((bar) => bar.label.length)));
  const labelWidth = Math.ceil(longest * CHAR_WIDTH) + 16;
  const max = Math.max(...values, 1);
  const min = Math.min(...values.filter((value) => value > 0), 1);
  const log = max / min > 20;
  const low = log ? Math.floor(Math.log10(min)) : 0;
  const high = log ? Math.ceil(Math.log10(max)) : max * 1.1;
  const scale = (value: number): number => {
    const position = log ? (Math.log10(Math.max(value, 10 ** low)) - low) / (high - low || 1) : value / high;
    return Math.max(1, Math.round(position * BAR_WIDTH));
  };
  const height = TOP + series.bars.length * ROW + 28;
  const width = labelWidth + BAR_WIDTH + 90;
  const one = labelWidth + scale(1);
  const bars = series.bars.map((bar, index) => {
    const y = TOP + index * ROW;
    const length = scale(bar.value);
    const end = Math.max(length, bar.range ? scale(bar.range.max) : 0);
    const label = bar.label.length > MAX_LABEL ? `${bar.label.slice(0, MAX_LABEL - 1)}…` : bar.label;
    return [
      `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${escapeXml(label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 4}" width="${length}" height="${ROW - 8}" fill="#2f6fb0"/>`,
      bar.range ? `<line x1="${labelWidth + scale(bar.range.min)}" y1="${y + 13}" x2="${labelWidth + scale(bar.range.max)}" y2="${y + 13}" stroke="#111" stroke-width="2"/>` : "",
      `<text x="${labelWidth + end + 6}" y="${y + 16}">${times(bar.value)}</text>`,
    ].join("");
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="8" y="18" font-size="14" font-weight="bold">${escapeXml(series.title)}</text>`,
    `<text x="8" y="34" fill="#555">${escapeXml(series.column)}${log ? " (log scale)" : ""}</text>`,
    ...bars,
    `<line x1="${one}" y1="${TOP - 4}" x2="${one}" y2="${height - 24}" stroke="#c33" stroke-dasharray="4 3"/>`,
    `<text x="${one}" y="${height - 10}" text-anchor="middle" fill="#c33">1x</text>`,
    `</svg>`,
    "",
  ].join("\n");
}
