import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { meanStats, welchTest, welchTestFromValues } from "./mean.ts";

describe("welchTest", () => {
  it("matches a two-pass Welch computation, and its p-value is where the CI touches 0", () => {
    const a = [19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0];
    const b = [28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7, 23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 23.9, 13.3];
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    const variance = (xs: number[]) => xs.reduce((s, v) => s + (v - mean(xs)) ** 2, 0) / (xs.length - 1);
    const va = variance(a) / a.length;
    const vb = variance(b) / b.length;
    const r = welchTest(meanStats(a), meanStats(b));
    expect(r.treatment.mean).toBeCloseTo(19.37, 10);
    expect(r.control.mean).toBeCloseTo(21.59, 10);
    expect(r.t).toBeCloseTo((19.37 - 21.59) / Math.sqrt(va + vb), 10);
    expect(r.degreesOfFreedom).toBeCloseTo((va + vb) ** 2 / (va ** 2 / 9 + vb ** 2 / 19), 8);
    expect(r.pValue).toBeGreaterThan(0.01);
    expect(r.pValue).toBeLessThan(0.05);
    expect(r.differenceCi.upper).toBeLessThan(0);
    const touching = welchTest(meanStats(a), meanStats(b), { confidenceLevel: 1 - r.pValue });
    expect(touching.differenceCi.upper).toBeCloseTo(0, 8);
    expect(r.relativeLift).toBeCloseTo(19.37 / 21.59 - 1, 10);
  });

  it("handles constant groups without NaN", () => {
    const r = welchTest({ n: 3, sum: 3, sumSquares: 3 }, { n: 3, sum: 3, sumSquares: 3 });
    expect(r.pValue).toBe(1);
    expect(r.differenceCi).toEqual({ lower: 0, upper: 0 });
  });

  it("winsorises at a pooled percentile and states the cap", () => {
    const t = [...Array.from({ length: 99 }, () => 100), 1_000_000];
    const c = Array.from({ length: 100 }, () => 100);
    const raw = welchTestFromValues(t, c);
    const capped = welchTestFromValues(t, c, { winsorizePercentile: 0.99 });
    expect(raw.winsorization).toBeNull();
    expect(capped.winsorization).toMatchObject({ percentile: 0.99, cap: 100, cappedTreatment: 1, cappedControl: 0 });
    expect(capped.difference).toBe(0);
    expect(raw.difference).toBeCloseTo(9999, 6);
  });

  it("confidence intervals contain the estimate", () => {
    // Money-like values: yen with two decimals.
    const values = fc.array(fc.integer({ min: -100_000_000, max: 100_000_000 }).map((v) => v / 100), { minLength: 2, maxLength: 50 });
    fc.assert(
      fc.property(values, values, (t, c) => {
        const r = welchTestFromValues(t, c);
        return (
          r.differenceCi.lower <= r.difference + 1e-9 &&
          r.difference <= r.differenceCi.upper + 1e-9 &&
          (r.relativeLift === null || r.relativeLiftCi === null || (r.relativeLiftCi.lower <= r.relativeLift + 1e-9 && r.relativeLift <= r.relativeLiftCi.upper + 1e-9))
        );
      }),
    );
  });

  it("needs at least two customers per group", () => {
    expect(() => welchTest({ n: 1, sum: 1, sumSquares: 1 }, { n: 5, sum: 5, sumSquares: 5 })).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });
});
