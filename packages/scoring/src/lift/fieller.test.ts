import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fiellerRelativeInterval, verdictOf } from "./fieller.ts";
import { welchTest } from "./mean.ts";
import { twoProportionTest } from "./proportion.ts";

// Reference values computed independently with scipy 1.17 (not with the closed form used here):
// p from norm.sf / ttest_ind_from_stats(equal_var=False); Fieller bounds by brentq on
// |x̄t − θ·x̄c| / √(vt + θ²·vc) − c = 0 either side of x̄t/x̄c, c = norm.ppf(0.975) or
// t.ppf(0.975, Welch df).
describe("Fieller relative-lift intervals against independently computed values", () => {
  it.each([
    { t: [33, 400], c: [21, 410], p: 0.0745762051739, lower: -0.0482936270598, upper: 1.94623861074 },
    { t: [5000, 100_000], c: [4800, 20_000], p: 0, lower: -0.799164114606, upper: -0.783915634915 },
  ])("conversion $t vs $c", ({ t, c, p, lower, upper }) => {
    const r = twoProportionTest({ conversions: t[0] as number, n: t[1] as number }, { conversions: c[0] as number, n: c[1] as number });
    expect(r.pValue).toBeCloseTo(p, 9);
    expect(r.relativeLiftCi?.lower).toBeCloseTo(lower, 9);
    expect(r.relativeLiftCi?.upper).toBeCloseTo(upper, 9);
  });

  it.each([
    { t: [9000, 1250, 4100], c: [1000, 1100, 3900], p: 0.25125927069, df: 1257.312873, lower: -0.0801490663289, upper: 0.468423925213 },
    { t: [300, 52.5, 20], c: [280, 48, 25], p: 0.0175132394071, df: 534.0532676, lower: 0.0157106000496, upper: 0.179998227741 },
  ])("per-customer mean (n, mean, sd) $t vs $c", ({ t, c, p, df, lower, upper }) => {
    const stats = ([n, mean, sd]: number[]) => ({ n: n as number, sum: (n as number) * (mean as number), sumSquares: (sd as number) ** 2 * ((n as number) - 1) + (n as number) * (mean as number) ** 2 });
    const r = welchTest(stats(t), stats(c));
    expect(r.pValue).toBeCloseTo(p, 8);
    expect(r.degreesOfFreedom).toBeCloseTo(df, 4);
    expect(r.relativeLiftCi?.lower).toBeCloseTo(lower, 8);
    expect(r.relativeLiftCi?.upper).toBeCloseTo(upper, 8);
    expect(r.verdict).toBe(p < 0.05 ? "increase" : "no_detectable_change");
  });

  it("is unbounded (null) when the control estimate is not distinguishable from 0", () => {
    expect(fiellerRelativeInterval(5, 1, 1, 1, 1.96)).toEqual({ interval: null, kind: "unbounded" });
    expect(twoProportionTest({ n: 50, conversions: 3 }, { n: 50, conversions: 1 }).relativeLiftCi).toBeNull();
  });
});

describe("one test, one verdict (property)", () => {
  const excludesZero = (ci: { lower: number; upper: number }) => ci.lower > 0 || ci.upper < 0;
  const agrees = (r: { verdict: string; pValue: number; differenceCi: { lower: number; upper: number }; relativeLiftCi: { lower: number; upper: number } | null; relativeLift: number | null }, controlPositive: boolean) => {
    const v = verdictOf(r.differenceCi);
    if (v !== r.verdict) return false;
    // p < α ⇔ the difference interval excludes 0 (boundary ties within rounding aside).
    if (Math.abs(r.pValue - 0.05) > 1e-9 && (r.pValue < 0.05) !== excludesZero(r.differenceCi)) return false;
    if (r.relativeLiftCi && controlPositive) {
      if (excludesZero(r.relativeLiftCi) !== (v !== "no_detectable_change")) return false;
      if (v === "increase" && !(r.relativeLiftCi.lower > 0)) return false;
      if (v === "decrease" && !(r.relativeLiftCi.upper < 0)) return false;
    }
    return true;
  };

  it("conversion: the verdict, p < 0.05, the difference interval and the relative interval never disagree", () => {
    const group = fc.integer({ min: 2, max: 200_000 }).chain((n) => fc.record({ n: fc.constant(n), conversions: fc.integer({ min: 0, max: n }) }));
    fc.assert(
      fc.property(group, group, (t, c) => agrees(twoProportionTest(t, c), c.conversions > 0)),
      { numRuns: 5000 },
    );
  });

  it("conversion near the boundary (p ≈ 0.05) agrees too", () => {
    // Scan treatment counts across the significance boundary for a fixed control.
    const disagreements: string[] = [];
    for (const [n, cc] of [[1000, 100], [20_000, 1500], [333, 17]] as const) {
      for (let x = 0; x <= n; x += 1) if (!agrees(twoProportionTest({ n, conversions: x }, { n, conversions: cc }), true)) disagreements.push(`${x}/${n} vs ${cc}/${n}`);
    }
    expect(disagreements).toEqual([]);
  }, 60_000);

  // Money-like values (yen with two decimals), as the revenue per customer the service feeds in.
  it("per-customer means: the verdict, p < 0.05, the difference interval and the relative interval never disagree", () => {
    const stats = fc
      .record({ n: fc.integer({ min: 2, max: 100_000 }), mean: fc.integer({ min: 0, max: 5_000_000 }).map((v) => v / 100), sd: fc.integer({ min: 0, max: 10_000_000 }).map((v) => v / 100) })
      .map(({ n, mean, sd }) => ({ n, sum: n * mean, sumSquares: sd * sd * (n - 1) + n * mean * mean }));
    fc.assert(
      fc.property(stats, stats, (t, c) => agrees(welchTest(t, c), c.sum > 0)),
      { numRuns: 5000 },
    );
  });
});
