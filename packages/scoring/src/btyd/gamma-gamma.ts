import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import { ScoringError } from "../errors.ts";
import { minimizeBfgs } from "../optimize.ts";
import { TripleTable } from "./compress.ts";
import { parameterWarnings } from "./fit-checks.ts";
import type { ValueAndGradient } from "../optimize.ts";

/**
 * Gamma-Gamma spend model: spend per transaction ~ Gamma(p, ν), ν ~ Gamma(q, γ) across
 * customers. `gamma` is in currency units (same as the spend).
 */
export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** One customer's repeat-purchase spend summary. */
export interface SpendSummary {
  /** Number of repeat purchases x the mean is over. */
  frequency: number;
  /** Mean spend per repeat purchase (currency units). */
  monetaryValue: number;
  /** Number of customers with exactly these values (default 1). */
  weight?: number;
}

/** Result of {@link fitGammaGamma}. */
export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  /** Customers used: those with frequency > 0 and monetary value > 0 (weights summed). */
  customers: number;
  /** Customers left out: {@link excludedOneTime} + {@link excludedZeroSpend}. */
  excluded: number;
  /** One-time buyers (frequency 0): no repeat spend to fit; the model gives them the population mean. */
  excludedOneTime: number;
  /**
   * Repeat buyers whose repeat purchases were all free (mean spend 0): outside the model's
   * support (spend > 0), so it says nothing about them; callers should not give them the
   * model's expected spend.
   */
  excludedZeroSpend: number;
  /** Why the parameters should not be trusted (implausible values); empty when the fit passes. */
  warnings: string[];
}

export function assertGammaGammaParams(params: GammaGammaParams): void {
  for (const [name, v] of Object.entries(params)) {
    if (!(Number.isFinite(v) && v > 0)) {
      throw new ScoringError("INVALID_PARAMETERS", `Gamma-Gamma parameter ${name} must be a finite number > 0, got ${String(v)}.`);
    }
  }
}

interface SpendColumns {
  x: Float64Array;
  m: Float64Array;
  logM: Float64Array;
  logX: Float64Array;
  w: Float64Array;
  xIndex: Int32Array;
  uniqueX: number[];
  total: number;
}

interface Prepared {
  cols: SpendColumns;
  excludedOneTime: number;
  excludedZeroSpend: number;
}

function prepare(rows: readonly SpendSummary[]): Prepared {
  let repeat = 0;
  const kept: SpendSummary[] = [];
  let excludedOneTime = 0;
  let excludedZeroSpend = 0;
  for (const row of rows) {
    const weight = row.weight ?? 1;
    if (!Number.isInteger(row.frequency) || row.frequency < 0 || !Number.isFinite(row.monetaryValue) || row.monetaryValue < 0) {
      throw new ScoringError(
        "INVALID_INPUT",
        `Invalid spend summary frequency=${row.frequency}, monetaryValue=${row.monetaryValue}: need an integer frequency ≥ 0 and a spend ≥ 0.`,
      );
    }
    if (row.frequency > 0) repeat += weight;
    if (row.frequency > 0 && row.monetaryValue > 0 && weight > 0) kept.push(row);
    else if (row.frequency === 0) excludedOneTime += weight;
    else excludedZeroSpend += weight;
  }
  if (repeat === 0) {
    throw new ScoringError("NO_REPEAT_BUYERS", "Gamma-Gamma needs customers with at least one repeat purchase; none were given.");
  }
  if (kept.length === 0) {
    throw new ScoringError("NO_POSITIVE_SPEND", "Gamma-Gamma needs repeat buyers with a positive mean spend; every repeat buyer spent 0.");
  }
  // Merge identical (x, m̄) pairs into weights: the likelihood depends on nothing else.
  const merged: { x: number; m: number; w: number }[] = [];
  const table = new TripleTable(Math.min(kept.length, 1 << 16));
  for (const row of kept) {
    const at = table.indexOf(row.frequency, row.monetaryValue, 0, merged.length);
    const w = row.weight ?? 1;
    if (at === merged.length) merged.push({ x: row.frequency, m: row.monetaryValue, w });
    else {
      const existing = merged[at];
      if (existing) existing.w += w;
    }
  }
  const n = merged.length;
  const cols: SpendColumns = {
    x: new Float64Array(n),
    m: new Float64Array(n),
    logM: new Float64Array(n),
    logX: new Float64Array(n),
    w: new Float64Array(n),
    xIndex: new Int32Array(n),
    uniqueX: [],
    total: 0,
  };
  const position = new Map<number, number>();
  merged.forEach((row, i) => {
    cols.x[i] = row.x;
    cols.m[i] = row.m;
    cols.logM[i] = Math.log(row.m);
    cols.logX[i] = Math.log(row.x);
    cols.w[i] = row.w;
    cols.total += row.w;
    let k = position.get(row.x);
    if (k === undefined) {
      k = cols.uniqueX.length;
      position.set(row.x, k);
      cols.uniqueX.push(row.x);
    }
    cols.xIndex[i] = k;
  });
  return { cols, excludedOneTime, excludedZeroSpend };
}

