import { describe, expect, it } from "vitest";
import { mulberry32 } from "../testing/cdnow.ts";
import { cupedStats, cupedTest, cupedTestFromValues } from "./cuped.ts";
import { meanStats, welchTest } from "./mean.ts";

function normal(rand: () => number): number {
  // Box–Muller.
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

describe("CUPED", () => {
  const rand = mulberry32(5);
  const make = (n: number, effect: number) => {
    const x = Array.from({ length: n }, () => 1000 + 300 * normal(rand));
    const y = x.map((xi) => 0.8 * xi + 100 * normal(rand) + effect);
    return { x, y };
  };
  const treatment = make(3000, 20);
  const control = make(3000, 0);
  const result = cupedTestFromValues(treatment, control);

  it("estimates θ ≈ cov(Y,X)/var(X) and removes most variance when the pre-period predicts the outcome", () => {
    expect(result.theta).toBeCloseTo(0.8, 1);
    // Var(Y) = 0.64·300² + 100² = 67,600; residual 10,000 → reduction ≈ 0.85.
    expect(result.varianceReduction).toBeGreaterThan(0.8);
    expect(result.varianceReduction).toBeLessThan(0.9);
    expect(result.adjusted.standardError).toBeLessThan(result.unadjusted.standardError);
    expect(result.adjusted.differenceCi.lower).toBeLessThan(20);
    expect(result.adjusted.differenceCi.upper).toBeGreaterThan(20);
  });

  it("equals a Welch test on explicitly adjusted per-customer values", () => {
    const all = [...treatment.x, ...control.x];
    const m = all.reduce((s, v) => s + v, 0) / all.length;
    const adjust = (g: { x: number[]; y: number[] }) => g.y.map((yi, i) => yi - result.theta * ((g.x[i] ?? 0) - m));
    const direct = welchTest(meanStats(adjust(treatment)), meanStats(adjust(control)));
    expect(result.adjusted.difference).toBeCloseTo(direct.difference, 8);
    expect(result.adjusted.standardError).toBeCloseTo(direct.standardError, 6);
    expect(result.unadjusted.difference).toBeCloseTo(welchTest(meanStats(treatment.y), meanStats(control.y)).difference, 8);
  });

  it("falls back to θ = 0 with a constant covariate", () => {
    const r = cupedTest(cupedStats([1, 2, 3], [5, 5, 5]), cupedStats([2, 3, 4], [5, 5, 5]));
    expect(r.theta).toBe(0);
    expect(r.varianceReduction).toBeCloseTo(0, 12);
  });
});
