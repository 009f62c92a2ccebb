import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import { ScoringError } from "../errors.ts";

/** Result of {@link sampleRatioMismatch}. */
export interface SrmResult {
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  /** Expected counts under the planned split. */
  expected: number[];
  /** True when pValue < threshold: the assignment or the data pipeline is suspect. */
  isMismatch: boolean;
  threshold: number;
}

/**
 * Sample ratio mismatch: Pearson chi-square goodness-of-fit of observed group sizes against
 * the planned split (e.g. [0.9, 0.1] for a 10% holdout). Flags a mismatch when p < threshold
 * (default 0.001, the conventional SRM alarm level).
 *
 * @see Fabijan et al. (2019), "Diagnosing Sample Ratio Mismatch in Online Controlled
 * Experiments", KDD '19.
 */
export function sampleRatioMismatch(
  observed: readonly number[],
  plannedShares: readonly number[],
  options: { threshold?: number } = {},
): SrmResult {
  const threshold = options.threshold ?? 0.001;
  if (observed.length < 2 || observed.length !== plannedShares.length) {
    throw new ScoringError("INVALID_INPUT", "SRM needs at least two groups and one planned share per group.");
  }
  if (!observed.every((v) => Number.isInteger(v) && v >= 0) || !plannedShares.every((s) => Number.isFinite(s) && s > 0)) {
    throw new ScoringError("INVALID_INPUT", "Observed counts must be integers ≥ 0 and planned shares > 0.");
  }
  const total = observed.reduce((s, v) => s + v, 0);
  const shareTotal = plannedShares.reduce((s, v) => s + v, 0);
  if (total === 0) throw new ScoringError("EMPTY_INPUT", "SRM needs at least one assigned customer.");
  const expected = plannedShares.map((s) => (total * s) / shareTotal);
  let chiSquare = 0;
  observed.forEach((o, i) => {
    const e = expected[i] ?? 1;
    chiSquare += ((o - e) * (o - e)) / e;
  });
  const degreesOfFreedom = observed.length - 1;
  const pValue = 1 - chisquareCdf(chiSquare, degreesOfFreedom);
  return { chiSquare, degreesOfFreedom, pValue, expected, isMismatch: pValue < threshold, threshold };
}
