import betaln from "@stdlib/math-base-special-betaln";
import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import { ScoringError } from "../errors.ts";
import { hyp2f1 } from "../math/hyp2f1.ts";
import { integrateLogScale } from "../math/quadrature.ts";
import { minimizeBfgs } from "../optimize.ts";
import type { ValueAndGradient } from "../optimize.ts";
import { assertValidTriple, compressTriples, toColumns } from "./compress.ts";
import type { BtydTriple, TripleColumns } from "./compress.ts";
import { assertIdentifiableTriples, parameterWarnings } from "./fit-checks.ts";

/**
 * BG/NBD parameters. Purchase rate λ ~ Gamma(shape r, rate α) per time unit; dropout
 * probability after each purchase p ~ Beta(a, b).
 */
export interface BgNbdParams {
  r: number;
  /** Rate of the gamma mixing distribution, in the model's time unit (e.g. weeks). */
  alpha: number;
  a: number;
  b: number;
}

/** Result of {@link fitBgNbd}. */
export interface BgNbdFit {
  params: BgNbdParams;
  /** Maximised log-likelihood over all customers (weights included). */
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  /** Likelihood evaluations (each one pass over the unique triples). */
  evaluations: number;
  /** Number of customers (sum of weights). */
  customers: number;
  /** Number of distinct (x, t_x, T) triples the fit ran on. */
  uniqueTriples: number;
  /**
   * Why the parameters should not be trusted (implausible values, a degenerate direction);
   * empty for a fit that passes. See `fitRefusal` in `./fit-checks.ts`.
   */
  warnings: string[];
}

/** Options of {@link fitBgNbd}. */
export interface BgNbdFitOptions {
  /** Starting point; default tries a few and keeps the best. */
  initial?: BgNbdParams;
  maxIterations?: number;
}

export function assertBgNbdParams(p: BgNbdParams): void {
  for (const [name, v] of Object.entries(p)) {
    if (!(Number.isFinite(v) && v > 0)) {
      throw new ScoringError("INVALID_PARAMETERS", `BG/NBD parameter ${name} must be a finite number > 0, got ${String(v)}.`);
    }
  }
}

