import { ScoringError } from "../errors.ts";
import { verdictOf, type Verdict } from "./fieller.ts";
import type { Interval } from "./interval.ts";

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
