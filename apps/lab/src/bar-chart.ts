import type { RatioSeries } from "./bench-tables.js";

const escapeXml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const ROW = 26;
const MAX_LABEL = 64;
// Wide enough for 12px sans-serif text of that many characters.
const CHAR_WIDTH = 6.8;
const BAR_WIDTH = 380;
const TOP = 44;

/**
 * A horizontal bar chart of one ratio column as a standalone SVG. Ratios that span more than
 * 20 times use a log scale, so 0.9x and 700x both stay readable; the 1x line is marked.
 */
export function barChartSvg(series: RatioSeries): string {
  const values = series.bars.map((bar) => bar.value);
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
    const label = bar.label.length > MAX_LABEL ? `${bar.label.slice(0, MAX_LABEL - 1)}…` : bar.label;
    return [
      `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${escapeXml(label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 4}" width="${length}" height="${ROW - 8}" fill="#2f6fb0"/>`,
      `<text x="${labelWidth + length + 6}" y="${y + 16}">${bar.value}x</text>`,
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
