import betaln from "@stdlib/math-base-special-betaln";
import gammaln from "@stdlib/math-base-special-gammaln";
import { ScoringError } from "../errors.ts";
import { hyp2f1, logHyp2f1Positive } from "../math/hyp2f1.ts";
import { logAddExp, logSubExp } from "../math/log.ts";
import { integrateLogScale } from "../math/quadrature.ts";
import { minimizeBfgs, minimizeNelderMead, numericalGradient } from "../optimize.ts";
import { assertValidTriple, compressTriples, toColumns } from "./compress.ts";
import type { BtydTriple, TripleColumns } from "./compress.ts";
import { assertIdentifiableTriples, parameterWarnings } from "./fit-checks.ts";

/**
 * Pareto/NBD parameters: purchase rate λ ~ Gamma(r, α), dropout rate μ ~ Gamma(s, β),
 * α and β in the model's time unit (e.g. weeks).
 */
export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

/** Result of {@link fitParetoNbd}. */
export interface ParetoNbdFit {
  params: ParetoNbdParams;
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
  customers: number;
  uniqueTriples: number;
  /** Why the parameters should not be trusted (implausible values, the search box edge); empty when the fit passes. */
  warnings: string[];
}

/** Options of {@link fitParetoNbd}. */
export interface ParetoNbdFitOptions {
  initial?: ParetoNbdParams;
  maxIterations?: number;
}

export function assertParetoNbdParams(p: ParetoNbdParams): void {
  for (const [name, v] of Object.entries(p)) {
    if (!(Number.isFinite(v) && v > 0)) {
      throw new ScoringError("INVALID_PARAMETERS", `Pareto/NBD parameter ${name} must be a finite number > 0, got ${String(v)}.`);
    }
  }
}

/**
 * log A₀ of Fader & Hardie's note, the term that integrates over the unobserved dropout time,
 * times (r+s+x)/s omitted. Following the note, the 2F1 is taken in the variable
 * (α−β)/(α+·) when α ≥ β and (β−α)/(β+·) otherwise, so its argument stays in [0, 1); Euler's
 * transformation then leaves a series with positive terms and ratio < z:
 *   α ≥ β: F(y) = 2F1(1, r+x; r+s+x+1; z) / ((β+y)^s (α+y)^{r+x}),  z = (α−β)/(α+y)
 *   α < β: F(y) = 2F1(1, s+1; r+s+x+1; z) (α+y)/(β+y) / ((β+y)^s (α+y)^{r+x}),  z = (β−α)/(β+y)
 * and A₀ = F(t_x) − F(T).
 */
function logA0Part(p: ParetoNbdParams, x: number, y: number, budget?: number): number {
  const { r, alpha, s, beta } = p;
  const base = -s * Math.log(beta + y) - (r + x) * Math.log(alpha + y);
  if (alpha >= beta) {
    const z = (alpha - beta) / (alpha + y);
    return base + logHyp2f1Positive(1, r + x, r + s + x + 1, z, budget);
  }
  const z = (beta - alpha) / (beta + y);
  return base + logHyp2f1Positive(1, s + 1, r + s + x + 1, z, budget) + Math.log((alpha + y) / (beta + y));
}

interface LogParts {
  /** log of the "still alive at T" term: −(r+x) ln(α+T) − s ln(β+T). */
  alive: number;
  /** log of s/(r+s+x)·A₀ (dropped out between t_x and T); −∞ when t_x = T. */
  dead: number;
}

function logParts(p: ParetoNbdParams, x: number, tx: number, T: number): LogParts {
  const { r, alpha, s, beta } = p;
  const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const a0 = logSubExp(logA0Part(p, x, tx), logA0Part(p, x, T));
  return { alive, dead: Math.log(s / (r + s + x)) + a0 };
}

/** The fit searches log-parameters within ±LOG_BOX (parameters e^−10 … e^10). */
const LOG_BOX = 10;

/** Series budget near z = 1 while fitting: far-off trial points are rejected, not computed. */
const FIT_SERIES_BUDGET = 5_000;