/**
 * Refuses spend data that cannot identify Gamma-Gamma: fewer than two repeat buyers with spend,
 * or every repeat buyer with the same mean spend (e.g. a single price). The model separates
 * spend variation within a customer (p) from variation between customers (q, γ); with no
 * variation at all the likelihood grows without bound as p → ∞ and any "fit" is an artefact.
 */
function assertSpendVaries(cols: SpendColumns, meanM: number): void {
  if (cols.total < 2) {
    throw new ScoringError(
      "NOT_IDENTIFIABLE",
      "Gamma-Gamma is not identifiable from one repeat buyer: it describes how mean spend varies between customers. Fit it on more customers.",
    );
  }
  let spread = 0;
  for (let i = 0; i < cols.m.length; i += 1) spread = Math.max(spread, Math.abs((cols.m[i] ?? 0) - meanM));
  if (spread <= 1e-9 * Math.max(1, meanM)) {
    throw new ScoringError(
      "NOT_IDENTIFIABLE",
      `Gamma-Gamma is not identifiable: every repeat buyer's mean spend is the same (${Number(meanM.toPrecision(6))}), so spend does not vary and the model has nothing to fit. Use the amount itself as the expected spend, or include orders with other amounts.`,
    );
  }
}

/**
 * Negative mean log-likelihood and gradient over log-parameters. The density of the mean
 * spend m̄ of x transactions is
 *   f(m̄) = Γ(px+q)/(Γ(px)Γ(q)) · γ^q m̄^{px−1} x^{px} / (γ + m̄x)^{px+q}.
 */
function objective(c: SpendColumns, u: number[]): ValueAndGradient {
  const p = Math.exp(u[0] ?? 0);
  const q = Math.exp(u[1] ?? 0);
  const g = Math.exp(u[2] ?? 0);
  const nx = c.uniqueX.length;
  const head = new Float64Array(nx);
  const dHeadP = new Float64Array(nx);
  const dHeadQ = new Float64Array(nx);
  const lgq = gammaln(q);
  const psiq = digamma(q);
  for (let k = 0; k < nx; k += 1) {
    const x = c.uniqueX[k] ?? 1;
    const psiPxq = digamma(p * x + q);
    head[k] = gammaln(p * x + q) - gammaln(p * x) - lgq;
    dHeadP[k] = x * (psiPxq - digamma(p * x));
    dHeadQ[k] = psiPxq - psiq;
  }
  const lng = Math.log(g);
  let ll = 0;
  let gp = 0;
  let gq = 0;
  let gg = 0;
  for (let i = 0; i < c.x.length; i += 1) {
    const k = c.xIndex[i] ?? 0;
    const x = c.x[i] ?? 1;
    const w = c.w[i] ?? 0;
    const lm = c.logM[i] ?? 0;
    const lx = c.logX[i] ?? 0;
    const denom = g + (c.m[i] ?? 0) * x;
    const lden = Math.log(denom);
    const px = p * x;
    ll += w * ((head[k] ?? 0) + q * lng + (px - 1) * lm + px * lx - (px + q) * lden);
    gp += w * ((dHeadP[k] ?? 0) + x * (lm + lx - lden));
    gq += w * ((dHeadQ[k] ?? 0) + lng - lden);
    gg += w * (q / g - (px + q) / denom);
  }
  const W = c.total;
  return { value: -ll / W, gradient: [(-gp * p) / W, (-gq * q) / W, (-gg * g) / W] };
}

