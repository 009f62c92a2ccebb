import type { Interval } from "./interval.ts";

/** Result of {@link fiellerRelativeInterval}. */
export interface FiellerInterval {
  /**
   * Interval of treatment / control − 1, or null when it is unbounded: the control estimate
   * itself is not distinguishable from 0 at the chosen level (x̄c² ≤ c²·Var(x̄c)), so no finite
   * relative statement can be made.
   */
  interval: Interval | null;
  /** "bounded" or "unbounded" (see {@link interval}). */
  kind: "bounded" | "unbounded";
}

/**
 * Fieller's confidence set for the ratio θ = μt / μc of two independent estimates, reported as
 * the relative lift θ − 1. The set is every θ for which the test of μt − θ·μc = 0,
 *
 *   |x̄t − θ·x̄c| / √(vt + θ²·vc) ≤ c,
 *
 * does not reject. At θ = 1 this is exactly the unpooled test of the difference x̄t − x̄c with
 * standard error √(vt + vc) and the same critical value c, so the relative interval excludes 0
 * if and only if the difference interval excludes 0 and p < α: one test, one verdict.
 *
 * Solving the quadratic (x̄c² − c²vc)θ² − 2x̄t·x̄c·θ + (x̄t² − c²vt) ≤ 0: bounded when
 * x̄c² > c²·vc, otherwise the set is unbounded (the whole line or the complement of an
 * interval) and null is returned.
 *
 * @see Fieller (1954), "Some problems in interval estimation", JRSS B 16(2), 175–185.
 * @see Franz (2007), "Ratios: A short guide to confidence limits and proper use", arXiv:0710.2024.
 */
export function fiellerRelativeInterval(meanT: number, varT: number, meanC: number, varC: number, critical: number): FiellerInterval {
  const c2 = critical * critical;
  const a = meanC * meanC - c2 * varC;
  if (!(a > 0)) return { interval: null, kind: "unbounded" };
  const b = meanT * meanC;
  // The discriminant b² − a·(x̄t² − c²vt) equals c²·(vt·a + vc·x̄t²) ≥ 0 when a > 0; written this
  // way it cannot go negative by rounding.
  const disc = c2 * (varT * a + varC * meanT * meanT);
  const root = Math.sqrt(Math.max(0, disc));
  return { interval: { lower: (b - root) / a - 1, upper: (b + root) / a - 1 }, kind: "bounded" };
}

/** Direction of a two-sided verdict, read from the interval of the difference. */
export type Verdict = "increase" | "decrease" | "no_detectable_change";

/** The verdict an interval of a difference states: above 0, below 0, or containing 0. */
export function verdictOf(ci: Interval): Verdict {
  if (ci.lower > 0) return "increase";
  if (ci.upper < 0) return "decrease";
  return "no_detectable_change";
}