/** Negative mean log-likelihood and its gradient with respect to log-parameters. */
function objective(cols: TripleColumns, u: number[]): ValueAndGradient {
  const r = Math.exp(u[0] ?? 0);
  const alpha = Math.exp(u[1] ?? 0);
  const a = Math.exp(u[2] ?? 0);
  const b = Math.exp(u[3] ?? 0);
  const nx = cols.uniqueX.length;
  // Per distinct x: the terms of FHL (2005) eq. 6 that do not depend on t_x, T.
  const lgR = new Float64Array(nx);
  const dR = new Float64Array(nx);
  const lB2 = new Float64Array(nx);
  const dB2a = new Float64Array(nx);
  const dB2b = new Float64Array(nx);
  const lB3 = new Float64Array(nx);
  const dB3a = new Float64Array(nx);
  const dB3b = new Float64Array(nx);
  const lgr = gammaln(r);
  const psir = digamma(r);
  const lgab = gammaln(a + b);
  const lgb = gammaln(b);
  const psiab = digamma(a + b);
  const psib = digamma(b);
  const lna = Math.log(a);
  for (let k = 0; k < nx; k += 1) {
    const x = cols.uniqueX[k] ?? 0;
    const psiabx = digamma(a + b + x);
    const lgabx = gammaln(a + b + x);
    lgR[k] = gammaln(r + x) - lgr;
    dR[k] = digamma(r + x) - psir;
    // log B(a, b+x) − log B(a, b)
    lB2[k] = gammaln(b + x) - lgabx - lgb + lgab;
    dB2a[k] = psiab - psiabx;
    dB2b[k] = digamma(b + x) - psiabx - psib + psiab;
    if (x > 0) {
      // log B(a+1, b+x−1) − log B(a, b)
      lB3[k] = lna + gammaln(b + x - 1) - lgabx - lgb + lgab;
      dB3a[k] = 1 / a - psiabx + psiab;
      dB3b[k] = digamma(b + x - 1) - psiabx - psib + psiab;
    }
  }
  const lnAlpha = Math.log(alpha);
  const nt = cols.uniqueTimes.length;
  const lnAlphaPlus = new Float64Array(nt);
  const invAlphaPlus = new Float64Array(nt);
  for (let k = 0; k < nt; k += 1) {
    const v = alpha + (cols.uniqueTimes[k] ?? 0);
    lnAlphaPlus[k] = Math.log(v);
    invAlphaPlus[k] = 1 / v;
  }
  let ll = 0;
  let gr = 0;
  let gAlpha = 0;
  let ga = 0;
  let gb = 0;
  const n = cols.x.length;
  for (let i = 0; i < n; i += 1) {
    const k = cols.xIndex[i] ?? 0;
    const x = cols.x[i] ?? 0;
    const w = cols.weight[i] ?? 0;
    const rx = r + x;
    const iT = cols.TIndex[i] ?? 0;
    const lnAT = lnAlphaPlus[iT] ?? 0;
    const l2 = (lB2[k] ?? 0) - rx * lnAT;
    let total = l2;
    let w2 = 1;
    let w3 = 0;
    let lnAtx = 0;
    let invAtx = 0;
    if (x > 0) {
      const iTx = cols.txIndex[i] ?? 0;
      lnAtx = lnAlphaPlus[iTx] ?? 0;
      invAtx = invAlphaPlus[iTx] ?? 0;
      const l3 = (lB3[k] ?? 0) - rx * lnAtx;
      // log(e^{l2} + e^{l3}) and the two mixture weights from one exp.
      const d = l3 - l2;
      if (d <= 0) {
        const e = Math.exp(d);
        total = l2 + Math.log1p(e);
        w2 = 1 / (1 + e);
        w3 = e * w2;
      } else {
        const e = Math.exp(-d);
        total = l3 + Math.log1p(e);
        w3 = 1 / (1 + e);
        w2 = e * w3;
      }
    }
    ll += w * ((lgR[k] ?? 0) + r * lnAlpha + total);
    gr += w * ((dR[k] ?? 0) + lnAlpha - w2 * lnAT - w3 * lnAtx);
    gAlpha += w * (r / alpha - rx * (w2 * (invAlphaPlus[iT] ?? 0) + w3 * invAtx));
    ga += w * (w2 * (dB2a[k] ?? 0) + w3 * (dB3a[k] ?? 0));
    gb += w * (w2 * (dB2b[k] ?? 0) + w3 * (dB3b[k] ?? 0));
  }
  const W = cols.totalWeight;
  return { value: -ll / W, gradient: [(-gr * r) / W, (-gAlpha * alpha) / W, (-ga * a) / W, (-gb * b) / W] };
}

/**
 * BG/NBD log-likelihood of the data (sum over customers, weights included).
 *
 * @see Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An Alternative to
 * the Pareto/NBD Model", Marketing Science 24(2), 275–284, eq. 6.
 */
export function bgNbdLogLikelihood(params: BgNbdParams, data: readonly BtydTriple[]): number {
  assertBgNbdParams(params);
  const cols = toColumns(compressTriples(data));
  if (cols.totalWeight === 0) return 0;
  const u = [Math.log(params.r), Math.log(params.alpha), Math.log(params.a), Math.log(params.b)];
  return -objective(cols, u).value * cols.totalWeight;
}

/**
 * Fits BG/NBD by maximum likelihood on (x, t_x, T) triples (compressed internally, so pass
 * one row per customer or pre-compressed rows with weights). Optimises over log-parameters
 * with BFGS and the analytic gradient, from a few starting points; keeps the best.
 *
 * @see Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", Marketing Science 24(2), eq. 6.
 */
