import gammaln from "@stdlib/math-base-special-gammaln";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cdnowTriples } from "../testing/cdnow-fixture.ts";
import {
  fitParetoNbd,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdDert,
  paretoNbdExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  paretoNbdProbabilityOfPurchases,
} from "./pareto-nbd.ts";
import type { ParetoNbdParams } from "./pareto-nbd.ts";

/** Published CDNOW estimates (Fader, Hardie & Lee 2005, Marketing Science, §4). */
const PAPER: ParetoNbdParams = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };

/**
 * Pareto/NBD individual likelihood by direct integration over the dropout rate μ
 * (λ integrated analytically), independent of the hypergeometric route:
 * L = E_μ[ E_λ[λ^x e^{−(λ+μ)T}] + ∫_{t_x}^{T} λ^x e^{−λ τ} μ e^{−μ τ} dτ ].
 */
function likelihoodByIntegration(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const lambdaMoment = (tau: number) => Math.exp(gammaln(p.r + x) - gammaln(p.r) + p.r * Math.log(p.alpha) - (p.r + x) * Math.log(p.alpha + tau));
  // E_μ[e^{−μT}] and E_μ[μ e^{−μτ}] in closed form for μ ~ Gamma(s, β).
  const survive = (tau: number) => (p.beta / (p.beta + tau)) ** p.s;
  const density = (tau: number) => (p.s / (p.beta + tau)) * (p.beta / (p.beta + tau)) ** p.s;
  let dead = 0;
  const n = 20_000;
  const h = (T - tx) / n;
  for (let i = 0; i < n; i += 1) {
    const tau = tx + (i + 0.5) * h;
    dead += lambdaMoment(tau) * density(tau) * h;
  }
  return lambdaMoment(T) * survive(T) + dead;
}

describe("fitParetoNbd on CDNOW (weeks)", () => {
  const data = cdnowTriples();
  const fit = fitParetoNbd(data);

  it("reproduces r, α, s, β = 0.553, 10.578, 0.606, 11.669 and LL −9595.0", () => {
    expect(Math.abs(fit.params.r - PAPER.r)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(fit.params.alpha - PAPER.alpha)).toBeLessThanOrEqual(0.002);
    expect(Math.abs(fit.params.s - PAPER.s)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(fit.params.beta - PAPER.beta)).toBeLessThanOrEqual(0.002);
    expect(Math.abs(fit.logLikelihood - -9595.0)).toBeLessThanOrEqual(0.1);
  });

  it("matches the likelihood obtained by direct numerical integration, in both α ≥ β and α < β branches", () => {
    for (const p of [PAPER, { ...PAPER, alpha: 20, beta: 5 }, { ...PAPER, alpha: 2, beta: 30 }]) {
      for (const [x, tx, T] of [[0, 0, 30], [2, 30.43, 38.86], [10, 5, 38]] as const) {
        const direct = likelihoodByIntegration(p, x, tx, T);
        expect(paretoNbdLogLikelihood(p, [{ x, tx, T }])).toBeCloseTo(Math.log(direct), 6);
      }
    }
  });

  it("gives P(X(t)=n) that sums to 1 with mean E[X(t)] (both hypergeometric branches)", () => {
    for (const p of [fit.params, { ...fit.params, alpha: fit.params.beta / 2 }]) {
      let total = 0;
      let mean = 0;
      for (let n = 0; n < 300; n += 1) {
        const q = paretoNbdProbabilityOfPurchases(p, 39, n);
        total += q;
        mean += n * q;
      }
      expect(total).toBeCloseTo(1, 8);
      expect(mean).toBeCloseTo(paretoNbdExpectedPurchases(p, 39), 6);
    }
    expect(paretoNbdProbabilityOfPurchases(fit.params, 0, 0)).toBe(1);
  });

  it("pins predictions at the fitted parameters", () => {
    expect(paretoNbdExpectedPurchases(fit.params, 39)).toBeCloseTo(1.2134, 3);
    expect(paretoNbdProbabilityAlive(fit.params, 2, 30.43, 38.86)).toBeCloseTo(0.8691, 3);
    expect(paretoNbdConditionalExpectedPurchases(fit.params, 39, 2, 30.43, 38.86)).toBeCloseTo(1.4551, 3);
  });

  it("computes DERT equal to a fine discrete sum of discounted expected purchases", () => {
    const delta = Math.log(1.15) / 52;
    const [x, tx, T] = [2, 30.43, 38.86];
    let sum = 0;
    let previous = 0;
    const h = 0.5;
    for (let t = h; t < 40_000; t += h) {
      const e = paretoNbdConditionalExpectedPurchases(fit.params, t, x, tx, T);
      sum += Math.exp(-delta * (t - h / 2)) * (e - previous);
      previous = e;
    }
    expect(paretoNbdDert(fit.params, x, tx, T, delta)).toBeCloseTo(sum, 3);
  });
});

describe("Pareto/NBD robustness and properties", () => {
  it.each([
    [200, 38, 39],
    [0, 0, 30],
    [0, 0, 0],
    [150, 4990, 5000],
    [50, 10, 5000],
  ])("x=%d, t_x=%d, T=%d: finite predictions", (x, tx, T) => {
    const alive = paretoNbdProbabilityAlive(PAPER, x, tx, T);
    expect(alive >= 0 && alive <= 1).toBe(true);
    expect(Number.isFinite(paretoNbdConditionalExpectedPurchases(PAPER, 52, x, tx, T))).toBe(true);
    expect(Number.isFinite(paretoNbdDert(PAPER, x, tx, T, 0.0027))).toBe(true);
    expect(Number.isFinite(paretoNbdLogLikelihood(PAPER, [{ x, tx, T }]))).toBe(true);
  });

  it("handles s = 1 exactly (limit of the dropout integral)", () => {
    const p = { ...PAPER, s: 1 };
    const near = paretoNbdExpectedPurchases({ ...PAPER, s: 1 + 1e-7 }, 39);
    expect(paretoNbdExpectedPurchases(p, 39)).toBeCloseTo(near, 6);
  });

  it("P(alive) ∈ [0, 1] for arbitrary parameters and histories", () => {
    fc.assert(
      fc.property(
        fc.record({
          r: fc.double({ min: 0.01, max: 20, noNaN: true }),
          alpha: fc.double({ min: 0.01, max: 200, noNaN: true }),
          s: fc.double({ min: 0.01, max: 20, noNaN: true }),
          beta: fc.double({ min: 0.01, max: 200, noNaN: true }),
        }),
        fc.integer({ min: 0, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 5000, noNaN: true }),
        (p, x, u, T) => {
          const alive = paretoNbdProbabilityAlive(p, x, x === 0 ? 0 : u * T, T);
          return alive >= 0 && alive <= 1;
        },
      ),
      { numRuns: 300 },
    );
  });
});
