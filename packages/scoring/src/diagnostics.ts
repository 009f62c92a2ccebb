import { fitBgNbd, bgNbdConditionalExpectedPurchases, bgNbdExpectedPurchases } from "./btyd/bg-nbd.ts";
import { fitParetoNbd, paretoNbdConditionalExpectedPurchases, paretoNbdExpectedPurchases } from "./btyd/pareto-nbd.ts";
import { ScoringError } from "./errors.ts";
import type { BtydModel } from "./clv.ts";

/** One customer for holdout diagnostics, in model time units. */
export interface HoldoutCustomer {
  /** Calibration repeat purchases. */
  x: number;
  /** Calibration recency. */
  tx: number;
  /** Calibration age (first purchase → calibration end). */
  T: number;
  /** Repeat purchases observed in the holdout period. */
  holdoutPurchases: number;
}

/** Predicted vs actual holdout purchases for customers with a given calibration frequency. */
export interface FrequencyBucket {
  /** Calibration frequency x; the last bucket is "maxBucket or more". */
  frequency: number;
  isOpenEnded: boolean;
  customers: number;
  /** Mean holdout purchases per customer, observed. */
  actualMean: number;
  /** Mean of E[Y(holdout) | x, t_x, T], predicted. */
  predictedMean: number;
}

/** E[Y(t) | x, t_x, T] under either model. */
function conditional(model: BtydModel, t: number, c: { x: number; tx: number; T: number }): number {
  return model.kind === "bg-nbd"
    ? bgNbdConditionalExpectedPurchases(model.params, t, c.x, c.tx, c.T)
    : paretoNbdConditionalExpectedPurchases(model.params, t, c.x, c.tx, c.T);
}

/** E[X(t)] under either model. */
function unconditional(model: BtydModel, t: number): number {
  return model.kind === "bg-nbd" ? bgNbdExpectedPurchases(model.params, t) : paretoNbdExpectedPurchases(model.params, t);
}

/**
 * Conditional expectations check: customers grouped by calibration frequency 0, 1, …,
 * `maxBucket`+ (default 7+), mean holdout purchases observed vs predicted.
 *
 * @see Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", Marketing Science 24(2), Figure 4.
 */
export function frequencyBucketComparison(
  model: BtydModel,
  customers: readonly HoldoutCustomer[],
  holdoutLength: number,
  options: { maxBucket?: number } = {},
): FrequencyBucket[] {
  const maxBucket = options.maxBucket ?? 7;
  if (!(holdoutLength > 0)) throw new ScoringError("INVALID_INPUT", `holdoutLength must be > 0, got ${holdoutLength}.`);
  const buckets = Array.from({ length: maxBucket + 1 }, (_, k) => ({ frequency: k, n: 0, actual: 0, predicted: 0 }));
  // Customers with the same calibration triple share a prediction.
  const cache = new Map<string, number>();
  for (const c of customers) {
    const key = `${c.x}|${c.tx}|${c.T}`;
    let predicted = cache.get(key);
    if (predicted === undefined) {
      predicted = conditional(model, holdoutLength, c);
      cache.set(key, predicted);
    }
    const b = buckets[Math.min(c.x, maxBucket)];
    if (b === undefined) continue;
    b.n += 1;
    b.actual += c.holdoutPurchases;
    b.predicted += predicted;
  }
  return buckets.map((b) => ({
    frequency: b.frequency,
    isOpenEnded: b.frequency === maxBucket,
    customers: b.n,
    actualMean: b.n > 0 ? b.actual / b.n : 0,
    predictedMean: b.n > 0 ? b.predicted / b.n : 0,
  }));
}

/** One point of the cumulative tracking plot. */
export interface TrackingPoint {
  /** Time since the cohort origin, model units (e.g. week number). */
  t: number;
  /** Cumulative repeat purchases observed by t. */
  actual: number;
  /** Σ over customers of E[X(t − first purchase)]. */
  predicted: number;
}

/**
 * Cumulative repeat purchases over time, observed vs predicted from each customer's first
 * purchase (a customer contributes E[X(t − s_i)] once t passes their first purchase s_i).
 * Times are in model units from a common origin (e.g. the cohort's first day); points at
 * `step`, 2·`step`, … up to `end`.
 *
 * @see Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", Figure 2.
 */
export function cumulativeTracking(
  model: BtydModel,
  input: { firstPurchaseTimes: readonly number[]; repeatPurchaseTimes: readonly number[]; end: number; step?: number },
): TrackingPoint[] {
  const step = input.step ?? 1;
  if (!(step > 0) || !(input.end > 0)) throw new ScoringError("INVALID_INPUT", "end and step must be > 0.");
  const repeats = Float64Array.from(input.repeatPurchaseTimes).sort();
  // Group customers by first-purchase time (day resolution makes these few).
  const starts = new Map<number, number>();
  for (const s of input.firstPurchaseTimes) starts.set(s, (starts.get(s) ?? 0) + 1);
  const points: TrackingPoint[] = [];
  let j = 0;
  for (let k = 1; k * step <= input.end + 1e-9; k += 1) {
    const t = k * step;
    while (j < repeats.length && (repeats[j] ?? Infinity) <= t) j += 1;
    let predicted = 0;
    for (const [s, count] of starts) if (t > s) predicted += count * unconditional(model, t - s);
    points.push({ t, actual: j, predicted });
  }
  return points;
}

/** Result of {@link holdoutDiagnostics}. */
export interface HoldoutDiagnostics {
  model: BtydModel;
  logLikelihood: number;
  byFrequency: FrequencyBucket[];
  /** Total holdout repeat purchases, observed and predicted. */
  totalActual: number;
  totalPredicted: number;
}

/**
 * Fits the chosen model on the calibration statistics and compares its holdout predictions
 * with what customers did (per calibration frequency and in total), so users can see whether
 * to trust the model.
 *
 * @see Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", §4.
 */
export function holdoutDiagnostics(
  customers: readonly HoldoutCustomer[],
  options: { holdoutLength: number; model?: "bg-nbd" | "pareto-nbd"; maxBucket?: number },
): HoldoutDiagnostics {
  const kind = options.model ?? "bg-nbd";
  let model: BtydModel;
  let logLikelihood: number;
  if (kind === "bg-nbd") {
    const fit = fitBgNbd(customers);
    model = { kind, params: fit.params };
    logLikelihood = fit.logLikelihood;
  } else {
    const fit = fitParetoNbd(customers);
    model = { kind, params: fit.params };
    logLikelihood = fit.logLikelihood;
  }
  const byFrequency = frequencyBucketComparison(model, customers, options.holdoutLength, { maxBucket: options.maxBucket });
  let totalActual = 0;
  let totalPredicted = 0;
  for (const b of byFrequency) {
    totalActual += b.actualMean * b.customers;
    totalPredicted += b.predictedMean * b.customers;
  }
  return { model, logLikelihood, byFrequency, totalActual, totalPredicted };
}