function logLikelihoodColumns(p: ParetoNbdParams, cols: TripleColumns, budget?: number): number {
  const { r, alpha, s, beta } = p;
  const lgr = gammaln(r);
  const head = new Float64Array(cols.uniqueX.length);
  cols.uniqueX.forEach((x, k) => {
    head[k] = gammaln(r + x) - lgr + r * Math.log(alpha) + s * Math.log(beta);
  });
  // Terms depending on (x, one time) are computed once per distinct pair.
  const np = cols.pairs.length;
  const alivePart = new Float64Array(np);
  const a0Part = new Float64Array(np);
  for (let k = 0; k < np; k += 1) {
    const pair = cols.pairs[k];
    if (pair === undefined) continue;
    alivePart[k] = -(r + pair.x) * Math.log(alpha + pair.time) - s * Math.log(beta + pair.time);
    a0Part[k] = logA0Part(p, pair.x, pair.time, budget);
  }
  let ll = 0;
  for (let i = 0; i < cols.x.length; i += 1) {
    const x = cols.x[i] ?? 0;
    const iT = cols.xTPair[i] ?? 0;
    const alive = alivePart[iT] ?? 0;
    const dead = Math.log(s / (r + s + x)) + logSubExp(a0Part[cols.xTxPair[i] ?? 0] ?? 0, a0Part[iT] ?? 0);
    ll += (cols.weight[i] ?? 0) * ((head[cols.xIndex[i] ?? 0] ?? 0) + logAddExp(alive, dead));
  }
  return ll;
}

/**
 * Pareto/NBD log-likelihood (sum over customers, weights included).
 *
 * @see Schmittlein, Morrison & Colombo (1987), "Counting Your Customers: Who Are They and What
 * Will They Do Next?", Management Science 33(1), 1–24.
 * @see Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related
 * Expressions", brucehardie.com, eq. 22 (the α ≥ β / α < β branches).
 */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, data: readonly BtydTriple[]): number {
  assertParetoNbdParams(params);
  return logLikelihoodColumns(params, toColumns(compressTriples(data)));
}

function fromLog(u: readonly number[]): ParetoNbdParams {
  return { r: Math.exp(u[0] ?? 0), alpha: Math.exp(u[1] ?? 0), s: Math.exp(u[2] ?? 0), beta: Math.exp(u[3] ?? 0) };
}

/**
 * Fits Pareto/NBD by maximum likelihood on (x, t_x, T) triples (compressed internally).
 * Nelder–Mead on log-parameters locates the basin, BFGS with a central-difference gradient
 * polishes it.
 *
 * @see Schmittlein, Morrison & Colombo (1987), Management Science 33(1).
 * @see Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions".
 */
export function fitParetoNbd(data: readonly BtydTriple[], options: ParetoNbdFitOptions = {}): ParetoNbdFit {
  const triples = compressTriples(data);
  const cols = toColumns(triples);
  const W = cols.totalWeight;
  if (W === 0) throw new ScoringError("EMPTY_INPUT", "fitParetoNbd needs at least one customer.");
  assertIdentifiableTriples(cols, "Pareto/NBD");
  const f = (u: number[]): number => {
    const p = fromLog(u);
    if (!Object.values(p).every((v) => Number.isFinite(v) && v > 0)) return Infinity;
    // Trial points outside e^±10 are rejected: the likelihood is flat towards the
    // exponential-dropout limit (s, β → ∞) and the search would wander there for minutes.
    if (u.some((ui) => Math.abs(ui) > LOG_BOX)) return Infinity;
    const v = -logLikelihoodColumns(p, cols, FIT_SERIES_BUDGET) / W;
    return Number.isFinite(v) ? v : Infinity;
  };
  const start = options.initial ?? { r: 1, alpha: 1, s: 1, beta: 1 };
  assertParetoNbdParams(start);
  const u0 = [Math.log(start.r), Math.log(start.alpha), Math.log(start.s), Math.log(start.beta)];
  const coarse = minimizeNelderMead(f, u0, { maxIterations: 400, valueTolerance: 1e-8, initialStep: 1 });
  const fine = minimizeBfgs((u) => numericalGradient(f, u, 1e-6), coarse.x, {
    maxIterations: options.maxIterations ?? 200,
    gradientTolerance: 1e-7,
  });
  const best = fine.value <= coarse.value ? fine : coarse;
  const params = fromLog(best.x);
  if (!Number.isFinite(best.value)) {
    throw new ScoringError("NOT_CONVERGED", "Pareto/NBD fit found no finite likelihood; check the input statistics.");
  }
  let meanT = 0;
  for (let i = 0; i < cols.T.length; i += 1) meanT += (cols.T[i] ?? 0) * (cols.weight[i] ?? 0);
  meanT /= W;
  const scaleOf = (value: number) => ({ value, reference: meanT, what: "the mean observation time T" });
  const warnings = parameterWarnings("Pareto/NBD", { r: params.r, s: params.s }, { alpha: scaleOf(params.alpha), beta: scaleOf(params.beta) }, { logParams: best.x, limit: LOG_BOX });
  return {
    params,
    warnings,
    logLikelihood: -best.value * W,
    converged: fine.converged,
    iterations: coarse.iterations + fine.iterations,
    evaluations: coarse.evaluations + fine.evaluations * 9,
    customers: W,
    uniqueTriples: triples.length,
  };
}

