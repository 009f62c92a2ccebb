// Holdout diagnostics of `ltvloop clv`: observed vs predicted purchases after the calibration
// end, by calibration frequency (Fader, Hardie & Lee 2005, Marketing Science, Figure 4).
import { conditionalExpectedPurchases, type BtydModel } from "@ltvloop/scoring/clv";
import type { SummaryColumns } from "@ltvloop/scoring/purchase-log";
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
export function holdoutReport(s: SummaryColumns, calibrationEnd: number, lastDay: number, unitDays: number, models: { bg: BtydModel | null; pareto: BtydModel | null }): HoldoutReport {
  const length = (lastDay - calibrationEnd) / unitDays;
  const maxBucket = 7;
  const buckets = Array.from({ length: maxBucket + 1 }, (_, k) => ({ frequency: k, n: 0, actual: 0, bg: 0, pareto: 0 }));
  const cache = new Map<string, [number, number]>();
  let totalActual = 0;
  for (let i = 0; i < s.n; i++) {
    const x = s.frequency[i] ?? 0;
    const tx = s.recency[i] ?? 0;
    const T = s.T[i] ?? 0;
    const key = `${x}|${tx}|${T}`;
    let predicted = cache.get(key);
    if (predicted === undefined) {
      const c = { x, tx, T };
      predicted = [models.bg ? conditionalExpectedPurchases(models.bg, length, c) : 0, models.pareto ? conditionalExpectedPurchases(models.pareto, length, c) : 0];
      cache.set(key, predicted);
    }
    const b = buckets[Math.min(x, maxBucket)];
    if (b === undefined) continue;
    const actual = s.holdoutPurchases[i] ?? 0;
    b.n++;
    b.actual += actual;
    b.bg += predicted[0];
    b.pareto += predicted[1];
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

