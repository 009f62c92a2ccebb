import { describe, expect, it } from "vitest";
import { mulberry32 } from "../testing/cdnow.ts";
import { welchTest } from "./mean.ts";
import { twoProportionTest } from "./proportion.ts";
import { confidenceSequence, sequentialComparison } from "./sequential.ts";

describe("confidenceSequence", () => {
  it("matches the mSPRT boundary by hand and is wider than the fixed-horizon interval", () => {
    // V = 1, τ² = 1, α = 0.05: half-width √(2·(2 ln 20 + ln 2)) = 2.6927…
    const r = confidenceSequence(0, 1, 1);
    expect(r.interval.upper).toBeCloseTo(Math.sqrt(2 * (2 * Math.log(20) + Math.log(2))), 12);
    expect(r.interval.upper).toBeGreaterThan(1.96);
    expect(r.verdict).toBe("no_detectable_change");
    expect(confidenceSequence(10, 1, 1).verdict).toBe("increase");
  });

  it("reads a comparison consistently: p < 0.05 ⇔ the difference and relative intervals exclude 0", () => {
    for (let d = -0.05; d <= 0.05; d += 0.0005) {
      const r = sequentialComparison(0.1 + d, 0.0001, 0.1, 0.0001, 0.0002);
      const excludes = r.differenceCi.lower > 0 || r.differenceCi.upper < 0;
      expect(r.pValue < 0.05).toBe(excludes);
      if (r.relativeLiftCi) expect(r.relativeLiftCi.lower > 0 || r.relativeLiftCi.upper < 0).toBe(excludes);
    }
  });

  it("rejects a mixture variance of 0", () => {
    expect(() => confidenceSequence(0, 1, 0)).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });
});

/**
 * Daily peeking on simulated campaigns: customers with heterogeneous Poisson purchase rates
 * (λ ~ Gamma(0.6, 0.02/day), spend ~ Gamma(2, ¥3,000)), a 28-day window looked at every day.
 * Under no effect, "any look excludes 0" is the false-positive rate of an operator who stops
 * at the first significant look.
 */
describe("sequential intervals under daily peeking (seeded simulation)", () => {
  const DAYS = 28;
  const rand = mulberry32(4242);
  const gamma = (shape: number, scale: number): number => {
    // Marsaglia–Tsang, with the shape < 1 boost.
    if (shape < 1) return gamma(shape + 1, scale) * rand() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = rand();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
    }
  };
  /** Per customer: [day of purchase, amount][] within the window. */
  function customer(): [number, number][] {
    const lambda = gamma(0.6, 0.02 / 0.6 * 1);
    const events: [number, number][] = [];
    let t = -Math.log(1 - rand()) / lambda;
    while (t < DAYS) {
      events.push([Math.floor(t), gamma(2, 3000)]);
      t += -Math.log(1 - rand()) / lambda;
    }
    return events;
  }
  function campaign(nT: number, nC: number) {
    const groups = [nT, nC].map((n) => Array.from({ length: n }, customer));
    // Cumulative per-day sufficient statistics of conversion and revenue.
    return Array.from({ length: DAYS }, (_, day) =>
      groups.map((g) => {
        let conv = 0;
        let sum = 0;
        let sumSquares = 0;
        for (const events of g) {
          let y = 0;
          for (const [d, amount] of events) if (d <= day) y += amount;
          if (events.some(([d]) => d <= day)) conv += 1;
          sum += y;
          sumSquares += y * y;
        }
        return { n: g.length, conv, sum, sumSquares };
      }),
    );
  }

  it("keeps the false-positive rate at or below 5% on 300 null campaigns, where the fixed-horizon interval peeked daily does not", () => {
    const reps = 300;
    const nT = 1500;
    const nC = 500;
    let seqConv = 0;
    let seqRev = 0;
    let naiveConv = 0;
    let finalConv = 0;
    for (let i = 0; i < reps; i += 1) {
      const looks = campaign(nT, nC);
      // τ² fixed before looking: the planned variance at the end of the window (from the
      // population's known rates, as a plan's baseline would give it).
      const pPlan = 0.35;
      const tauConv = pPlan * (1 - pPlan) * (1 / nT + 1 / nC);
      const tauRev = 6000 ** 2 * 2 * (1 / nT + 1 / nC);
      let anySeqConv = false;
      let anySeqRev = false;
      let anyNaive = false;
      for (let day = 0; day < DAYS; day += 1) {
        const [t, c] = looks[day] as [typeof looks[0][0], typeof looks[0][0]];
        if (t.conv + c.conv === 0) continue;
        const conv = twoProportionTest({ n: t.n, conversions: t.conv }, { n: c.n, conversions: c.conv });
        const se = (conv.differenceCi.upper - conv.difference) / 1.959963984540054;
        if (confidenceSequence(conv.difference, se * se, tauConv).verdict !== "no_detectable_change") anySeqConv = true;
        if (conv.verdict !== "no_detectable_change") anyNaive = true;
        if (day === DAYS - 1 && conv.verdict !== "no_detectable_change") finalConv += 1;
        const rev = welchTest(t, c);
        if (confidenceSequence(rev.difference, rev.standardError ** 2, tauRev).verdict !== "no_detectable_change") anySeqRev = true;
      }
      if (anySeqConv) seqConv += 1;
      if (anySeqRev) seqRev += 1;
      if (anyNaive) naiveConv += 1;
    }
    expect(seqConv / reps).toBeLessThanOrEqual(0.05);
    expect(seqRev / reps).toBeLessThanOrEqual(0.05);
    // The fixed-horizon test at the window's end alone is nominal; peeked daily it is not.
    expect(finalConv / reps).toBeLessThanOrEqual(0.08);
    expect(naiveConv / reps).toBeGreaterThan(finalConv / reps);
  }, 60_000);
});
