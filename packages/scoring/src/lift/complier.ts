import { ScoringError } from "../errors.ts";
import { verdictOf, type Verdict } from "./fieller.ts";
import type { Interval } from "./interval.ts";

/**
 * One arm's sufficient statistics for an instrumental-variable (Wald) estimate: n customers,
 * outcome y (conversion 0/1, revenue, …) and the 0/1 "reached" indicator d (the campaign was
 * delivered to the customer). d is binary, so Σd² = Σd.
 */
export interface ComplierArm {
  n: number;
  sumY: number;
  sumYY: number;
  sumD: number;
  sumYD: number;
}

/** Result of {@link complierEffect}. */
export interface ComplierEffect {
  /** Intention-to-treat effect ȳt − ȳc (the randomised comparison). */
  itt: number;
  /** Reach rates per arm and their difference d̄t − d̄c (the compliance, "first stage"). */
  reachedTreatment: number;
  reachedControl: number;
  compliance: number;
  /** CACE = itt / compliance; null when the compliance is 0. */
  estimate: number | null;
  /** Fieller interval of the ratio; null when unbounded (the compliance is not distinguishable from 0 at this level). */
  ci: Interval | null;
  kind: "bounded" | "unbounded" | "undefined";
  /** The verdict of the ITT test at the same critical value: 0 is outside the Fieller set ⇔ that test rejects. */
  verdict: Verdict;
  /** Delta-method standard error of the ratio, for reference. */
  standardError: number | null;
  critical: number;
}

const mean = (s: number, n: number) => (n > 0 ? s / n : 0);

/**
 * Variances and covariance of one arm's means of y and d. `ddof` 0 uses the n denominator (as
 * the unpooled two-proportion test does), 1 the n − 1 of Welch's test, so that at θ = 0 the
 * Fieller statistic below is exactly the ITT test statistic.
 */
function armMoments(a: ComplierArm, ddof: 0 | 1) {
  const n = a.n;
  const my = mean(a.sumY, n);
  const md = mean(a.sumD, n);
  const den = Math.max(n - ddof, 1) * n;
  return {
    my,
    md,
    vy: Math.max(0, a.sumYY - n * my * my) / den,
    vd: Math.max(0, a.sumD - n * md * md) / den,
    cyd: (a.sumYD - n * my * md) / den,
  };
}

/**
 * The complier average causal effect (CACE, the local average treatment effect) of a randomised
 * campaign that did not reach everyone it was assigned to: the Wald / instrumental-variable
 * estimator with the random assignment as the instrument,
 *
 *   CACE = (ȳt − ȳc) / (d̄t − d̄c),
 *
 * valid under the exclusion restriction (assignment affects y only through being reached) and
 * monotonicity (nobody is reached *because* they were put in control) (Angrist, Imbens & Rubin
 * 1996). With one-sided non-compliance (nobody in control is reached) it is the effect on the
 * reached customers.
 *
 * The 95% interval is Fieller's for a ratio of correlated estimates (Fieller 1954): every θ for
 * which the test of (ȳt − ȳc) − θ·(d̄t − d̄c) = 0 does not reject,
 *
 *   (ITT − θ·C)² ≤ c²·(V_yy − 2θ·V_yd + θ²·V_dd),
 *
 * V the variances and covariance of the two differences (sum of the arms' variances of the
 * means; y and d are measured on the same customers, hence V_yd). This is the Anderson–Rubin
 * interval of the just-identified IV model: it stays valid when the compliance is small, where
 * the delta method fails, and θ = 0 is inside exactly when the ITT test with critical value c
 * does not reject, so the CACE and the ITT lift always give the same verdict. When
 * C² ≤ c²·V_dd the set is unbounded and null is returned.
 *
 * @see Angrist, Imbens & Rubin (1996), "Identification of Causal Effects Using Instrumental Variables", JASA 91(434).
 * @see Fieller (1954), "Some problems in interval estimation", JRSS B 16(2).
 * @see Anderson & Rubin (1949), Ann. Math. Statist. 20(1).
 */
export function complierEffect(treatment: ComplierArm, control: ComplierArm, options: { critical: number; ddof: 0 | 1 }): ComplierEffect {
  const { critical, ddof } = options;
  if (!(treatment.n > 0 && control.n > 0)) throw new ScoringError("INVALID_INPUT", "Both arms need at least one customer.");
  if (!(critical > 0) || !Number.isFinite(critical)) throw new ScoringError("INVALID_INPUT", `critical must be a positive number, got ${critical}.`);
  const t = armMoments(treatment, ddof);
  const c = armMoments(control, ddof);
  const itt = t.my - c.my;
  const compliance = t.md - c.md;
  const vyy = t.vy + c.vy;
  const vdd = t.vd + c.vd;
  const vyd = t.cyd + c.cyd;
  const c2 = critical * critical;
  const k = itt * itt - c2 * vyy;
  // θ = 0 is outside the set ⇔ k > 0 ⇔ |ITT| > c·√V_yy: the ITT test's own verdict.
  const rejectsZero = k > 0;
  const base = { itt, reachedTreatment: t.md, reachedControl: c.md, compliance, critical };
  if (compliance === 0) {
    return { ...base, estimate: null, ci: null, kind: "undefined", verdict: "no_detectable_change", standardError: null };
  }
  const estimate = itt / compliance;
  const verdict: Verdict = rejectsZero ? (estimate > 0 ? "increase" : "decrease") : "no_detectable_change";
  const deltaVar = vyy - 2 * estimate * vyd + estimate * estimate * vdd;
  const standardError = deltaVar >= 0 ? Math.sqrt(deltaVar) / Math.abs(compliance) : null;
  const a = compliance * compliance - c2 * vdd;
  if (!(a > 0)) return { ...base, estimate, ci: null, kind: "unbounded", verdict, standardError };
  const b = itt * compliance - c2 * vyd;
  const root = Math.sqrt(Math.max(0, b * b - a * k));
  const ci = { lower: (b - root) / a, upper: (b + root) / a };
  // Rounding at the boundary must not make the interval and the verdict disagree.
  if (verdictOf(ci) !== verdict) {
    if (verdict === "increase") ci.lower = Math.max(ci.lower, Number.MIN_VALUE);
    else if (verdict === "decrease") ci.upper = Math.min(ci.upper, -Number.MIN_VALUE);
    else {
      ci.lower = Math.min(ci.lower, 0);
      ci.upper = Math.max(ci.upper, 0);
    }
  }
  return { ...base, estimate, ci, kind: "bounded", verdict, standardError };
}

/**
 * Variance of the ITT difference ȳt − ȳc with the same denominators as {@link complierEffect}
 * (ddof 0 as the unpooled proportion test, 1 as Welch), so a caller can read the critical value
 * of a shown ITT interval as half-width / √variance and give the CACE the same one.
 */
export function ittVariance(treatment: ComplierArm, control: ComplierArm, ddof: 0 | 1): number {
  return armMoments(treatment, ddof).vy + armMoments(control, ddof).vy;
}
