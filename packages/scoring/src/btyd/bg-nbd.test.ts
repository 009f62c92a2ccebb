import betaln from "@stdlib/math-base-special-betaln";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cdnowTriples } from "../testing/cdnow-fixture.ts";
import { mulberry32 } from "../testing/cdnow.ts";
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdDert,
  bgNbdExpectedPurchases,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  bgNbdProbabilityOfPurchases,
  fitBgNbd,
} from "./bg-nbd.ts";
import type { BgNbdParams } from "./bg-nbd.ts";
import { compressTriples } from "./compress.ts";

/** Published CDNOW estimates (Fader, Hardie & Lee 2005, Marketing Science, §4). */
const PAPER: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

/** ∫₀¹ h(p) Beta(p; a, b) dp by the trapezoidal rule in logit space (independent of the 2F1 route). */
function betaExpectation(h: (p: number) => number, a: number, b: number): number {
  const step = 0.01;
  let sum = 0;
  for (let u = -80; u <= 40; u += step) {
    const logP = -Math.log1p(Math.exp(-u));
    const log1mP = -Math.log1p(Math.exp(u));
    sum += h(Math.exp(logP)) * Math.exp(a * logP + b * log1mP - betaln(a, b));
  }
  return sum * step;
}

describe("fitBgNbd on CDNOW (calibration 1997-01-01..1997-09-30, weeks)", () => {
  const data = cdnowTriples();
  const fit = fitBgNbd(data);

  it("reproduces r, α, a, b = 0.243, 4.414, 0.793, 2.426 and LL −9582.4", () => {
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.params.r - PAPER.r)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(fit.params.alpha - PAPER.alpha)).toBeLessThanOrEqual(0.002);
    expect(Math.abs(fit.params.a - PAPER.a)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(fit.params.b - PAPER.b)).toBeLessThanOrEqual(0.002);
    expect(Math.abs(fit.logLikelihood - -9582.4)).toBeLessThanOrEqual(0.1);
    expect(fit.customers).toBe(2357);
    expect(fit.uniqueTriples).toBeLessThan(2357);
  });

  it("predicts E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226 (paper, §4)", () => {
    expect(bgNbdConditionalExpectedPurchases(fit.params, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
  });

  it("matches E[X(t)] by direct integration of E[X(t)|λ,p] = (1 − e^{−λpt})/p over the mixing distributions", () => {
    const p = fit.params;
    for (const t of [1, 39, 78, 520]) {
      // Integrating λ analytically: E_λ[e^{−λpt}] = (α/(α+pt))^r.
      const direct = betaExpectation((q) => (q < 1e-12 ? (p.r * t) / p.alpha : (1 - (p.alpha / (p.alpha + q * t)) ** p.r) / q), p.a, p.b);
      expect(bgNbdExpectedPurchases(p, t)).toBeCloseTo(direct, 6);
    }
    // lifetimes-style pinned values at the fitted parameters.
    expect(bgNbdExpectedPurchases(p, 39)).toBeCloseTo(1.19501, 4);
    expect(bgNbdProbabilityAlive(p, 2, 30.43, 38.86)).toBeCloseTo(0.72661, 4);
  });

  it("gives P(X(t)=0) = (α/(α+t))^r, and P(X(t)=n) sums to 1 with mean E[X(t)]", () => {
    const p = fit.params;
    expect(bgNbdProbabilityOfPurchases(p, 39, 0)).toBeCloseTo((p.alpha / (p.alpha + 39)) ** p.r, 12);
    expect(bgNbdProbabilityOfPurchases(p, 39, 0)).toBeCloseTo(0.57431, 4);
    let total = 0;
    let mean = 0;
    for (let n = 0; n < 400; n += 1) {
      const q = bgNbdProbabilityOfPurchases(p, 39, n);
      total += q;
      mean += n * q;
    }
    expect(total).toBeCloseTo(1, 9);
    expect(mean).toBeCloseTo(bgNbdExpectedPurchases(p, 39), 6);
  });

  it("gives P(alive) equal to the posterior computed by integrating over p", () => {
    const { r, alpha, a, b } = fit.params;
    const [x, tx, T] = [5, 20, 38];
    // Given p, the λ-integral is closed form; integrate p numerically.
    const aliveTerm = betaExpectation((q) => (1 - q) ** x, a, b) * (alpha + T) ** -(r + x);
    const deadTerm = betaExpectation((q) => q * (1 - q) ** (x - 1), a, b) * (alpha + tx) ** -(r + x);
    expect(bgNbdProbabilityAlive(fit.params, x, tx, T)).toBeCloseTo(aliveTerm / (aliveTerm + deadTerm), 6);
  });

  it("fits the same compressed and uncompressed, and in any customer order", () => {
    const shuffled = [...data];
    const rand = mulberry32(7);
    for (let i = shuffled.length - 1; i > 0; i -= 1) {
      const j = Math.floor(rand() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j] ?? shuffled[i]!, shuffled[i]!];
    }
    const again = fitBgNbd(shuffled);
    expect(again.params.r).toBeCloseTo(fit.params.r, 6);
    expect(again.params.b).toBeCloseTo(fit.params.b, 6);
    expect(again.logLikelihood).toBeCloseTo(fit.logLikelihood, 6);
    const compressed = compressTriples(data);
    expect(bgNbdLogLikelihood(fit.params, compressed)).toBeCloseTo(fit.logLikelihood, 8);
  });

  it("computes DERT consistently with a fine discrete sum of discounted expected purchases", () => {
    const delta = 0.05;
    const [x, tx, T] = [2, 30.43, 38.86];
    let sum = 0;
    let previous = 0;
    const h = 0.05;
    for (let t = h; t < 1200; t += h) {
      const e = bgNbdConditionalExpectedPurchases(fit.params, t, x, tx, T);
      sum += Math.exp(-delta * (t - h / 2)) * (e - previous);
      previous = e;
    }
    expect(bgNbdDert(fit.params, x, tx, T, delta)).toBeCloseTo(sum, 4);
  });
});

