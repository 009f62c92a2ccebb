import { assertBgNbdParams, bgNbdConditionalExpectedPurchases, bgNbdDert, bgNbdExpectedPurchasesIfAlive, bgNbdProbabilityAlive } from "./btyd/bg-nbd.ts";
import type { BgNbdParams } from "./btyd/bg-nbd.ts";
import {
  assertParetoNbdParams,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdDert,
  paretoNbdExpectedPurchasesIfAlive,
  paretoNbdProbabilityAlive,
} from "./btyd/pareto-nbd.ts";
import type { ParetoNbdParams } from "./btyd/pareto-nbd.ts";
import { assertValidTriple } from "./btyd/compress.ts";
import { ScoringError, assertFinite } from "./errors.ts";
import { daysPerUnit } from "./summary.ts";
import type { TimeUnit } from "./summary.ts";

/** A fitted transaction model, tagged so CLV functions know which formulas apply. */
export type BtydModel = { kind: "bg-nbd"; params: BgNbdParams } | { kind: "pareto-nbd"; params: ParetoNbdParams };

/** A customer's sufficient statistics in the model's time unit. */
export interface CustomerHistory {
  x: number;
  tx: number;
  T: number;
}

/** E[Y(t) | x, t_x, T] for either model; `t` in the model's time unit. */
export function conditionalExpectedPurchases(model: BtydModel, t: number, c: CustomerHistory): number {
  return model.kind === "bg-nbd"
    ? bgNbdConditionalExpectedPurchases(model.params, t, c.x, c.tx, c.T)
    : paretoNbdConditionalExpectedPurchases(model.params, t, c.x, c.tx, c.T);
}

/**
 * How long a month of the discounted monthly sum is: `30-day` (30 days = 30/7 weeks) or
 * `4.345-week` (4.345 weeks = 30.415 days, the month `lifetimes`' customer_lifetime_value steps
 * by when the model is fitted in weeks; fitted in days, lifetimes steps by 30 days).
 */
export type MonthConvention = "30-day" | "4.345-week";

/** Days in one month of `convention`. */
export function monthDays(convention: MonthConvention = "30-day"): number {
  return convention === "30-day" ? 30 : 4.345 * 7;
}

/**
 * The steps of a discounted monthly sum over `months` (may be fractional): whole months 1, 2, …
 * and, for a fractional horizon, a last partial step ending at `months`, discounted at that
 * fractional exponent.
 */
function monthSteps(months: number): number[] {
  const steps: number[] = [];
  for (let i = 1; i <= months; i += 1) steps.push(i);
  if (months > Math.floor(months)) steps.push(months);
  return steps;
}

function assertMonths(months: number): void {
  if (!(Number.isFinite(months) && months >= 0)) throw new ScoringError("INVALID_INPUT", `months must be a number ≥ 0, got ${months}.`);
}

/** Options of {@link clvDiscountedMonthly}. */
export interface DiscountedMonthlyOptions {
  /** Expected spend per transaction (currency units), e.g. from Gamma-Gamma. */
  expectedSpend: number;
  /** Horizon in months (default 12); a fractional horizon ends with a partial month. */
  months?: number;
  /** Discount rate per month, e.g. 0.01 (default 0.01). */
  monthlyDiscountRate?: number;
  /** Gross margin as a fraction of spend (default 1: the result is revenue). */
  margin?: number;
  /** The model's time unit (default `week`). */
  timeUnit?: TimeUnit;
  /** Length of a month (default `30-day`). */
  monthConvention?: MonthConvention;
}

/** Result of {@link clvDiscountedMonthly}. */
export interface DiscountedMonthlyClv {
  /** Σ discounted monthly value (currency units). */
  clv: number;
  /** Undiscounted expected purchases over the horizon. */
  expectedPurchases: number;
  /** Per month: expected purchases in that month and its discounted value. */
  monthly: { month: number; expectedPurchases: number; discountedValue: number }[];
}

