import { times, type Metric } from "@netlab/bench-kit";
import { figure, span } from "./figure.js";

/** Whether a metric meets its target; undefined when it has none. */
export function targetMet(metric: Metric): boolean | undefined {
  if (!metric.target) return undefined;
  const { min, max } = metric.target;
  return (min === undefined || metric.value >= min) && (max === undefined || metric.value <= max);
}

/** A metric's target as text: `≥ 10,000 conns`, `≤ 5.00 ms` or `1.00–2.00 ms`; empty when it has none. */
export function targetText(metric: Metric): string {
  const { min, max } = metric.target ?? {};
  if (min !== undefined && max !== undefined) return span(min, max, metric.unit);
  if (min !== undefined) return `≥ ${figure(min, metric.unit)}`;
  if (max !== undefined) return `≤ ${figure(max, metric.unit)}`;
  return "";
}

function metMark(metric: Metric): string {
  const met = targetMet(metric);
  if (met === undefined) return "";
  return met ? "✅" : "❌";
}

// Pipes and line breaks would end a Markdown table cell early.
const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

const COLUMNS: [header: string, align: string, text: (metric: Metric) => string][] = [
  ["metric", "---", (m) => m.name],
  ["value", "---:", (m) => figure(m.value, m.unit)],
  ["range", "---:", (m) => (m.range ? span(m.range.min, m.range.max, m.unit) : "")],
  ["compared with", "---", (m) => (m.alternative ? `${m.alternative.name}: ${figure(m.alternative.value, m.unit)}` : "")],
  ["ratio (min–max)", "---:", (m) => (m.ratio ? `${times(m.ratio.median)} (${times(m.ratio.min)}–${times(m.ratio.max)})` : "")],
  ["target", "---:", targetText],
  ["met", ":---:", metMark],
];

/** A bench's metrics as a Markdown table, without the columns no metric fills. */
export function metricTable(metrics: Metric[]): string[] {
  const columns = COLUMNS.filter(([header, , text]) => header === "metric" || header === "value" || metrics.some((metric) => text(metric) !== ""));
  return [
    `| ${columns.map(([header]) => header).join(" | ")} |`,
    `| ${columns.map(([, align]) => align).join(" | ")} |`,
    ...metrics.map((metric) => `| ${columns.map(([, , text]) => cell(text(metric)) || "-").join(" | ")} |`),
  ];
}

/** The metrics' notes as a Markdown list: one line per note, naming its metrics unless it is every metric's. */
export function metricNotes(metrics: Metric[]): string[] {
  const names = new Map<string, string[]>();
  for (const metric of metrics) if (metric.note) names.set(metric.note, [...(names.get(metric.note) ?? []), metric.name]);
  return [...names].map(([note, of]) => (of.length === metrics.length ? `- ${cell(note)}` : `- ${cell(of.join("; "))}: ${cell(note)}`));
}
