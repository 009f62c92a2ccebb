import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { ScoringError } from "../errors.ts";
import { normalCritical, ratioStandardError } from "./interval.ts";
import type { Interval } from "./interval.ts";

/** Sufficient statistics of a conversion metric in one group. */
export interface ProportionGroup {
  /** Customers in the group. */
  n: number;
  /** Customers who converted (0 ≤ conversions ≤ n). */
  conversions: number;
}

/** Result of {@link twoProportionTest}. */
export interface ProportionLift {
  treatmentRate: number;
  controlRate: number;
  /** treatmentRate − controlRate (absolute lift, proportion points). */
  difference: number;
  /** Wald interval of the difference (unpooled standard error). */
  differenceCi: Interval;
  /** treatmentRate / controlRate − 1; null when the control rate is 0. */
  relativeLift: number | null;
  /** Delta-method interval of the relative lift; null when the control rate is 0. */
  relativeLiftCi: Interval | null;
  /** z statistic with the pooled standard error (H0: equal rates). */
  z: number;
  /** Two-sided p-value of the z test. */
  pValue: number;
  confidenceLevel: number;
}

function assertGroup(g: ProportionGroup, name: string): void {
  if (!Number.isInteger(g.n) || g.n <= 0 || !Number.isInteger(g.conversions) || g.conversions < 0 || g.conversions > g.n) {
    throw new ScoringError("INVALID_INPUT", `${name}: need integer n > 0 and 0 ≤ conversions ≤ n, got n=${g.n}, conversions=${g.conversions}.`);
  }
}

/**
 * Two-proportion z-test of conversion, treatment vs control. The test uses the pooled
 * standard error; the interval of the difference uses the unpooled (Wald) standard error;
 * the relative lift interval uses the delta method on the ratio of rates.
 *
 * @see Agresti (2013), Categorical Data Analysis, 3rd ed., §3.1 (comparing two proportions).
 */
export function twoProportionTest(
  treatment: ProportionGroup,
  control: ProportionGroup,
  options: { confidenceLevel?: number } = {},
): ProportionLift {
  assertGroup(treatment, "treatment");
  assertGroup(control, "control");
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  const zc = normalCritical(confidenceLevel);
  const pt = treatment.conversions / treatment.n;
  const pc = control.conversions / control.n;
  const difference = pt - pc;
  const varT = (pt * (1 - pt)) / treatment.n;
  const varC = (pc * (1 - pc)) / control.n;
  const se = Math.sqrt(varT + varC);
  const pooled = (treatment.conversions + control.conversions) / (treatment.n + control.n);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / treatment.n + 1 / control.n));
  const z = sePooled > 0 ? difference / sePooled : 0;
  const pValue = sePooled > 0 ? 2 * normalCdf(-Math.abs(z), 0, 1) : 1;
  let relativeLift: number | null = null;
  let relativeLiftCi: Interval | null = null;
  if (pc > 0) {
    relativeLift = pt / pc - 1;
    const seRel = ratioStandardError(pt, varT, pc, varC);
    relativeLiftCi = { lower: relativeLift - zc * seRel, upper: relativeLift + zc * seRel };
  }
  return {
    treatmentRate: pt,
    controlRate: pc,
    difference,
    differenceCi: { lower: difference - zc * se, upper: difference + zc * se },
    relativeLift,
    relativeLiftCi,
    z,
    pValue,
    confidenceLevel,
  };
}

/** {@link twoProportionTest} on per-customer outcomes (true / 1 = converted). */
export function twoProportionTestFromOutcomes(
  treatment: readonly (boolean | number)[],
  control: readonly (boolean | number)[],
  options: { confidenceLevel?: number } = {},
): ProportionLift {
  const count = (xs: readonly (boolean | number)[]): number => xs.reduce<number>((s, v) => s + (v === true || v === 1 ? 1 : 0), 0);
  return twoProportionTest({ n: treatment.length, conversions: count(treatment) }, { n: control.length, conversions: count(control) }, options);
}