/**
 * Predictive CLV as a **discounted monthly sum over a finite horizon**:
 * Σ_{i=1..H} (E[Y(i months)] − E[Y((i−1) months)]) · spend · margin / (1+d)^i, with E[Y(·)] the
 * model's conditional expectation given (x, t_x, T), d the monthly discount rate and a month
 * of `monthConvention` (30 days by default; `4.345-week` is the month `lifetimes` uses for
 * models fitted in weeks). Not DERT: see {@link clvDert} for the papers' continuous-time quantity.
 *
 * @see Fader, Hardie & Lee (2005), "RFM and CLV", JMR 42(4) (CLV as discounted expected
 * transactions × value); the discrete monthly horizon follows the `lifetimes` documentation.
 */
export function clvDiscountedMonthly(model: BtydModel, customer: CustomerHistory, options: DiscountedMonthlyOptions): DiscountedMonthlyClv {
  const months = options.months ?? 12;
  const d = options.monthlyDiscountRate ?? 0.01;
  const margin = options.margin ?? 1;
  assertFinite(options.expectedSpend, "expectedSpend", "nonNegative");
  assertFinite(d, "monthlyDiscountRate", "nonNegative");
  assertFinite(margin, "margin");
  assertMonths(months);
  const monthInUnits = monthDays(options.monthConvention) / daysPerUnit(options.timeUnit ?? "week");
  const monthly: DiscountedMonthlyClv["monthly"] = [];
  let previous = 0;
  let clv = 0;
  for (const i of monthSteps(months)) {
    const cumulative = conditionalExpectedPurchases(model, i * monthInUnits, customer);
    const expectedPurchases = cumulative - previous;
    previous = cumulative;
    const discountedValue = (expectedPurchases * options.expectedSpend * margin) / (1 + d) ** i;
    clv += discountedValue;
    monthly.push({ month: i, expectedPurchases, discountedValue });
  }
  return { clv, expectedPurchases: previous, monthly };
}

/** Options of {@link clvDert}. */
export interface DertOptions {
  expectedSpend: number;
  /** Continuously compounded discount rate per model time unit (see {@link continuousDiscountRate}). */
  continuousDiscountRate: number;
  margin?: number;
}

/** Result of {@link clvDert}. */
export interface DertClv {
  /** Discounted expected residual transactions (count). */
  dert: number;
  /** dert × expected spend × margin (currency units). */
  clv: number;
  /** Which computation produced `dert`. */
  method: "pareto-nbd-closed-form" | "bg-nbd-numerical-integral";
}

/**
 * Residual CLV as **DERT × expected spend × margin** (the papers' continuous-time, infinite
 * horizon convention). Pareto/NBD uses the closed form of Fader, Hardie & Lee (2005, JMR);
 * BG/NBD, which has no published closed form, integrates its conditional expectation
 * numerically; `method` says which.
 *
 * @see Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base
 * Analysis", Journal of Marketing Research 42(4), 415–430.
 */
export function clvDert(model: BtydModel, customer: CustomerHistory, options: DertOptions): DertClv {
  assertFinite(options.expectedSpend, "expectedSpend", "nonNegative");
  const margin = options.margin ?? 1;
  const { x, tx, T } = customer;
  const dert =
    model.kind === "pareto-nbd"
      ? paretoNbdDert(model.params, x, tx, T, options.continuousDiscountRate)
      : bgNbdDert(model.params, x, tx, T, options.continuousDiscountRate);
  return {
    dert,
    clv: dert * options.expectedSpend * margin,
    method: model.kind === "pareto-nbd" ? "pareto-nbd-closed-form" : "bg-nbd-numerical-integral",
  };
}

/**
 * Continuously compounded discount rate per model time unit from an annual rate:
 * ln(1 + annual) / units per year (52 weeks, as in the papers: 15% → 0.0027 per week; 365 days).
 *
 * @see Fader, Hardie & Lee (2005), JMR 42(4), which uses δ = 0.0027 per week for 15% a year.
 */
export function continuousDiscountRate(annualRate: number, timeUnit: TimeUnit = "week"): number {
  assertFinite(annualRate, "annualRate");
  if (annualRate <= -1) throw new ScoringError("INVALID_INPUT", "annualRate must be > −1.");
  return Math.log1p(annualRate) / (timeUnit === "week" ? 52 : 365);
}

