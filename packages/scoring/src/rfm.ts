import { ScoringError } from "./errors.ts";

/** A score 1–5; 5 is best. */
export type Score = 1 | 2 | 3 | 4 | 5;

/** Per-customer RFM inputs at the snapshot date. */
export interface RfmInput {
  customerId: string;
  /** Days since the last purchase (fewer is better). */
  recencyDays: number;
  /** Purchases (distinct purchase days) in the look-back window. */
  frequency: number;
  /** Revenue in the look-back window (currency units). */
  monetary: number;
}

/** RFM scores of one customer. */
export interface RfmScore {
  customerId: string;
  r: Score;
  f: Score;
  m: Score;
}

function assertInputs(rows: readonly RfmInput[]): void {
  for (const row of rows) {
    if (![row.recencyDays, row.frequency, row.monetary].every(Number.isFinite) || row.recencyDays < 0 || row.frequency < 0) {
      throw new ScoringError("INVALID_INPUT", `Customer ${row.customerId}: recency, frequency and monetary must be finite, recency and frequency ≥ 0.`);
    }
  }
}

/**
 * Quantile scores 1–5 of `values` where larger is better. Rule (ties stay together): a value's
 * score is 1 + ⌊5 · (share of customers with a strictly worse value)⌋, i.e. the percentile of the
 * value's first occurrence in sorted order. Every customer with the same value gets the same
 * score, the worst value always scores 1, and scores never decrease as values improve. When one
 * value covers more than a fifth of customers, some scores are skipped rather than splitting ties.
 */
export function quantileScores(values: readonly number[], higherIsBetter = true): Score[] {
  const n = values.length;
  if (n === 0) return [];
  const sorted = Float64Array.from(values).sort();
  /** Number of values strictly below v (binary search in the sorted copy). */
  const below = (v: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] ?? 0) < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** Number of values strictly above v. */
  const above = (v: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] ?? 0) <= v) lo = mid + 1;
      else hi = mid;
    }
    return n - lo;
  };
  return values.map((v) => {
    const worse = higherIsBetter ? below(v) : above(v);
    return (1 + Math.min(4, Math.floor((5 * worse) / n))) as Score;
  });
}

/**
 * RFM scores by quantiles of the scored population (see {@link quantileScores} for the tie
 * rule). Recency: fewer days since the last purchase scores higher. Frequency and monetary:
 * more scores higher. Output order follows input order.
 *
 * @see Hughes (1994), "Strategic Database Marketing" (quintile RFM scoring).
 */
export function scoreRfmByQuantiles(rows: readonly RfmInput[]): RfmScore[] {
  assertInputs(rows);
  const r = quantileScores(rows.map((x) => x.recencyDays), false);
  const f = quantileScores(rows.map((x) => x.frequency));
  const m = quantileScores(rows.map((x) => x.monetary));
  return rows.map((row, i) => ({ customerId: row.customerId, r: r[i] ?? 1, f: f[i] ?? 1, m: m[i] ?? 1 }));
}

/** Operator-set cut points, four per dimension, ascending. */
export interface RfmThresholds {
  /** Upper bounds (inclusive, days) for scores 5, 4, 3, 2; beyond the last scores 1. */
  recencyDays: readonly [number, number, number, number];
  /** Lower bounds (inclusive, purchases) for scores 2, 3, 4, 5; below the first scores 1. */
  frequency: readonly [number, number, number, number];
  /** Lower bounds (inclusive, currency units) for scores 2, 3, 4, 5. */
  monetary: readonly [number, number, number, number];
}

/**
 * Default thresholds: R ≤30 / ≤60 / ≤90 / ≤180 / >180 days; F 1 / 2 / 3–4 / 5–9 / 10+;
 * M (JPY) <10,000 / 10,000+ / 30,000+ / 50,000+ / 100,000+.
 */
export const DEFAULT_RFM_THRESHOLDS: RfmThresholds = {
  recencyDays: [30, 60, 90, 180],
  frequency: [2, 3, 5, 10],
  monetary: [10_000, 30_000, 50_000, 100_000],
};

function assertAscending(cuts: readonly number[], name: string): void {
  for (let i = 1; i < cuts.length; i += 1) {
    if (!((cuts[i] ?? 0) > (cuts[i - 1] ?? 0))) {
      throw new ScoringError("INVALID_INPUT", `${name} thresholds must be strictly ascending, got ${cuts.join(", ")}.`);
    }
  }
}

/** Score from lower bounds for scores 2..5 (value ≥ bound). */
function scoreAtLeast(value: number, bounds: readonly number[]): Score {
  let score = 1;
  for (const bound of bounds) if (value >= bound) score += 1;
  return score as Score;
}

/** Score from upper bounds for scores 5..2 (value ≤ bound). */
function scoreAtMost(value: number, bounds: readonly number[]): Score {
  let score = 1;
  for (const bound of bounds) if (value <= bound) score += 1;
  return score as Score;
}

/**
 * RFM scores from operator-set thresholds (stable across snapshots, unlike quantiles).
 * See {@link RfmThresholds} for how the cut points read.
 */
