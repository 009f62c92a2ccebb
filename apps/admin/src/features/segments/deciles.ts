// Reading the decile table (デシル分析): how concentrated revenue is in the top customers.

export interface DecileShareRow {
  decile: number;
  cumulativeShare: number;
}

/** Cumulative revenue share of the top `deciles` tenths (e.g. 2 → top 20%); null when the rows lack it. */
export function topShare(rows: readonly DecileShareRow[], deciles: number): number | null {
  return rows.find((r) => r.decile === deciles)?.cumulativeShare ?? null;
}
