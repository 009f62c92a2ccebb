import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { ScoringError } from "../errors.ts";
import { fiellerRelativeInterval, verdictOf, type Verdict } from "./fieller.ts";
import { alignRelativeInterval, normalCritical } from "./interval.ts";
import type { Interval } from "./interval.ts";

/** Sufficient statistics of a per-customer metric in one group (computable in SQL). */
export interface MeanStats {
  n: number;
  /** Σ y */
  sum: number;
  /** Σ y² */
  sumSquares: number;
}

/** Mean and sample variance of one group. */
export interface GroupMoments {
  n: number;
  mean: number;
  /** Sample variance (n − 1 denominator). */
  variance: number;
}

/** Result of {@link welchTest}. */
export interface MeanLift {
  treatment: GroupMoments;
  control: GroupMoments;
  /** treatment mean − control mean (metric units, e.g. JPY per customer). */
  difference: number;
  differenceCi: Interval;
  standardError: number;
  /** Welch–Satterthwaite degrees of freedom. */
  degreesOfFreedom: number;
  t: number;
  /** Two-sided p-value. */
  pValue: number;
  /** treatment mean / control mean − 1; null when the control mean is 0. */
  relativeLift: number | null;
  /**
   * Fieller interval of the relative lift with the test's own t critical value; null when the
   * control mean is 0 or not distinguishable from 0 (the interval would be unbounded).
   */
  relativeLiftCi: Interval | null;
  /** What the difference interval (and so the relative interval and p < α) says. */
  verdict: Verdict;
  confidenceLevel: number;
}

/** Sufficient statistics of an array. */
export function meanStats(values: readonly number[]): MeanStats {
  let sum = 0;
  let sumSquares = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new ScoringError("INVALID_INPUT", `Metric values must be finite, got ${v}.`);
    sum += v;
    sumSquares += v * v;
  }
  return { n: values.length, sum, sumSquares };
}

/** Mean and sample variance from sufficient statistics (variance clamped at 0 against rounding). */
export function momentsOf(stats: MeanStats, name = "group"): GroupMoments {
  if (!Number.isInteger(stats.n) || stats.n < 2 || !Number.isFinite(stats.sum) || !Number.isFinite(stats.sumSquares)) {
    throw new ScoringError("INVALID_INPUT", `${name}: need at least 2 customers and finite sums, got n=${stats.n}.`);
  }
  const mean = stats.sum / stats.n;
  const variance = Math.max(0, (stats.sumSquares - stats.sum * mean) / (stats.n - 1));
  return { n: stats.n, mean, variance };
}

/**
 * Welch's unequal-variance t-test of a per-customer metric (revenue or orders per customer),
 * treatment vs control, from sufficient statistics. Interval of the difference from the t
 * distribution with Welch–Satterthwaite degrees of freedom; relative lift interval by Fieller's
 * method with the same t critical value, so p < α, the difference interval and the relative
 * interval always agree.
 *
 * @see Welch (1947), "The generalization of 'Student's' problem when several different
 * population variances are involved", Biometrika 34(1–2), 28–35.
 */
export function welchTest(treatment: MeanStats, control: MeanStats, options: { confidenceLevel?: number } = {}): MeanLift {
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  normalCritical(confidenceLevel); // validates the level
  const t1 = momentsOf(treatment, "treatment");
  const c1 = momentsOf(control, "control");
  const vt = t1.variance / t1.n;
  const vc = c1.variance / c1.n;
  const se = Math.sqrt(vt + vc);
  const difference = t1.mean - c1.mean;
  const df = se > 0 ? (vt + vc) ** 2 / ((vt * vt) / (t1.n - 1) + (vc * vc) / (c1.n - 1)) : t1.n + c1.n - 2;
  let t: number;
  let pValue: number;
  let half: number;
  const critical = tQuantile(1 - (1 - confidenceLevel) / 2, df);
  if (se > 0) {
    t = difference / se;
    pValue = 2 * tCdf(-Math.abs(t), df);
    half = critical * se;
  } else {
    // Both groups constant: the difference is known exactly.
    t = difference === 0 ? 0 : Math.sign(difference) * Infinity;
    pValue = difference === 0 ? 1 : 0;
    half = 0;
  }
  const differenceCi = { lower: difference - half, upper: difference + half };
  const verdict = verdictOf(differenceCi);
  const relativeLift = c1.mean !== 0 ? t1.mean / c1.mean - 1 : null;
  const relativeLiftCi = c1.mean !== 0 ? alignRelativeInterval(fiellerRelativeInterval(t1.mean, vt, c1.mean, vc, critical).interval, verdict) : null;
  return {
    treatment: t1,
    control: c1,
    difference,
    differenceCi,
    standardError: se,
    degreesOfFreedom: df,
    t,
    pValue,
    relativeLift,
    relativeLiftCi,
    verdict,
    confidenceLevel,
  };
}

/** How extreme customers were capped before the test. */
export interface Winsorization {
  /** Percentile of the pooled (treatment + control) values used as the cap, e.g. 0.99. */
  percentile: number;
  /** The cap (metric units). */
  cap: number;
  cappedTreatment: number;
  cappedControl: number;
}

/** Linear-interpolation quantile (Hyndman & Fan type 7) of sorted values. */
function quantileSorted(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] ?? 0;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
  return a + (h - lo) * (b - a);
}

/**
 * {@link welchTest} on per-customer values, optionally winsorised: values above the
 * `winsorizePercentile` quantile of the pooled values are set to it (same cap in both groups,
 * so the cap does not depend on the assignment). The cap is stated in the result.
 *
 * @see Dixon (1960), "Simplified estimation from censored normal samples", Ann. Math. Statist. 31 (winsorisation).
 */
export function welchTestFromValues(
  treatment: readonly number[],
  control: readonly number[],
  options: { confidenceLevel?: number; winsorizePercentile?: number } = {},
): MeanLift & { winsorization: Winsorization | null } {
  const p = options.winsorizePercentile;
  if (p === undefined) {
    return { ...welchTest(meanStats(treatment), meanStats(control), options), winsorization: null };
  }
  if (!(p > 0 && p <= 1)) throw new ScoringError("INVALID_INPUT", `winsorizePercentile must be in (0, 1], got ${p}.`);
  const pooled = [...treatment, ...control].sort((x, y) => x - y);
  const cap = quantileSorted(pooled, p);
  let cappedTreatment = 0;
  let cappedControl = 0;
  const t = treatment.map((v) => (v > cap ? (cappedTreatment++, cap) : v));
  const c = control.map((v) => (v > cap ? (cappedControl++, cap) : v));
  return {
    ...welchTest(meanStats(t), meanStats(c), options),
    winsorization: { percentile: p, cap, cappedTreatment, cappedControl },
  };
}