export function scoreRfmByThresholds(rows: readonly RfmInput[], thresholds: RfmThresholds = DEFAULT_RFM_THRESHOLDS): RfmScore[] {
  assertInputs(rows);
  assertAscending(thresholds.recencyDays, "recencyDays");
  assertAscending(thresholds.frequency, "frequency");
  assertAscending(thresholds.monetary, "monetary");
  return rows.map((row) => ({
    customerId: row.customerId,
    r: scoreAtMost(row.recencyDays, thresholds.recencyDays),
    f: scoreAtLeast(row.frequency, thresholds.frequency),
    m: scoreAtLeast(row.monetary, thresholds.monetary),
  }));
}

/** One cell of the RF matrix. */
export interface RfCell {
  r: Score;
  f: Score;
  customers: number;
  /** Revenue of the cell's customers (currency units). */
  revenue: number;
  /** revenue / total revenue (0 when total revenue is 0). */
  revenueShare: number;
  /** Mean monetary value per customer in the cell (0 for an empty cell). */
  meanMonetary: number;
}

/**
 * The 5×5 RF matrix: `cells[r − 1][f − 1]` for every (R, F) pair, including empty cells.
 * Input rows carry the scores and the customer's monetary value.
 */
export function rfMatrix(rows: readonly { r: Score; f: Score; monetary: number }[]): { cells: RfCell[][]; customers: number; revenue: number } {
  const cells: RfCell[][] = [1, 2, 3, 4, 5].map((r) =>
    [1, 2, 3, 4, 5].map((f) => ({ r: r as Score, f: f as Score, customers: 0, revenue: 0, revenueShare: 0, meanMonetary: 0 })),
  );
  let revenue = 0;
  for (const row of rows) {
    const cell = cells[row.r - 1]?.[row.f - 1];
    if (cell === undefined || !Number.isFinite(row.monetary)) {
      throw new ScoringError("INVALID_INPUT", `RF scores must be integers 1–5 and monetary finite, got r=${row.r}, f=${row.f}.`);
    }
    cell.customers += 1;
    cell.revenue += row.monetary;
    revenue += row.monetary;
  }
  for (const line of cells) {
    for (const cell of line) {
      cell.revenueShare = revenue !== 0 ? cell.revenue / revenue : 0;
      cell.meanMonetary = cell.customers > 0 ? cell.revenue / cell.customers : 0;
    }
  }
  return { cells, customers: rows.length, revenue };
}

/** Stable keys of the default RFM segments. */
export type RfmSegmentKey =
  | "champions"
  | "loyal"
  | "new"
  | "promising"
  | "need_attention"
  | "at_risk"
  | "hibernating"
  | "lost";

/** Japanese and English labels of the default segments. */
export const RFM_SEGMENT_LABELS: Readonly<Record<RfmSegmentKey, { ja: string; en: string }>> = {
  champions: { ja: "優良顧客", en: "Champions" },
  loyal: { ja: "ロイヤル顧客", en: "Loyal" },
  new: { ja: "新規顧客", en: "New" },
  promising: { ja: "有望顧客", en: "Promising" },
  need_attention: { ja: "要注意", en: "Need attention" },
  at_risk: { ja: "離反予備軍", en: "At risk" },
  hibernating: { ja: "休眠顧客", en: "Hibernating" },
  lost: { ja: "離反顧客", en: "Lost" },
};

/**
 * A segment map over RF cells: `map[r − 1][f − 1]` is the segment key of that cell.
 * Keys are free strings so operators can define their own segments.
 */
export type RfSegmentMap<K extends string = string> = readonly (readonly [K, K, K, K, K])[];

/**
 * Default RF segment map (rows R, columns F; 5 = best):
 *
 * | R \ F | 1 | 2 | 3 | 4 | 5 |
 * |---|---|---|---|---|---|
 * | 5 | new | promising | loyal | champions | champions |
 * | 4 | new | promising | loyal | loyal | champions |
 * | 3 | need_attention | need_attention | need_attention | loyal | loyal |
 * | 2 | hibernating | hibernating | at_risk | at_risk | at_risk |
 * | 1 | lost | lost | hibernating | at_risk | at_risk |
 *
 * Recent one-time buyers are new; recent frequent buyers champions; frequent buyers who have
 * gone quiet at risk (worth a win-back); infrequent, long-gone buyers lost.
 */
export const DEFAULT_RF_SEGMENT_MAP: RfSegmentMap<RfmSegmentKey> = [
  ["lost", "lost", "hibernating", "at_risk", "at_risk"],
  ["hibernating", "hibernating", "at_risk", "at_risk", "at_risk"],
  ["need_attention", "need_attention", "need_attention", "loyal", "loyal"],
  ["new", "promising", "loyal", "loyal", "champions"],
  ["new", "promising", "loyal", "champions", "champions"],
];

/** Segment key of an (R, F) cell under `map` (default {@link DEFAULT_RF_SEGMENT_MAP}). */
export function rfmSegment<K extends string = RfmSegmentKey>(
  r: Score,
  f: Score,
  map: RfSegmentMap<K> = DEFAULT_RF_SEGMENT_MAP as unknown as RfSegmentMap<K>,
): K {
  const key = map[r - 1]?.[f - 1];
  if (key === undefined) throw new ScoringError("INVALID_INPUT", `RF scores must be integers 1–5, got r=${r}, f=${f}.`);
  return key;
}
