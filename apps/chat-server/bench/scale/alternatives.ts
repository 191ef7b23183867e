// One figure beside several other servers': BenchResult has one alternative per metric, so one metric per alternative.
import type { Metric } from "@netlab/bench-kit";

export interface Peer {
  name: string;
  /** Undefined when that server could not be measured (not installed, or it failed). */
  value: number | undefined;
  note?: string;
}

/** The metric with the first peer as its alternative, then a copy "(vs <peer>)" for each further peer; the target stays on the first only. */
export function beside(metric: Metric, peers: Peer[]): Metric[] {
  const measured = peers.filter((peer): peer is Peer & { value: number } => peer.value !== undefined && Number.isFinite(peer.value));
  if (measured.length === 0) return [metric];
  return measured.map((peer, i) => {
    const copy: Metric = i === 0 ? { ...metric } : { name: `${metric.name} (vs ${peer.name})`, unit: metric.unit, value: metric.value };
    copy.alternative = { name: peer.name, value: peer.value };
    const note = [i === 0 ? metric.note : undefined, peer.note].filter(Boolean).join("; ");
    if (note) copy.note = note;
    else delete copy.note;
    return copy;
  });
}
