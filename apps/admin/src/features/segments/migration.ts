// Shapes `segmentMigration` transitions for the Sankey chart and the transition table.
import { RFM_SEGMENT_KEYS } from "../shared/segment-keys.ts";

export interface Transition {
  /** RFM segment key in the earlier snapshot; null = not yet a customer then. */
  from: string | null;
  /** RFM segment key in the later snapshot; null = not scored then. */
  to: string | null;
  customers: number;
  /** Revenue the customers added between the two snapshots. */
  revenue: number;
}

export type MigrationMeasure = "customers" | "revenue";

export interface SankeyNode {
  /** Unique per side (`from:lost`, `to:lost`): ECharts needs an acyclic graph of distinct names. */
  name: string;
  side: "from" | "to";
  key: string | null;
  /** What people read: the segment's name (ECharts' own `label` is its styling). */
  title: string;
  itemStyle: { color: string };
  /** Total of the measure through the node. */
  value: number;
}

export interface SankeyLink {
  source: string;
  target: string;
  value: number;
  customers: number;
  revenue: number;
}

export interface SankeyData {
  nodes: SankeyNode[];
  links: SankeyLink[];
  /** Transitions left out because they carry nothing in this measure (no revenue added). */
  hidden: number;
}

/** Where the "no segment" side sits: new customers first on the left, unscored last on the right. */
const order = (key: string | null, side: "from" | "to") => {
  if (key === null) return side === "from" ? -1 : RFM_SEGMENT_KEYS.length + 1;
  const i = (RFM_SEGMENT_KEYS as readonly string[]).indexOf(key);
  return i === -1 ? RFM_SEGMENT_KEYS.length : i;
};

export const nodeName = (side: "from" | "to", key: string | null) => `${side}:${key ?? "∅"}`;

/**
 * Nodes (from-segments on the left, to-segments on the right, in the RFM map's order) and
 * links weighted by customers or by revenue added. Links of zero or negative weight are left
 * out (a Sankey cannot draw them), and so are nodes no link touches.
 */
export function buildSankey(
  transitions: readonly Transition[],
  measure: MigrationMeasure,
  label: (key: string | null, side: "from" | "to") => string,
  color: (key: string | null) => string,
): SankeyData {
  const links: SankeyLink[] = [];
  let hidden = 0;
  for (const t of transitions) {
    const value = measure === "customers" ? t.customers : t.revenue;
    if (!(value > 0)) {
      hidden += 1;
      continue;
    }
    links.push({ source: nodeName("from", t.from), target: nodeName("to", t.to), value, customers: t.customers, revenue: t.revenue });
  }
  const totals = new Map<string, number>();
  for (const l of links) {
    totals.set(l.source, (totals.get(l.source) ?? 0) + l.value);
    totals.set(l.target, (totals.get(l.target) ?? 0) + l.value);
  }
  const nodes: SankeyNode[] = [];
  for (const side of ["from", "to"] as const) {
    const keys = [...new Set(transitions.map((t) => (side === "from" ? t.from : t.to)))].sort((a, b) => order(a, side) - order(b, side));
    for (const key of keys) {
      const name = nodeName(side, key);
      const value = totals.get(name);
      if (value === undefined) continue;
      nodes.push({ name, side, key, title: label(key, side), itemStyle: { color: color(key) }, value });
    }
  }
  // Links in node order too, so bands do not cross more than the data makes them.
  const rank = new Map(nodes.map((n, i) => [n.name, i]));
  links.sort((a, b) => (rank.get(a.source) ?? 0) - (rank.get(b.source) ?? 0) || (rank.get(a.target) ?? 0) - (rank.get(b.target) ?? 0));
  return { nodes, links, hidden };
}

export interface TransitionRow extends Transition {
  /** Share of the from-segment's customers (of the to-segment's for new customers). */
  shareOfFrom: number;
  isSame: boolean;
}

export interface MigrationSummary {
  /** Customers scored in both snapshots. */
  tracked: number;
  stayed: number;
  moved: number;
  /** Customers first scored in the later snapshot. */
  entered: number;
  /** Customers scored before but not in the later snapshot. */
  left: number;
  revenue: number;
}

export function transitionRows(transitions: readonly Transition[]): TransitionRow[] {
  const fromTotals = new Map<string | null, number>();
  for (const t of transitions) fromTotals.set(t.from, (fromTotals.get(t.from) ?? 0) + t.customers);
  return transitions
    .map((t) => ({ ...t, shareOfFrom: t.customers / (fromTotals.get(t.from) || 1), isSame: t.from !== null && t.from === t.to }))
    .sort((a, b) => b.customers - a.customers || order(a.from, "from") - order(b.from, "from") || order(a.to, "to") - order(b.to, "to"));
}

export function summarizeMigration(transitions: readonly Transition[]): MigrationSummary {
  const s: MigrationSummary = { tracked: 0, stayed: 0, moved: 0, entered: 0, left: 0, revenue: 0 };
  for (const t of transitions) {
    s.revenue += t.revenue;
    if (t.from === null) s.entered += t.customers;
    else if (t.to === null) s.left += t.customers;
    else {
      s.tracked += t.customers;
      if (t.from === t.to) s.stayed += t.customers;
      else s.moved += t.customers;
    }
  }
  return s;
}

export interface SnapshotOption {
  id: string;
  asOf: string;
  status: string;
}

/** The default comparison: the previous succeeded snapshot → the latest one (null with fewer than two). */
export function defaultPair(snapshots: readonly SnapshotOption[]): { from: string; to: string } | null {
  const done = snapshots.filter((s) => s.status === "SUCCEEDED").sort((a, b) => Date.parse(b.asOf) - Date.parse(a.asOf));
  const [latest, previous] = done;
  return latest && previous ? { from: previous.id, to: latest.id } : null;
}
