import { ScoringError } from "../errors.ts";
import { welchTest } from "./mean.ts";
import type { MeanLift } from "./mean.ts";
import type { Interval } from "./interval.ts";

/** Sufficient statistics of one group for difference-in-differences. */
export interface DidGroupStats {
  n: number;
  /** Σ pre-period metric */
  sumPre: number;
  /** Σ outcome-window metric */
  sumPost: number;
  /** Σ (post − pre)² per customer */
  sumChangeSquares: number;
}

/** Result of {@link differenceInDifferences}. */
export interface DidResult {
  treatment: { preMean: number; postMean: number; change: number };
  control: { preMean: number; postMean: number; change: number };
  /** (post − pre)_treatment − (post − pre)_control, metric units per customer. */
  estimate: number;
  ci: Interval;
  pValue: number;
  /** The Welch test on per-customer change scores that produced the estimate. */
  test: MeanLift;
}

/**
 * Difference-in-differences, treatment vs control, over the pre-period and the outcome
 * window of equal length. Computed per customer on change scores (post − pre) and compared
 * by Welch's test, which accounts for the pre/post correlation within a customer.
 *
 * @see Angrist & Pischke (2009), Mostly Harmless Econometrics, §5.2.
 */
export function differenceInDifferences(treatment: DidGroupStats, control: DidGroupStats, options: { confidenceLevel?: number } = {}): DidResult {
  const test = welchTest(
    { n: treatment.n, sum: treatment.sumPost - treatment.sumPre, sumSquares: treatment.sumChangeSquares },
    { n: control.n, sum: control.sumPost - control.sumPre, sumSquares: control.sumChangeSquares },
    options,
  );
  const describe = (g: DidGroupStats) => ({ preMean: g.sumPre / g.n, postMean: g.sumPost / g.n, change: (g.sumPost - g.sumPre) / g.n });
  return { treatment: describe(treatment), control: describe(control), estimate: test.difference, ci: test.differenceCi, pValue: test.pValue, test };
}

/** Group statistics from per-customer pre and post arrays (same customer order). */
export function didStats(pre: readonly number[], post: readonly number[]): DidGroupStats {
  if (pre.length !== post.length) throw new ScoringError("INVALID_INPUT", "Difference-in-differences needs one pre value per post value.");
  let sumPre = 0;
  let sumPost = 0;
  let sumChangeSquares = 0;
  pre.forEach((a, i) => {
    const b = post[i] ?? 0;
    if (!Number.isFinite(a) || !Number.isFinite(b)) throw new ScoringError("INVALID_INPUT", "Metric values must be finite.");
    sumPre += a;
    sumPost += b;
    sumChangeSquares += (b - a) ** 2;
  });
  return { n: pre.length, sumPre, sumPost, sumChangeSquares };
}

/** {@link differenceInDifferences} on per-customer arrays. */
export function differenceInDifferencesFromValues(
  treatment: { pre: readonly number[]; post: readonly number[] },
  control: { pre: readonly number[]; post: readonly number[] },
  options: { confidenceLevel?: number } = {},
): DidResult {
  return differenceInDifferences(didStats(treatment.pre, treatment.post), didStats(control.pre, control.post), options);
}