export function fitBgNbd(data: readonly BtydTriple[], options: BgNbdFitOptions = {}): BgNbdFit {
  const triples = compressTriples(data);
  const cols = toColumns(triples);
  if (cols.totalWeight === 0) {
    throw new ScoringError("EMPTY_INPUT", "fitBgNbd needs at least one customer.");
  }
  assertIdentifiableTriples(cols, "BG/NBD");
  let meanT = 0;
  for (let i = 0; i < cols.T.length; i += 1) meanT += (cols.T[i] ?? 0) * (cols.weight[i] ?? 0);
  meanT = Math.max(meanT / cols.totalWeight, 1e-3);
  const starts: BgNbdParams[] = options.initial
    ? [options.initial]
    : [
        { r: 1, alpha: 1, a: 1, b: 1 },
        { r: 0.5, alpha: meanT / 4, a: 1, b: 3 },
      ];
  let best: (ReturnType<typeof minimizeBfgs> & { params: BgNbdParams }) | undefined;
  for (const start of starts) {
    // A converged fit from the first start is kept; later starts are a fallback.
    if (best?.converged) break;
    assertBgNbdParams(start);
    const u0 = [Math.log(start.r), Math.log(start.alpha), Math.log(start.a), Math.log(start.b)];
    const result = minimizeBfgs((u) => objective(cols, u), u0, { maxIterations: options.maxIterations ?? 500 });
    const [lr = 0, lalpha = 0, la = 0, lb = 0] = result.x;
    const params = { r: Math.exp(lr), alpha: Math.exp(lalpha), a: Math.exp(la), b: Math.exp(lb) };
    const valid = Object.values(params).every((v) => Number.isFinite(v) && v > 0);
    if (valid && Number.isFinite(result.value) && (best === undefined || result.value < best.value)) {
      best = { ...result, params };
    }
  }
  if (best === undefined) {
    throw new ScoringError("NOT_CONVERGED", "BG/NBD fit found no finite likelihood; check the input statistics.");
  }
  const { r, alpha, a, b } = best.params;
  const warnings = parameterWarnings("BG/NBD", { r, a, b }, { alpha: { value: alpha, reference: meanT, what: "the mean observation time T" } });
  return {
    params: best.params,
    warnings,
    logLikelihood: -best.value * cols.totalWeight,
    converged: best.converged,
    iterations: best.iterations,
    evaluations: best.evaluations,
    customers: cols.totalWeight,
    uniqueTriples: triples.length,
  };
}

/**
 * (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))], evaluated through
 * Euler's transformation 2F1(A,B;C;z) = (1−z)^{C−A−B} 2F1(C−A, C−B; C; z), which turns the
 * product into (1−z)^{a−1} 2F1(a+b−1−r, a−1; a+b+x−1; z): no overflow for heavy buyers.
 */
function expectedIfAlive(p: BgNbdParams, t: number, x: number, T: number): number {
  if (t === 0) return 0;
  const { r, alpha, b } = p;
  let { a } = p;
  // The expression is analytic in a with a removable singularity at a = 1.
  if (Math.abs(a - 1) < 1e-7) a = 1 + 1e-7;
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  const f = hyp2f1(a + b - 1 - r, a - 1, c, z);
  // 1 − (1−z)^{a−1}·f, written so that the common case f ≈ 1 keeps its precision.
  const e = (a - 1) * Math.log1p(-z);
  return (c / (a - 1)) * (-Math.expm1(e) + Math.exp(e) * (1 - f));
}

/**
 * E[Y(t) | x, T, alive at T]: the factor of the conditional expectation that does not depend on
 * t_x (E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) · this), so batch predictions can share it
 * between customers with the same x and T. Unvalidated: callers validate the history.
 */
export function bgNbdExpectedPurchasesIfAlive(params: BgNbdParams, t: number, x: number, T: number): number {
  return expectedIfAlive(params, t, x, T);
}

/**
 * E[X(t)]: expected number of purchases in (0, t] of a randomly chosen new customer.
 * `t` in the model's time unit.
 *
 * @see Fader, Hardie & Lee (2005), Marketing Science 24(2), eq. 9.
 */
export function bgNbdExpectedPurchases(params: BgNbdParams, t: number): number {
  assertBgNbdParams(params);
  if (!(t >= 0) || !Number.isFinite(t)) throw new ScoringError("INVALID_INPUT", `t must be ≥ 0, got ${t}.`);
  return expectedIfAlive(params, t, 0, 0);
}