/**
 * P(alive | x, t_x, T) under Pareto/NBD.
 *
 * @see Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related
 * Expressions", eq. 18.
 */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  assertParetoNbdParams(params);
  assertValidTriple(x, tx, T);
  const { alive, dead } = logParts(params, x, tx, T);
  const logOdds = dead - alive;
  return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
}

/** [1 − (c/(c+t))^{s−1}]/(s−1), continuous at s = 1 (limit ln((c+t)/c)). */
function dropoutIntegral(s: number, c: number, t: number): number {
  const logRatio = Math.log1p(t / c);
  if (Math.abs(s - 1) < 1e-10) return logRatio;
  return -Math.expm1(-(s - 1) * logRatio) / (s - 1);
}

/**
 * E[X(t)]: expected purchases in (0, t] of a randomly chosen new customer.
 *
 * @see Schmittlein, Morrison & Colombo (1987), eq. 17; Fader & Hardie (2005) note, eq. 27.
 */
export function paretoNbdExpectedPurchases(params: ParetoNbdParams, t: number): number {
  assertParetoNbdParams(params);
  if (!(t >= 0) || !Number.isFinite(t)) throw new ScoringError("INVALID_INPUT", `t must be ≥ 0, got ${t}.`);
  const { r, alpha, s, beta } = params;
  return ((r * beta) / alpha) * dropoutIntegral(s, beta, t);
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in (T, T+t] given the history.
 *
 * @see Schmittlein, Morrison & Colombo (1987), eq. 22; Fader & Hardie (2005) note, eq. 28.
 */
export function paretoNbdConditionalExpectedPurchases(params: ParetoNbdParams, t: number, x: number, tx: number, T: number): number {
  assertParetoNbdParams(params);
  if (!(t >= 0) || !Number.isFinite(t)) throw new ScoringError("INVALID_INPUT", `t must be ≥ 0, got ${t}.`);
  const alive = paretoNbdProbabilityAlive(params, x, tx, T);
  return paretoNbdExpectedPurchasesIfAlive(params, t, x, T) * alive;
}

/**
 * E[Y(t) | x, T, alive at T]: the factor of the conditional expectation that does not depend on
 * t_x (E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) · this), so batch predictions can share it
 * between customers with the same x and T. Unvalidated: callers validate the history.
 */
export function paretoNbdExpectedPurchasesIfAlive(params: ParetoNbdParams, t: number, x: number, T: number): number {
  const { r, alpha, s, beta } = params;
  return (((r + x) * (beta + T)) / (alpha + T)) * dropoutIntegral(s, beta + T, t);
}

/**
 * P(X(t) = n): probability a randomly chosen new customer makes exactly n purchases in (0, t].
 *
 * @see Fader, Hardie & Lee (2005), "A Note on Deriving the Pareto/NBD Model and Related
 * Expressions", brucehardie.com, eq. 19.
 */
export function paretoNbdProbabilityOfPurchases(params: ParetoNbdParams, t: number, n: number): number {
  assertParetoNbdParams(params);
  if (!Number.isInteger(n) || n < 0) throw new ScoringError("INVALID_INPUT", `n must be an integer ≥ 0, got ${n}.`);
  if (!(t >= 0) || !Number.isFinite(t)) throw new ScoringError("INVALID_INPUT", `t must be ≥ 0, got ${t}.`);
  if (t === 0) return n === 0 ? 1 : 0;
  const { r, alpha, s, beta } = params;
  // Alive throughout (0, t] and n purchases.
  const first = Math.exp(
    gammaln(r + n) -
      gammaln(r) -
      gammaln(n + 1) +
      r * Math.log(alpha / (alpha + t)) +
      (n > 0 ? n * Math.log(t / (alpha + t)) : 0) +
      s * Math.log(beta / (beta + t)),
  );
  // Dropped out at some τ < t after exactly n purchases (B1 − Σ B2 in the note).
  const c = r + s + n + 1;
  let b1: number;
  const logB2: number[] = [];
  if (alpha >= beta) {
    b1 = Math.log(hyp2f1(r + s, s + 1, c, (alpha - beta) / alpha)) - (r + s) * Math.log(alpha);
    for (let i = 0; i <= n; i += 1) {
      const z = (alpha - beta) / (alpha + t);
      logB2.push(
        gammaln(r + s + i) - gammaln(r + s) - gammaln(i + 1) + (i > 0 ? i * Math.log(t) : 0) +
          Math.log(hyp2f1(r + s + i, s + 1, c, z)) - (r + s + i) * Math.log(alpha + t),
      );
    }
  } else {
    b1 = Math.log(hyp2f1(r + s, r + n, c, (beta - alpha) / beta)) - (r + s) * Math.log(beta);
    for (let i = 0; i <= n; i += 1) {
      const z = (beta - alpha) / (beta + t);
      logB2.push(
        gammaln(r + s + i) - gammaln(r + s) - gammaln(i + 1) + (i > 0 ? i * Math.log(t) : 0) +
          Math.log(hyp2f1(r + s + i, r + n, c, z)) - (r + s + i) * Math.log(beta + t),
      );
    }
  }
  let sumB2 = -Infinity;
  for (const v of logB2) sumB2 = logAddExp(sumB2, v);
  const bracket = logSubExp(b1, sumB2);
  const second = Math.exp(r * Math.log(alpha) + s * Math.log(beta) + betaln(r + n, s + 1) - betaln(r, s) + bracket);
  return first + (Number.isFinite(second) ? second : 0);
}

/**
 * DERT: discounted expected residual transactions of a customer with history (x, t_x, T)
 * under Pareto/NBD, with continuous compounding at rate δ per model time unit (15% a year in
 * weeks: ln(1.15)/52 ≈ 0.0027). Closed form of Fader, Hardie & Lee (2005, JMR, eq. 2):
 *   DERT = α^r β^s δ^{s−1} Γ(r+x+1) Ψ(s, s; δ(β+T)) / (Γ(r) (α+T)^{r+x+1} L(r, α, s, β | x, t_x, T)),
 * equivalently P(alive)·(r+x)/(α+T)·(β+T)^s δ^{s−1} Ψ(s, s; δ(β+T)). Ψ (Tricomi's confluent
 * hypergeometric function of the second kind) is computed from its integral representation
 * Ψ(s, s; z) = Γ(s)^{-1} ∫₀^∞ e^{−zu} u^{s−1} (1+u)^{−1} du by quadrature. Result: a number of
 * transactions (multiply by expected spend and margin for a value).
 *
 * @see Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base
 * Analysis", Journal of Marketing Research 42(4), 415–430.
 */
export function paretoNbdDert(params: ParetoNbdParams, x: number, tx: number, T: number, continuousDiscountRate: number): number {
  assertParetoNbdParams(params);
  assertValidTriple(x, tx, T);
  const delta = continuousDiscountRate;
  if (!(delta > 0) || !Number.isFinite(delta)) {
    throw new ScoringError("INVALID_INPUT", `continuousDiscountRate must be > 0, got ${delta}.`);
  }
  const { r, alpha, s, beta } = params;
  const z = delta * (beta + T);
  // ∫₀^∞ e^{−zu} u^{s−1}/(1+u) du, on a log grid covering both tails (u^{s} near 0, e^{−zu} far out).
  const integral = integrateLogScale(
    (u) => -z * u + (s - 1) * Math.log(u) - Math.log1p(u),
    Math.log(1 / z),
    Math.max(40, 40 / s) + Math.abs(Math.log(1 / z)),
    Math.log(60),
    0.02,
  );
  // (β+T)^s δ^{s−1} Ψ(s,s;z) = (β+T)^s δ^{s−1} · integral / Γ(s)
  const logExpectedDiscountedLifetime = s * Math.log(beta + T) + (s - 1) * Math.log(delta) + Math.log(integral) - gammaln(s);
  const alive = paretoNbdProbabilityAlive(params, x, tx, T);
  return alive * ((r + x) / (alpha + T)) * Math.exp(logExpectedDiscountedLifetime);
}