/**
 * Gamma-Gamma log-likelihood of the repeat buyers' mean spends (customers with frequency 0 or
 * spend 0 are skipped, as in fitting).
 *
 * @see Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value", brucehardie.com, eq. 3.
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, rows: readonly SpendSummary[]): number {
  assertGammaGammaParams(params);
  const { cols } = prepare(rows);
  return -objective(cols, [Math.log(params.p), Math.log(params.q), Math.log(params.gamma)]).value * cols.total;
}

/**
 * Fits Gamma-Gamma by maximum likelihood on repeat buyers' mean repeat-purchase spend
 * (frequency > 0 and monetary value > 0; others are counted in `excluded`). BFGS on
 * log-parameters with the analytic gradient. Throws `NO_REPEAT_BUYERS` / `NO_POSITIVE_SPEND`
 * when there is nothing to fit.
 *
 * @see Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base
 * Analysis", Journal of Marketing Research 42(4), 415–430.
 * @see Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value", brucehardie.com.
 */
export function fitGammaGamma(rows: readonly SpendSummary[], options: { initial?: GammaGammaParams; maxIterations?: number } = {}): GammaGammaFit {
  const { cols, excludedOneTime, excludedZeroSpend } = prepare(rows);
  let meanM = 0;
  for (let i = 0; i < cols.m.length; i += 1) meanM += (cols.m[i] ?? 0) * (cols.w[i] ?? 0);
  meanM /= cols.total;
  assertSpendVaries(cols, meanM);
  const starts: GammaGammaParams[] = options.initial
    ? [options.initial]
    : [
        { p: 1, q: 1, gamma: 1 },
        { p: 2, q: 3, gamma: meanM },
      ];
  let best: ReturnType<typeof minimizeBfgs> | undefined;
  for (const start of starts) {
    // A converged fit from the first start is kept; later starts are a fallback.
    if (best?.converged) break;
    assertGammaGammaParams(start);
    const result = minimizeBfgs((u) => objective(cols, u), [Math.log(start.p), Math.log(start.q), Math.log(start.gamma)], {
      maxIterations: options.maxIterations ?? 500,
    });
    if (result.x.every(Number.isFinite) && Number.isFinite(result.value) && (best === undefined || result.value < best.value)) {
      best = result;
    }
  }
  if (best === undefined) {
    throw new ScoringError("NOT_CONVERGED", "Gamma-Gamma fit found no finite likelihood; check the spend values.");
  }
  const [lp = 0, lq = 0, lg = 0] = best.x;
  const params = { p: Math.exp(lp), q: Math.exp(lq), gamma: Math.exp(lg) };
  const warnings = parameterWarnings("Gamma-Gamma", { p: params.p, q: params.q }, { gamma: { value: params.gamma, reference: meanM, what: "the mean repeat spend" } });
  return {
    params,
    logLikelihood: -best.value * cols.total,
    converged: best.converged,
    iterations: best.iterations,
    customers: cols.total,
    excluded: excludedOneTime + excludedZeroSpend,
    excludedOneTime,
    excludedZeroSpend,
    warnings,
  };
}

/**
 * E[M | p, q, γ, x, m̄]: expected spend per transaction of a customer with x repeat purchases of
 * mean m̄, a weighted average of the population mean pγ/(q−1) and the customer's own mean:
 *   (p(γ + x m̄)) / (px + q − 1).
 * For x = 0 this is the population mean (requires q > 1). Currency units.
 *
 * @see Fader, Hardie & Lee (2005), JMR 42(4), eq. 5; Fader & Hardie (2013), eq. 5.
 */
export function gammaGammaConditionalExpectedSpend(params: GammaGammaParams, frequency: number, monetaryValue: number): number {
  const spend = gammaGammaSpendPredictor(params)(frequency, monetaryValue);
  if (spend === null) {
    throw new ScoringError("INVALID_PARAMETERS", `Expected spend is undefined when p·x + q ≤ 1 (p=${params.p}, q=${params.q}, x=${frequency}).`);
  }
  return spend;
}

/**
 * {@link gammaGammaConditionalExpectedSpend} for many customers: the parameters are checked once,
 * and a customer whose mean spend does not exist under the model (p·x + q ≤ 1) gets null.
 */
export function gammaGammaSpendPredictor(params: GammaGammaParams): (frequency: number, monetaryValue: number) => number | null {
  assertGammaGammaParams(params);
  const { p, q, gamma } = params;
  return (frequency, monetaryValue) => {
    if (!Number.isInteger(frequency) || frequency < 0 || !Number.isFinite(monetaryValue) || monetaryValue < 0) {
      throw new ScoringError("INVALID_INPUT", `Need an integer frequency ≥ 0 and a spend ≥ 0, got ${frequency}, ${monetaryValue}.`);
    }
    const denom = p * frequency + q - 1;
    return denom > 0 ? (p * (gamma + frequency * monetaryValue)) / denom : null;
  };
}