/**
 * P(alive | x, t_x, T): probability the customer has not dropped out by T.
 *
 * @see Fader, Hardie & Lee (2008), "Computing P(alive) using the BG/NBD model", note at
 * brucehardie.com; Fader, Hardie & Lee (2005), Marketing Science 24(2), appendix.
 */
export function bgNbdProbabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  assertBgNbdParams(params);
  assertValidTriple(x, tx, T);
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in (T, T+t] of a customer with history (x, t_x, T).
 *
 * @see Fader, Hardie & Lee (2005), Marketing Science 24(2), eq. 10.
 */
export function bgNbdConditionalExpectedPurchases(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  assertBgNbdParams(params);
  assertValidTriple(x, tx, T);
  if (!(t >= 0) || !Number.isFinite(t)) throw new ScoringError("INVALID_INPUT", `t must be ≥ 0, got ${t}.`);
  return bgNbdProbabilityAlive(params, x, tx, T) * expectedIfAlive(params, t, x, T);
}

/**
 * P(X(t) = n): probability a randomly chosen new customer makes exactly n purchases in (0, t].
 *
 * @see Fader, Hardie & Lee (2005), Marketing Science 24(2), eq. 8.
 */
export function bgNbdProbabilityOfPurchases(params: BgNbdParams, t: number, n: number): number {
  assertBgNbdParams(params);
  if (!Number.isInteger(n) || n < 0) throw new ScoringError("INVALID_INPUT", `n must be an integer ≥ 0, got ${n}.`);
  if (!(t >= 0) || !Number.isFinite(t)) throw new ScoringError("INVALID_INPUT", `t must be ≥ 0, got ${t}.`);
  if (t === 0) return n === 0 ? 1 : 0;
  const { r, alpha, a, b } = params;
  const lbab = betaln(a, b);
  const logStay = r * Math.log(alpha / (alpha + t));
  const logGo = Math.log(t / (alpha + t));
  /** log NBD pmf at j. */
  const logNbd = (j: number): number => gammaln(r + j) - gammaln(r) - gammaln(j + 1) + logStay + (j > 0 ? j * logGo : 0);
  const first = Math.exp(betaln(a, b + n) - lbab + logNbd(n));
  if (n === 0) return first;
  let cdf = 0;
  for (let j = 0; j < n; j += 1) cdf += Math.exp(logNbd(j));
  const second = Math.exp(betaln(a + 1, b + n - 1) - lbab) * Math.max(0, 1 - cdf);
  return first + second;
}

/**
 * DERT under BG/NBD: discounted expected residual transactions,
 * Σ over future purchases of e^{−δτ}, for a customer with history (x, t_x, T). BG/NBD has no
 * published closed form, so this integrates the model's own conditional expectation:
 * DERT = ∫₀^∞ e^{−δt} dE[Y(t)] = δ ∫₀^∞ e^{−δt} E[Y(t) | x, t_x, T] dt (integration by parts),
 * numerically on a log-time grid. Units: δ is the continuously compounded discount rate per
 * model time unit (e.g. 15% a year in weeks: ln(1.15)/52 ≈ 0.0027); the result is a number of
 * transactions. This is not the Pareto/NBD DERT of Fader, Hardie & Lee (2005, JMR).
 *
 * @see Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base
 * Analysis", Journal of Marketing Research 42(4), 415–430 (definition of DERT).
 */
export function bgNbdDert(params: BgNbdParams, x: number, tx: number, T: number, continuousDiscountRate: number): number {
  assertBgNbdParams(params);
  assertValidTriple(x, tx, T);
  const delta = continuousDiscountRate;
  if (!(delta > 0) || !Number.isFinite(delta)) {
    throw new ScoringError("INVALID_INPUT", `continuousDiscountRate must be > 0, got ${delta}.`);
  }
  const alive = bgNbdProbabilityAlive(params, x, tx, T);
  const integral = integrateLogScale(
    (t) => {
      const e = expectedIfAlive(params, t, x, T);
      return e > 0 ? Math.log(e) - delta * t : -Infinity;
    },
    Math.log(1 / delta),
    40,
    Math.log(60),
    0.02,
  );
  return alive * delta * integral;
}
