// How a KPI card compares the last full month with the one before. Counts and amounts change
// by a share of themselves (▲ 3.3%); rates change by percentage points (▼ 0.6 pt): a retention
// rate going from 54.0% to 53.3% is 0.7 points, and "▼ 1.2%" (its relative change) read as if the
// rate itself had dropped by 1.2 points.

export type KpiKind = "number" | "money" | "percent" | "decimal";

export interface KpiChange {
  /** Relative change (0.033 = +3.3%) or the difference of two rates (−0.007 = −0.7 points). */
  value: number;
  unit: "relative" | "points";
}

export function kpiChange(kind: KpiKind, current: number | null | undefined, previous: number | null | undefined): KpiChange | null {
  if (current === null || current === undefined || previous === null || previous === undefined) return null;
  if (kind === "percent") return { value: current - previous, unit: "points" };
  if (previous === 0) return null;
  return { value: current / previous - 1, unit: "relative" };
}
