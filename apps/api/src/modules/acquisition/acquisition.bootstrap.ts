// The LTV/CAC interval: a percentile bootstrap over customers with a fixed seed, so the same
// data always gives the same interval. Pure; the service feeds it per-customer arrays read in SQL.
import { mulberry32 } from "@ltvloop/scoring/random";

/** Resamples per interval. */
export const BOOTSTRAP_RESAMPLES = 1000;
/** The fixed seed of the resampling. */
export const BOOTSTRAP_SEED = 20_240_601;

export interface RatioInterval {
  lower: number;
  upper: number;
}


const quantile = (sorted: readonly number[], p: number): number => {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (h - lo);
};

/**
 * 95% percentile-bootstrap interval of sum(numerator) / sum(denominator) — LTV/CAC as the ratio
 * of the group's totals — resampling customers with replacement. Null when there are fewer than
 * two customers or the denominator's total is 0 (no ratio to estimate). Resamples whose
 * denominator is 0 are dropped; null when more than half are.
 */
export function bootstrapRatioInterval(
  numerator: readonly number[],
  denominator: readonly number[],
  options: { resamples?: number; seed?: number; level?: number } = {},
): RatioInterval | null {
  const n = numerator.length;
  if (n !== denominator.length) throw new Error("bootstrapRatioInterval: the arrays differ in length");
  if (n < 2) return null;
  let total = 0;
  for (const d of denominator) total += d;
  if (!(total > 0)) return null;
  const resamples = options.resamples ?? BOOTSTRAP_RESAMPLES;
  const level = options.level ?? 0.95;
  const uniform = mulberry32(options.seed ?? BOOTSTRAP_SEED);
  const ratios: number[] = [];
  for (let b = 0; b < resamples; b++) {
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      const j = Math.floor(uniform() * n);
      num += numerator[j] as number;
      den += denominator[j] as number;
    }
    if (den > 0) ratios.push(num / den);
  }
  if (ratios.length < resamples / 2) return null;
  ratios.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  return { lower: quantile(ratios, tail), upper: quantile(ratios, 1 - tail) };
}
