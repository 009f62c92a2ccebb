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
