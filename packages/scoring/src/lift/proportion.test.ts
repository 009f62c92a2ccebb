import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../testing/cdnow.ts";
import { twoProportionTest, twoProportionTestFromOutcomes } from "./proportion.ts";

function binomial(rand: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i += 1) if (rand() < p) k += 1;
  return k;
}

describe("twoProportionTest", () => {
  it("matches a hand computation: one unpooled z gives p, the difference interval and the Fieller relative interval", () => {
    // 120/1000 vs 100/1000. Reference values from scipy (norm.sf; Fieller bounds by root-finding
    // the test statistic |pt − θ·pc| / √(vt + θ²vc) = 1.959964 with brentq).
    const r = twoProportionTest({ n: 1000, conversions: 120 }, { n: 1000, conversions: 100 });
    expect(r.difference).toBeCloseTo(0.02, 12);
    const se = Math.sqrt((0.12 * 0.88) / 1000 + (0.1 * 0.9) / 1000);
    expect(r.z).toBeCloseTo(0.02 / se, 10);
    expect(r.pValue).toBeCloseTo(0.152708010194, 9);
    expect(r.differenceCi.lower).toBeCloseTo(0.02 - 1.959964 * se, 5);
    expect(r.relativeLift).toBeCloseTo(0.2, 12);
    expect(r.relativeLiftCi?.lower).toBeCloseTo(-0.0659495116766, 9);
    expect(r.relativeLiftCi?.upper).toBeCloseTo(0.551896477783, 9);
    expect(r.verdict).toBe("no_detectable_change");
  });

  it("reports no relative lift when control never converts, and p = 1 when nobody converts", () => {
    const r = twoProportionTest({ n: 10, conversions: 0 }, { n: 10, conversions: 0 });
    expect(r.relativeLift).toBeNull();
    expect(r.pValue).toBe(1);
    expect(twoProportionTestFromOutcomes([true, false, 1], [0, 0, true]).treatmentRate).toBeCloseTo(2 / 3, 12);
  });

  it("rejects impossible counts", () => {
    expect(() => twoProportionTest({ n: 10, conversions: 11 }, { n: 10, conversions: 1 })).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });

  it("confidence intervals contain their estimates", () => {
    const group = fc.integer({ min: 1, max: 100_000 }).chain((n) => fc.record({ n: fc.constant(n), conversions: fc.integer({ min: 0, max: n }) }));
    fc.assert(
      fc.property(group, group, (t, c) => {
        const r = twoProportionTest(t, c);
        const okDiff = r.differenceCi.lower <= r.difference && r.difference <= r.differenceCi.upper;
        // Fieller's interval is null (unbounded) when the control rate is not distinguishable from 0.
        const okRel = r.relativeLift === null || r.relativeLiftCi === null || (r.relativeLiftCi.lower <= r.relativeLift && r.relativeLift <= r.relativeLiftCi.upper);
        return okDiff && okRel && r.pValue >= 0 && r.pValue <= 1;
      }),
    );
  });
});

describe("twoProportionTest coverage (seeded simulation, 2000 repetitions)", () => {
  const reps = 2000;
  // Binomial tolerance: 0.95 ± 3.5·√(0.95·0.05/2000) ≈ ±0.017.
  const lo = 0.93;
  const hi = 0.97;

  it("under no effect, the 95% CIs of the difference and of the relative lift cover 0 about 95% of the time", () => {
    const rand = mulberry32(20240501);
    let coverDiff = 0;
    let coverRel = 0;
    for (let i = 0; i < reps; i += 1) {
      const t = binomial(rand, 2000, 0.1);
      const c = binomial(rand, 2000, 0.1);
      const r = twoProportionTest({ n: 2000, conversions: t }, { n: 2000, conversions: c });
      if (r.differenceCi.lower <= 0 && 0 <= r.differenceCi.upper) coverDiff += 1;
      if (r.relativeLiftCi && r.relativeLiftCi.lower <= 0 && 0 <= r.relativeLiftCi.upper) coverRel += 1;
    }
    expect(coverDiff / reps).toBeGreaterThanOrEqual(lo);
    expect(coverDiff / reps).toBeLessThanOrEqual(hi);
    expect(coverRel / reps).toBeGreaterThanOrEqual(lo);
    expect(coverRel / reps).toBeLessThanOrEqual(hi);
  });

  it("with a planted lift (10% → 12%), the CIs cover the true difference and relative lift about 95% of the time", () => {
    const rand = mulberry32(99);
    let coverDiff = 0;
    let coverRel = 0;
    for (let i = 0; i < reps; i += 1) {
      const t = binomial(rand, 2000, 0.12);
      const c = binomial(rand, 2000, 0.1);
      const r = twoProportionTest({ n: 2000, conversions: t }, { n: 2000, conversions: c });
      if (r.differenceCi.lower <= 0.02 && 0.02 <= r.differenceCi.upper) coverDiff += 1;
      if (r.relativeLiftCi && r.relativeLiftCi.lower <= 0.2 && 0.2 <= r.relativeLiftCi.upper) coverRel += 1;
    }
    expect(coverDiff / reps).toBeGreaterThanOrEqual(lo);
    expect(coverDiff / reps).toBeLessThanOrEqual(hi);
    expect(coverRel / reps).toBeGreaterThanOrEqual(lo);
    expect(coverRel / reps).toBeLessThanOrEqual(hi);
  });
});
