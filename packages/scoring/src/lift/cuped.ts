import { ScoringError } from "../errors.ts";
import { welchTest } from "./mean.ts";
import type { MeanLift, MeanStats } from "./mean.ts";

/** Sufficient statistics of outcome Y and pre-period covariate X in one group. */
export interface CupedStats {
  n: number;
  sumY: number;
  sumYY: number;
  sumX: number;
  sumXX: number;
  sumXY: number;
}

/** Result of {@link cupedTest}. */
export interface CupedLift {
  /** θ = cov(Y, X) / var(X) over both groups pooled. */
  theta: number;
  /** Pooled mean of the covariate the adjustment centres on. */
  covariateMean: number;
  /** Welch test on the adjusted metric Y − θ(X − X̄). */
  adjusted: MeanLift;
  /** Welch test on the raw metric, for comparison. */
  unadjusted: MeanLift;
  /** 1 − Var(adjusted difference)/Var(raw difference); the share of variance removed. */
  varianceReduction: number;
}

/** Sufficient statistics from per-customer outcome and covariate arrays of equal length. */
export function cupedStats(y: readonly number[], x: readonly number[]): CupedStats {
  if (y.length !== x.length) throw new ScoringError("INVALID_INPUT", "CUPED needs one covariate value per outcome value.");
  const s: CupedStats = { n: y.length, sumY: 0, sumYY: 0, sumX: 0, sumXX: 0, sumXY: 0 };
  y.forEach((yi, i) => {
    const xi = x[i] ?? 0;
    if (!Number.isFinite(yi) || !Number.isFinite(xi)) throw new ScoringError("INVALID_INPUT", "CUPED values must be finite.");
    s.sumY += yi;
    s.sumYY += yi * yi;
    s.sumX += xi;
    s.sumXX += xi * xi;
    s.sumXY += xi * yi;
  });
  return s;
}

/**
 * CUPED: variance reduction with the pre-period value of the same metric as covariate.
 * θ is estimated on both groups pooled (valid because X is measured before assignment), each
 * customer's metric becomes Y − θ(X − X̄), and the adjusted metric is compared by Welch's
 * test. Works on sufficient statistics so the moments can come from SQL.
 *
 * @see Deng, Xu, Kohavi & Walker (2013), "Improving the Sensitivity of Online Controlled
 * Experiments by Utilizing Pre-Experiment Data", WSDM '13.
 */
export function cupedTest(treatment: CupedStats, control: CupedStats, options: { confidenceLevel?: number } = {}): CupedLift {
  const n = treatment.n + control.n;
  const sumX = treatment.sumX + control.sumX;
  const sumY = treatment.sumY + control.sumY;
  const covariateMean = sumX / n;
  const varX = (treatment.sumXX + control.sumXX - sumX * covariateMean) / (n - 1);
  const covXY = (treatment.sumXY + control.sumXY - sumX * (sumY / n)) / (n - 1);
  const theta = varX > 1e-12 * Math.max(1, Math.abs(covariateMean) ** 2) ? covXY / varX : 0;
  const adjust = (g: CupedStats): MeanStats => {
    const m = covariateMean;
    const centredX = g.sumX - g.n * m;
    const centredXX = g.sumXX - 2 * m * g.sumX + g.n * m * m;
    const centredXY = g.sumXY - m * g.sumY;
    return { n: g.n, sum: g.sumY - theta * centredX, sumSquares: g.sumYY - 2 * theta * centredXY + theta * theta * centredXX };
  };
  const raw = (g: CupedStats): MeanStats => ({ n: g.n, sum: g.sumY, sumSquares: g.sumYY });
  const adjusted = welchTest(adjust(treatment), adjust(control), options);
  const unadjusted = welchTest(raw(treatment), raw(control), options);
  const rawVar = unadjusted.standardError ** 2;
  const varianceReduction = rawVar > 0 ? 1 - adjusted.standardError ** 2 / rawVar : 0;
  return { theta, covariateMean, adjusted, unadjusted, varianceReduction };
}

/** {@link cupedTest} on per-customer arrays: `y` outcome window, `x` pre-period. */
export function cupedTestFromValues(
  treatment: { y: readonly number[]; x: readonly number[] },
  control: { y: readonly number[]; x: readonly number[] },
  options: { confidenceLevel?: number } = {},
): CupedLift {
  return cupedTest(cupedStats(treatment.y, treatment.x), cupedStats(control.y, control.x), options);
}
