import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { ScoringError } from "../errors.ts";

/** A two-sided confidence interval [lower, upper]. */
export interface Interval {
  lower: number;
  upper: number;
}

/** Two-sided critical value of the standard normal for a confidence level (0.95 → 1.96). */
export function normalCritical(confidenceLevel: number): number {
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
    throw new ScoringError("INVALID_INPUT", `confidenceLevel must be in (0, 1), got ${confidenceLevel}.`);
  }
  return normalQuantile(1 - (1 - confidenceLevel) / 2, 0, 1);
}

/**
 * Delta-method standard error of the ratio of two independent estimates a/b − 1:
 * Var(a/b) ≈ Var(a)/b² + a² Var(b)/b⁴.
 *
 * @see Casella & Berger (2002), Statistical Inference, §5.5.4 (delta method).
 */
export function ratioStandardError(a: number, varA: number, b: number, varB: number): number {
  return Math.sqrt(varA / (b * b) + (a * a * varB) / (b * b * b * b));
}

/**
 * Fieller's relative interval and the difference interval come from one statistic, so they
 * agree mathematically; this removes a disagreement by rounding at the boundary (a bound
 * within ~1e-12 of 0 on the wrong side is set to 0), so a reader never sees "significant"
 * next to an interval that crosses 0.
 */
export function alignRelativeInterval(ci: Interval | null, verdict: "increase" | "decrease" | "no_detectable_change"): Interval | null {
  if (!ci) return null;
  const tol = 1e-12 * Math.max(1, Math.abs(ci.lower), Math.abs(ci.upper));
  let { lower, upper } = ci;
  if (verdict === "no_detectable_change") {
    if (lower > 0 && lower < tol) lower = 0;
    if (upper < 0 && upper > -tol) upper = 0;
  } else if (verdict === "increase" && lower <= 0 && lower > -tol) {
    lower = Number.MIN_VALUE;
  } else if (verdict === "decrease" && upper >= 0 && upper < tol) {
    upper = -Number.MIN_VALUE;
  }
  return { lower, upper };
}
