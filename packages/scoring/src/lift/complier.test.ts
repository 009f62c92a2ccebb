import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../random.ts";
import { complierEffect, type ComplierArm } from "./complier.ts";
import { twoProportionTest } from "./proportion.ts";

/** Arm statistics from per-customer (y, d) pairs. */
function arm(rows: readonly (readonly [number, number])[]): ComplierArm {
  const a = { n: rows.length, sumY: 0, sumYY: 0, sumD: 0, sumYD: 0 };
  for (const [y, d] of rows) {
    a.sumY += y;
    a.sumYY += y * y;
    a.sumD += d;
    a.sumYD += y * d;
  }
  return a;
}

/**
 * The Fieller set found without the closed form: the Anderson–Rubin statistic
 * |ITT − θC| / √(V_yy − 2θV_yd + θ²V_dd) computed directly from the customers' adjusted
 * outcomes y − θd (whose per-arm variance is exactly that quadratic), and its crossings of the
 * critical value located by bisection either side of the point estimate.
 */
function bruteForce(t: (readonly [number, number])[], c: (readonly [number, number])[], critical: number, ddof: 0 | 1) {
  const stat = (theta: number) => {
    const adj = (rows: (readonly [number, number])[]) => rows.map(([y, d]) => y - theta * d);
    const m = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const varMean = (v: number[]) => {
      const mu = m(v);
      return v.reduce((s, x) => s + (x - mu) ** 2, 0) / (v.length - ddof) / v.length;
    };
    const at = adj(t);
    const ac = adj(c);
    return Math.abs(m(at) - m(ac)) / Math.sqrt(varMean(at) + varMean(ac));
  };
  const root = (inside: number, outside: number) => {
    let a = inside;
    let b = outside;
    for (let i = 0; i < 200; i += 1) {
      const mid = (a + b) / 2;
      if (stat(mid) <= critical) a = mid;
      else b = mid;
    }
    return (a + b) / 2;
  };
  return (estimate: number) => ({ lower: root(estimate, estimate - 1e3), upper: root(estimate, estimate + 1e3) });
}

