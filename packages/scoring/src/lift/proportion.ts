import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { ScoringError } from "../errors.ts";
import { fiellerRelativeInterval, verdictOf, type Verdict } from "./fieller.ts";
import { alignRelativeInterval, normalCritical } from "./interval.ts";
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
  /** Wald interval of the difference (unpooled standard error, the test's standard error). */
  differenceCi: Interval;
  /** treatmentRate / controlRate − 1; null when the control rate is 0. */
  relativeLift: number | null;
  /**
   * Fieller interval of the relative lift from the same unpooled z statistic; null when the
   * control rate is 0 or not distinguishable from 0 (the interval would be unbounded).
   */
  relativeLiftCi: Interval | null;
  /** z statistic with the unpooled standard error (H0: equal rates). */
  z: number;
  /** Two-sided p-value of the z test. */
  pValue: number;
  /** What the difference interval (and so the relative interval and p < α) says. */
  verdict: Verdict;
  confidenceLevel: number;
}

function assertGroup(g: ProportionGroup, name: string): void {
  if (!Number.isInteger(g.n) || g.n <= 0 || !Number.isInteger(g.conversions) || g.conversions < 0 || g.conversions > g.n) {
    throw new ScoringError("INVALID_INPUT", `${name}: need integer n > 0 and 0 ≤ conversions ≤ n, got n=${g.n}, conversions=${g.conversions}.`);
  }
}

/**
 * Two-proportion z-test of conversion, treatment vs control: one unpooled (Wald) z statistic
 * gives the p-value, the interval of the difference and — by Fieller's method — the interval
 * of the relative lift, so the three always agree: p < α ⇔ the difference interval excludes 0
 * ⇔ the relative interval excludes 0 (see {@link fiellerRelativeInterval}).
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
  // Both rates at 0 or 1 (no variance): the difference is known exactly.
  const z = se > 0 ? difference / se : difference === 0 ? 0 : Math.sign(difference) * Infinity;
  const pValue = se > 0 ? 2 * normalCdf(-Math.abs(z), 0, 1) : difference === 0 ? 1 : 0;
  const differenceCi = { lower: difference - zc * se, upper: difference + zc * se };
  const verdict = verdictOf(differenceCi);
  const relativeLift = pc > 0 ? pt / pc - 1 : null;
  const relativeLiftCi = pc > 0 ? alignRelativeInterval(fiellerRelativeInterval(pt, varT, pc, varC, zc).interval, verdict) : null;
  return { treatmentRate: pt, controlRate: pc, difference, differenceCi, relativeLift, relativeLiftCi, z, pValue, verdict, confidenceLevel };
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
