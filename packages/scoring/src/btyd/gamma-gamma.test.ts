import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cdnowCalibration } from "../testing/cdnow-fixture.ts";
import { fitGammaGamma, gammaGammaConditionalExpectedSpend, gammaGammaLogLikelihood } from "./gamma-gamma.ts";

describe("fitGammaGamma on CDNOW", () => {
  const summary = cdnowCalibration();
  const fit = fitGammaGamma(summary);

  it("reproduces p, q, γ = 6.25, 3.74, 15.44 on the 946 repeat buyers (Fader & Hardie 2013)", () => {
    expect(fit.customers).toBe(946);
    expect(fit.excluded).toBe(2357 - 946);
    expect(Math.abs(fit.params.p - 6.25)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(fit.params.q - 3.74)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(fit.params.gamma - 15.44)).toBeLessThanOrEqual(0.02);
    expect(fit.converged).toBe(true);
  });

  it("shrinks a customer's mean toward the population mean pγ/(q−1)", () => {
    const { p, q, gamma } = fit.params;
    const population = (p * gamma) / (q - 1);
    expect(gammaGammaConditionalExpectedSpend(fit.params, 0, 0)).toBeCloseTo(population, 10);
    const light = gammaGammaConditionalExpectedSpend(fit.params, 1, 100);
    const heavy = gammaGammaConditionalExpectedSpend(fit.params, 20, 100);
    expect(light).toBeGreaterThan(population);
    expect(light).toBeLessThan(heavy);
    expect(heavy).toBeLessThan(100);
  });

  it("fits the same with duplicate rows merged into weights, in any order", () => {
    const rows = summary.filter((s) => s.frequency > 0).map((s) => ({ frequency: s.frequency, monetaryValue: s.monetaryValue }));
    const weighted = rows.slice(0, 100).map((r) => ({ ...r, weight: 3 }));
    const expanded = rows.slice(0, 100).flatMap((r) => [r, r, r]).reverse();
    expect(gammaGammaLogLikelihood(fit.params, weighted)).toBeCloseTo(gammaGammaLogLikelihood(fit.params, expanded), 8);
    const a = fitGammaGamma(weighted);
    const b = fitGammaGamma(expanded);
    expect(a.params.p).toBeCloseTo(b.params.p, 5);
    expect(a.params.gamma).toBeCloseTo(b.params.gamma, 4);
  });
});

describe("fitGammaGamma errors and robustness", () => {
  it("throws NO_REPEAT_BUYERS when nobody repeats", () => {
    expect(() => fitGammaGamma([{ frequency: 0, monetaryValue: 0 }])).toThrow(expect.objectContaining({ name: "ScoringError", code: "NO_REPEAT_BUYERS" }));
    expect(() => fitGammaGamma([])).toThrow(expect.objectContaining({ code: "NO_REPEAT_BUYERS" }));
  });

  it("throws NO_POSITIVE_SPEND when every repeat buyer spent 0", () => {
    expect(() => fitGammaGamma([{ frequency: 2, monetaryValue: 0 }, { frequency: 1, monetaryValue: 0 }])).toThrow(
      expect.objectContaining({ code: "NO_POSITIVE_SPEND" }),
    );
  });

  it("rejects negative spend", () => {
    expect(() => fitGammaGamma([{ frequency: 2, monetaryValue: -1 }])).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });

  it("never returns NaN parameters, even on tiny or degenerate samples (it refuses or flags them instead)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ frequency: fc.integer({ min: 1, max: 30 }), monetaryValue: fc.double({ min: 0.01, max: 1e6, noNaN: true }) }), {
          minLength: 1,
          maxLength: 30,
        }),
        (rows) => {
          let fit;
          try {
            fit = fitGammaGamma(rows);
          } catch (error) {
            return (error as { code?: string }).code === "NOT_IDENTIFIABLE";
          }
          return Object.values(fit.params).every((v) => Number.isFinite(v) && v > 0) && Number.isFinite(fit.logLikelihood);
        },
      ),
      { numRuns: 50 },
    );
  });
});