/** Options of {@link createPredictor}. */
export interface PredictorOptions {
  /** Horizon of `expectedPurchases`, in the model's time unit. */
  horizon: number;
  /** Months of the discounted sum (may be fractional: the last month is partial). */
  months: number;
  /** Discount rate per month, e.g. 0.01. */
  monthlyDiscountRate: number;
  /** The model's time unit (default `week`). */
  timeUnit?: TimeUnit;
  /** Length of a month (default `30-day`). */
  monthConvention?: MonthConvention;
}

/** One customer's predictions from {@link createPredictor}. */
export interface CustomerPrediction {
  pAlive: number;
  /** E[Y(horizon) | x, t_x, T]. */
  expectedPurchases: number;
  /** {@link clvDiscountedMonthly}'s sum with spend × margin = 1: discounted expected purchases. */
  discountedPurchases: number;
}

/**
 * Predictions for a whole customer base: P(alive), E[Y(horizon)] and the discounted monthly
 * purchase sum, the same numbers as {@link conditionalExpectedPurchases} and
 * {@link clvDiscountedMonthly} give one customer at a time. Under both models
 * E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) · g(x, T, t), and g — the costly part, a
 * hypergeometric series under BG/NBD — does not depend on t_x: the predictor computes it once
 * per (x, T) and shares it between every customer with that x and T.
 */
export function createPredictor(model: BtydModel, options: PredictorOptions): (customer: CustomerHistory) => CustomerPrediction {
  const factors = createExpectationFactors(model, options);
  const alive = (c: CustomerHistory) =>
    model.kind === "bg-nbd" ? bgNbdProbabilityAlive(model.params, c.x, c.tx, c.T) : paretoNbdProbabilityAlive(model.params, c.x, c.tx, c.T);
  const shared = new Map<string, ExpectationFactors>();
  return (customer) => {
    const pAlive = alive(customer);
    const key = `${customer.x}|${customer.T}`;
    let g = shared.get(key);
    if (!g) {
      g = factors(customer.x, customer.T);
      shared.set(key, g);
    }
    return { pAlive, expectedPurchases: pAlive * g.horizon, discountedPurchases: pAlive * g.discounted };
  };
}

/** The t_x-free factors of a customer's predictions (multiply each by P(alive | x, t_x, T)). */
export interface ExpectationFactors {
  /** E[Y(horizon) | x, T, alive at T]. */
  horizon: number;
  /** The discounted monthly sum of E[Y(·) | x, T, alive at T]'s increments. */
  discounted: number;
}

/**
 * g(x, T) of {@link createPredictor}: what is left of E[Y(horizon) | x, t_x, T] and of the
 * discounted monthly sum once P(alive | x, t_x, T) is factored out. For a database that
 * computes P(alive) itself (closed form under BG/NBD) and needs these per distinct (x, T) only.
 */
export function createExpectationFactors(model: BtydModel, options: PredictorOptions): (x: number, T: number) => ExpectationFactors {
  if (model.kind === "bg-nbd") assertBgNbdParams(model.params);
  else assertParetoNbdParams(model.params);
  const { horizon, months, monthlyDiscountRate: d } = options;
  assertFinite(horizon, "horizon", "nonNegative");
  assertFinite(d, "monthlyDiscountRate", "nonNegative");
  assertMonths(months);
  const monthInUnits = monthDays(options.monthConvention) / daysPerUnit(options.timeUnit ?? "week");
  const steps = monthSteps(months);
  const ifAlive = (t: number, x: number, T: number) =>
    model.kind === "bg-nbd" ? bgNbdExpectedPurchasesIfAlive(model.params, t, x, T) : paretoNbdExpectedPurchasesIfAlive(model.params, t, x, T);
  return (x, T) => {
    assertValidTriple(x, 0, T);
    let previous = 0;
    let discounted = 0;
    for (const i of steps) {
      const cumulative = ifAlive(i * monthInUnits, x, T);
      discounted += (cumulative - previous) / (1 + d) ** i;
      previous = cumulative;
    }
    return { horizon: horizon === 0 ? 0 : ifAlive(horizon, x, T), discounted };
  };
}