describe("BG/NBD robustness", () => {
  const p = PAPER;
  const cases: [string, number, number, number][] = [
    ["heavy buyer x=200", 200, 38, 39],
    ["no repeat x=0", 0, 0, 30],
    ["brand new T=0", 0, 0, 0],
    ["very long history T=5000 weeks", 150, 4990, 5000],
    ["long-lapsed x=50 at t_x=10, T=5000", 50, 10, 5000],
  ];
  it.each(cases)("%s: all predictions finite", (_name, x, tx, T) => {
    const alive = bgNbdProbabilityAlive(p, x, tx, T);
    expect(alive).toBeGreaterThanOrEqual(0);
    expect(alive).toBeLessThanOrEqual(1);
    for (const t of [0, 1, 52, 5000]) {
      const e = bgNbdConditionalExpectedPurchases(p, t, x, tx, T);
      expect(Number.isFinite(e)).toBe(true);
      expect(e).toBeGreaterThanOrEqual(0);
    }
    expect(Number.isFinite(bgNbdDert(p, x, tx, T, 0.0027))).toBe(true);
    expect(Number.isFinite(bgNbdLogLikelihood(p, [{ x, tx, T }]))).toBe(true);
  });

  it("gives P(X(t)=n) finite for large n and t = 0", () => {
    expect(bgNbdProbabilityOfPurchases(p, 0, 0)).toBe(1);
    expect(bgNbdProbabilityOfPurchases(p, 0, 3)).toBe(0);
    const q = bgNbdProbabilityOfPurchases(p, 5000, 300);
    expect(Number.isFinite(q) && q >= 0 && q <= 1).toBe(true);
  });

  it("refuses data where nobody repeats as not identifiable (no purchase rate to learn)", () => {
    expect(() => fitBgNbd([{ x: 0, tx: 0, T: 10, weight: 100 }, { x: 0, tx: 0, T: 20, weight: 50 }])).toThrow(
      expect.objectContaining({ code: "NOT_IDENTIFIABLE", message: expect.stringContaining("no customer made a repeat purchase") }),
    );
  });

  it("refuses a single heavy buyer as not identifiable", () => {
    expect(() => fitBgNbd([{ x: 200, tx: 38, T: 39 }])).toThrow(expect.objectContaining({ code: "NOT_IDENTIFIABLE" }));
  });

  it("rejects invalid parameters and triples with a ScoringError", () => {
    expect(() => bgNbdProbabilityAlive({ ...p, r: -1 }, 1, 1, 2)).toThrow(expect.objectContaining({ code: "INVALID_PARAMETERS" }));
    expect(() => bgNbdProbabilityAlive(p, 1, 3, 2)).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
    expect(() => fitBgNbd([])).toThrow(expect.objectContaining({ code: "EMPTY_INPUT" }));
  });
});

describe("BG/NBD properties", () => {
  const params = fc.record({
    r: fc.double({ min: 0.01, max: 20, noNaN: true }),
    alpha: fc.double({ min: 0.01, max: 200, noNaN: true }),
    a: fc.double({ min: 0.01, max: 20, noNaN: true }),
    b: fc.double({ min: 0.01, max: 20, noNaN: true }),
  });
  const triple = fc
    .record({ x: fc.integer({ min: 0, max: 300 }), T: fc.double({ min: 0, max: 5000, noNaN: true }), u: fc.double({ min: 0, max: 1, noNaN: true }) })
    .map(({ x, T, u }) => ({ x, T, tx: x === 0 ? 0 : u * T }));

  it("P(alive) ∈ [0, 1] and conditional expectations are finite and ≥ 0", () => {
    fc.assert(
      fc.property(params, triple, fc.double({ min: 0, max: 1000, noNaN: true }), (p, c, t) => {
        const alive = bgNbdProbabilityAlive(p, c.x, c.tx, c.T);
        const e = bgNbdConditionalExpectedPurchases(p, t, c.x, c.tx, c.T);
        return alive >= 0 && alive <= 1 && Number.isFinite(e) && e >= -1e-9;
      }),
      { numRuns: 300 },
    );
  });

  it("the log-likelihood of compressed triples equals the sum over customers", () => {
    fc.assert(
      fc.property(params, fc.array(fc.constantFrom(...[0, 1, 2]).chain((x) => fc.constantFrom({ x, tx: x === 0 ? 0 : 3, T: 10 }, { x, tx: x === 0 ? 0 : 5, T: 12 })), { minLength: 1, maxLength: 40 }), (p, rows) => {
        const compressed = compressTriples(rows);
        const total = rows.reduce((s, row) => s + bgNbdLogLikelihood(p, [row]), 0);
        return Math.abs(bgNbdLogLikelihood(p, compressed) - total) <= 1e-9 * Math.max(1, Math.abs(total));
      }),
      { numRuns: 100 },
    );
  });
});
