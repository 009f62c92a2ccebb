// Holdout diagnostics of `ltvloop clv`: observed vs predicted purchases after the calibration
// end, by calibration frequency (Fader, Hardie & Lee 2005, Marketing Science, Figure 4).
import { conditionalExpectedPurchases, type BtydModel } from "@ltvloop/scoring/clv";
import type { SummaryColumns } from "@ltvloop/scoring/purchase-log";
import type { TripleIndex } from "./clv-triples.ts";
import { formatDay } from "@ltvloop/scoring/summary";

export interface HoldoutBucket {
  frequency: number;
  isOpenEnded: boolean;
  customers: number;
  actualMean: number;
  bgNbdMean: number | null;
  paretoNbdMean: number | null;
}

export interface HoldoutReport {
  start: string;
  end: string;
  /** Holdout length in the time unit. */
  length: number;
  byFrequency: HoldoutBucket[];
  totalActual: number;
  totalPredicted: { bgNbd: number | null; paretoNbd: number | null };
}

/** Observed vs predicted holdout purchases by calibration frequency: one pass, one prediction per distinct history. */
export function holdoutReport(s: SummaryColumns, triples: TripleIndex, calibrationEnd: number, lastDay: number, unitDays: number, models: { bg: BtydModel | null; pareto: BtydModel | null }): HoldoutReport {
  const length = (lastDay - calibrationEnd) / unitDays;
  const maxBucket = 7;
  const buckets = Array.from({ length: maxBucket + 1 }, (_, k) => ({ frequency: k, n: 0, actual: 0, bg: 0, pareto: 0 }));
  const bg = new Float64Array(triples.count);
  const pareto = new Float64Array(triples.count);
  for (let k = 0; k < triples.count; k++) {
    const c = { x: triples.x[k] ?? 0, tx: triples.tx[k] ?? 0, T: triples.T[k] ?? 0 };
    if (models.bg) bg[k] = conditionalExpectedPurchases(models.bg, length, c);
    if (models.pareto) pareto[k] = conditionalExpectedPurchases(models.pareto, length, c);
  }
  let totalActual = 0;
  for (let i = 0; i < s.n; i++) {
    const b = buckets[Math.min(s.frequency[i] ?? 0, maxBucket)];
    if (b === undefined) continue;
    const k = triples.of[i] ?? 0;
    const actual = s.holdoutPurchases[i] ?? 0;
    b.n++;
    b.actual += actual;
    b.bg += bg[k] ?? 0;
    b.pareto += pareto[k] ?? 0;
    totalActual += actual;
  }
  const mean = (sum: number, n: number) => (n > 0 ? sum / n : 0);
  return {
    start: formatDay(calibrationEnd + 1),
    end: formatDay(lastDay),
    length,
    byFrequency: buckets.map((b) => ({
      frequency: b.frequency,
      isOpenEnded: b.frequency === maxBucket,
      customers: b.n,
      actualMean: mean(b.actual, b.n),
      bgNbdMean: models.bg ? mean(b.bg, b.n) : null,
      paretoNbdMean: models.pareto ? mean(b.pareto, b.n) : null,
    })),
    totalActual,
    totalPredicted: {
      bgNbd: models.bg ? buckets.reduce((sum, b) => sum + b.bg, 0) : null,
      paretoNbd: models.pareto ? buckets.reduce((sum, b) => sum + b.pareto, 0) : null,
    },
  };
}

