import { ScoringError } from "../errors.ts";
import { fiellerRelativeInterval, verdictOf, type Verdict } from "./fieller.ts";
import { alignRelativeInterval, type Interval } from "./interval.ts";

/** Result of {@link confidenceSequence}. */
export interface SequentialInterval {
  interval: Interval;
  verdict: Verdict;
  /** The mixture variance τ² the sequence was tuned with (metric units squared). */
  mixtureVariance: number;
  alpha: number;
}

/**
 * Always-valid confidence interval for a difference whose estimate is approximately
 * N(θ, V) at every look: the normal-mixture sequential probability ratio test (mSPRT) with
 * mixing distribution N(0, τ²), inverted into a confidence sequence,
 *
 *   estimate ± √( V(V + τ²)/τ² · (2·ln(1/α) + ln((V + τ²)/V)) ).
 *
 * Looking at it after every day and stopping at any look keeps the chance that any of the
 * intervals misses the true difference at or below α (Ville's inequality on the mixture
 * likelihood ratio; asymptotically, with V estimated). τ² must be fixed before looking — the
 * campaign's planned variance at the end of the outcome window is the usual choice: the
 * sequence is then tightest around the planned horizon.
 *
 * @see Robbins (1970), "Statistical methods related to the law of the iterated logarithm",
 * Ann. Math. Statist. 41(5) (normal mixtures).
 * @see Johari, Koomen, Pekelis & Walsh (2017), "Peeking at A/B tests", KDD '17.
 * @see Howard, Ramdas, McAuliffe & Sekhon (2021), "Time-uniform, nonparametric, nonasymptotic
 * confidence sequences", Ann. Statist. 49(2).
 */
export function confidenceSequence(estimate: number, variance: number, mixtureVariance: number, options: { alpha?: number } = {}): SequentialInterval {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new ScoringError("INVALID_INPUT", `alpha must be in (0, 1), got ${alpha}.`);
  if (!Number.isFinite(estimate) || !(variance >= 0) || !(mixtureVariance > 0)) {
    throw new ScoringError("INVALID_INPUT", `Need a finite estimate, variance ≥ 0 and mixture variance > 0; got ${estimate}, ${variance}, ${mixtureVariance}.`);
  }
  const v = variance;
  const t2 = mixtureVariance;
  const half = v > 0 ? Math.sqrt(((v * (v + t2)) / t2) * (2 * Math.log(1 / alpha) + Math.log((v + t2) / v))) : 0;
  const interval = { lower: estimate - half, upper: estimate + half };
  return { interval, verdict: verdictOf(interval), mixtureVariance: t2, alpha };
}

/** A two-group comparison read with an always-valid interval (see {@link sequentialComparison}). */
export interface SequentialComparison {
  difference: number;
  differenceCi: Interval;
  /** Fieller interval of the relative lift with the sequence's own critical value; null when unbounded or the control is 0. */
  relativeLiftCi: Interval | null;
  /** Always-valid p-value min(1, 1/Λ) of the mixture likelihood ratio: p < α ⇔ the interval excludes 0. */
  pValue: number;
  verdict: Verdict;
  /** Half-width / standard error: the sequence's critical value at this look (1.96 for a fixed 95% interval). */
  critical: number;
  mixtureVariance: number;
}

/**
 * {@link confidenceSequence} for treatment − control from each group's mean and the variance of
 * that mean, with the relative interval by Fieller's method at the sequence's critical value,
 * so the difference, relative lift, p-value and verdict of a provisional look agree just as the
 * fixed-horizon ones do.
 */
export function sequentialComparison(
  meanT: number,
  varMeanT: number,
  meanC: number,
  varMeanC: number,
  mixtureVariance: number,
  options: { alpha?: number } = {},
): SequentialComparison {
  const difference = meanT - meanC;
  const v = varMeanT + varMeanC;
  const cs = confidenceSequence(difference, v, mixtureVariance, options);
  const se = Math.sqrt(v);
  const critical = se > 0 ? (cs.interval.upper - difference) / se : 0;
  const t2 = mixtureVariance;
  const logLambda = v > 0 ? 0.5 * Math.log(v / (v + t2)) + (t2 * difference * difference) / (2 * v * (v + t2)) : difference === 0 ? 0 : Infinity;
  const pValue = Math.min(1, Math.exp(-logLambda));
  const fieller = meanC !== 0 ? fiellerRelativeInterval(meanT, varMeanT, meanC, varMeanC, critical).interval : null;
  return {
    difference,
    differenceCi: cs.interval,
    relativeLiftCi: alignRelativeInterval(fieller, cs.verdict),
    pValue,
    verdict: cs.verdict,
    critical,
    mixtureVariance: t2,
  };
}