describe("complier average causal effect (Wald estimator, Fieller interval)", () => {
  it("matches a hand-made example and the interval found by brute force", () => {
    // Treatment: 1000 customers, 600 reached; among the reached 150 convert, among the others 40.
    // Control: 1000 customers, nobody reached, 90 convert.
    const t: (readonly [number, number])[] = [
      ...Array.from({ length: 150 }, () => [1, 1] as const),
      ...Array.from({ length: 450 }, () => [0, 1] as const),
      ...Array.from({ length: 40 }, () => [1, 0] as const),
      ...Array.from({ length: 360 }, () => [0, 0] as const),
    ];
    const c: (readonly [number, number])[] = [...Array.from({ length: 90 }, () => [1, 0] as const), ...Array.from({ length: 910 }, () => [0, 0] as const)];
    const r = complierEffect(arm(t), arm(c), { critical: 1.959963984540054, ddof: 0 });
    expect(r.itt).toBeCloseTo(0.19 - 0.09, 12);
    expect(r.compliance).toBeCloseTo(0.6, 12);
    expect(r.estimate).toBeCloseTo(0.1 / 0.6, 12);
    expect(r.kind).toBe("bounded");
    const brute = bruteForce(t, c, 1.959963984540054, 0)(r.estimate as number);
    expect(r.ci?.lower).toBeCloseTo(brute.lower, 9);
    expect(r.ci?.upper).toBeCloseTo(brute.upper, 9);
    // The same verdict as the two-proportion test of the ITT difference.
    expect(r.verdict).toBe(twoProportionTest({ n: 1000, conversions: 190 }, { n: 1000, conversions: 90 }).verdict);
  });

  it("handles contamination (control customers reached) and revenue with the n − 1 variance", () => {
    const rand = mulberry32(7);
    const rows = (n: number, reach: number, effect: number) =>
      Array.from({ length: n }, () => {
        const d = rand() < reach ? 1 : 0;
        return [Math.round(rand() * 3000 + d * effect), d] as const;
      });
    const t = rows(800, 0.7, 400);
    const c = rows(700, 0.1, 400);
    const r = complierEffect(arm(t), arm(c), { critical: 1.97, ddof: 1 });
    expect(r.reachedControl).toBeGreaterThan(0);
    const brute = bruteForce(t, c, 1.97, 1)(r.estimate as number);
    expect(r.ci?.lower).toBeCloseTo(brute.lower, 6);
    expect(r.ci?.upper).toBeCloseTo(brute.upper, 6);
  });

  it("is unbounded when the compliance cannot be told from 0, and undefined when it is 0", () => {
    const t = arm([[1, 1], [0, 0], [0, 0], [1, 0], [0, 0]]);
    const c = arm([[0, 0], [1, 0], [0, 0], [0, 0], [0, 0]]);
    expect(complierEffect(t, c, { critical: 1.96, ddof: 0 }).kind).toBe("unbounded");
    const none = complierEffect(arm([[1, 0], [0, 0]]), arm([[0, 0], [0, 0]]), { critical: 1.96, ddof: 0 });
    expect(none).toMatchObject({ kind: "undefined", estimate: null, ci: null });
  });

  it("never disagrees with the ITT two-proportion test's verdict (property)", () => {
    const group = fc.integer({ min: 20, max: 5000 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        reached: fc.integer({ min: 0, max: n }),
        convReached: fc.nat(),
        convOther: fc.nat(),
      }).map((g) => ({ ...g, convReached: g.convReached % (g.reached + 1), convOther: g.convOther % (g.n - g.reached + 1) })),
    );
    fc.assert(
      fc.property(group, group, (t, c) => {
        const toArm = (g: typeof t): ComplierArm => ({ n: g.n, sumY: g.convReached + g.convOther, sumYY: g.convReached + g.convOther, sumD: g.reached, sumYD: g.convReached });
        const r = complierEffect(toArm(t), toArm(c), { critical: 1.959963984540054, ddof: 0 });
        const z = twoProportionTest({ n: t.n, conversions: t.convReached + t.convOther }, { n: c.n, conversions: c.convReached + c.convOther });
        if (r.kind === "undefined") return true;
        if (Math.abs(z.pValue - 0.05) < 1e-9) return true;
        const sameDirection = r.verdict === "no_detectable_change" ? z.verdict === "no_detectable_change" : z.verdict !== "no_detectable_change";
        const ciAgrees = !r.ci || (r.verdict === "no_detectable_change" ? r.ci.lower <= 0 && r.ci.upper >= 0 : r.verdict === "increase" ? r.ci.lower > 0 : r.ci.upper < 0);
        return sameDirection && ciAgrees;
      }),
      { numRuns: 3000 },
    );
  });

  // Planted: only a share of the treatment arm is reached (more often the active customers), and
  // the effect applies only to reached customers. Over many simulated campaigns the CACE
  // interval covers the compliers' true effect ~95% of the time, and the ITT is ≈ reach × effect.
  it("covers the planted complier effect about 95% of the time; the ITT is about reach × effect", () => {
    const rand = mulberry32(20261203);
    const sims = 1500;
    const n = 2000;
    const lift = 0.08;
    let coveredConv = 0;
    let coveredRev = 0;
    let ittSum = 0;
    let expectedIttSum = 0;
    for (let s = 0; s < sims; s += 1) {
      const t: (readonly [number, number])[] = [];
      const c: (readonly [number, number])[] = [];
      const tRev: (readonly [number, number])[] = [];
      const cRev: (readonly [number, number])[] = [];
      let compliers = 0;
      let trueConv = 0;
      let trueRev = 0;
      for (let i = 0; i < n; i += 1) {
        const base = rand() < 0.5 ? 0.05 : 0.25;
        // Would be reached if treated: 70% of the active, 30% of the others.
        const complier = rand() < (base > 0.1 ? 0.7 : 0.3);
        const isTreated = i % 2 === 0;
        const reached = isTreated && complier;
        const p = reached ? base + lift : base;
        const y = rand() < p ? 1 : 0;
        const spend = y * (2000 + 4000 * rand());
        if (complier) {
          compliers += 1;
          trueConv += lift;
          trueRev += lift * 4000; // E[spend | purchase] = 4000
        }
        (isTreated ? t : c).push([y, reached ? 1 : 0]);
        (isTreated ? tRev : cRev).push([spend, reached ? 1 : 0]);
      }
      const conv = complierEffect(arm(t), arm(c), { critical: 1.959963984540054, ddof: 0 });
      const rev = complierEffect(arm(tRev), arm(cRev), { critical: 1.9612, ddof: 1 });
      const cace = trueConv / compliers;
      if (conv.ci && conv.ci.lower <= cace && cace <= conv.ci.upper) coveredConv += 1;
      const caceRev = trueRev / compliers;
      if (rev.ci && rev.ci.lower <= caceRev && caceRev <= rev.ci.upper) coveredRev += 1;
      ittSum += conv.itt;
      expectedIttSum += (compliers / n) * lift;
    }
    const tol = 3 * Math.sqrt((0.95 * 0.05) / sims);
    expect(coveredConv / sims).toBeGreaterThan(0.95 - tol);
    expect(coveredConv / sims).toBeLessThan(0.95 + tol);
    expect(coveredRev / sims).toBeGreaterThan(0.95 - tol);
    expect(coveredRev / sims).toBeLessThan(0.95 + tol);
    // Mean ITT over the simulations ≈ reach share × planted effect (0.5 × 0.08 = 0.04 here),
    // within 4 standard errors of a mean of `sims` ITT estimates (sd ≈ 0.017 each).
    expect(Math.abs(ittSum / sims - expectedIttSum / sims)).toBeLessThan((4 * 0.017) / Math.sqrt(sims));
    expect(expectedIttSum / sims).toBeCloseTo(0.5 * lift, 2);
  });
});
