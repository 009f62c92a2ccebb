// `ltvloop clv` without the I/O: transactions → calibration summary → BG/NBD, Pareto/NBD and
// Gamma-Gamma fits → per-customer predictions and, when the data go past the calibration end,
// holdout diagnostics. Plain functions on plain data; the command reads and writes the files.
import { fitBgNbd, type BgNbdFit } from "@ltvloop/scoring/btyd/bg-nbd";
import { compressSummaries } from "@ltvloop/scoring/btyd/compress";
import { fitGammaGamma, gammaGammaConditionalExpectedSpend, type GammaGammaFit } from "@ltvloop/scoring/btyd/gamma-gamma";
import { fitParetoNbd, type ParetoNbdFit } from "@ltvloop/scoring/btyd/pareto-nbd";
import { clvDert, continuousDiscountRate, createPredictor, type BtydModel } from "@ltvloop/scoring/clv";
import { frequencyBucketComparison } from "@ltvloop/scoring/diagnostics";
import { ScoringError } from "@ltvloop/scoring/errors";
import {
  calendarDay,
  daysPerUnit,
  formatDay,
  summarizeCalibrationHoldout,
  summarizeTransactions,
  type CustomerSummary,
  type TimeUnit,
  type Transaction,
} from "@ltvloop/scoring/summary";
import { badInput } from "../../errors.ts";

export type ClvModelName = "bgnbd" | "paretonbd";

export interface ClvOptions {
  /** Inclusive last calibration day, YYYY-MM-DD; default the last transaction day (no holdout). */
  calibrationEnd?: string | undefined;
  timeUnit: TimeUnit;
  horizonMonths: number;
  /** Discount rate per month (0.01 = 1%). */
  monthlyDiscountRate: number;
  /** Model whose predictions go into the per-customer rows. */
  model: ClvModelName;
  /** Gross margin 0–1 applied to spend; 1 means the CLV is revenue. */
  margin: number;
  /** Also compute DERT (a numerical integral per distinct history under BG/NBD: slower). */
  withDert?: boolean;
  timeZone: string;
}

/** A fit, or why there is none: never NaN parameters. */
export type FitOutcome<T> = { ok: true; fit: T; ms: number } | { ok: false; code: string; error: string; ms: number };

export interface CustomerPrediction {
  customerId: string;
  frequency: number;
  recency: number;
  T: number;
  monetaryValue: number;
  pAlive: number;
  /** Undiscounted expected purchases over the horizon. */
  expectedPurchases: number;
  /** Gamma-Gamma expected spend per purchase; null when Gamma-Gamma is unavailable. */
  expectedSpend: number | null;
  /** Σ of discounted monthly value over the horizon (× margin); null without expected spend. */
  clvDiscountedMonthly: number | null;
  /** Discounted expected residual transactions (count, infinite horizon); null unless asked for, or at a 0% rate. */
  dert: number | null;
}

export interface HoldoutBucket {
  frequency: number;
  isOpenEnded: boolean;
  customers: number;
  actualMean: number;
  bgNbdMean: number | null;
  paretoNbdMean: number | null;
}

export interface HoldoutReport {
  start: string;
  end: string;
  /** Holdout length in the time unit. */
  length: number;
  byFrequency: HoldoutBucket[];
  totalActual: number;
  totalPredicted: { bgNbd: number | null; paretoNbd: number | null };
}

export interface ClvReport {
  options: ClvOptions;
  transactions: number;
  firstDay: string;
  lastDay: string;
  calibrationEnd: string;
  /** Customers whose first purchase is in the calibration period: the ones fitted and scored. */
  customers: number;
  repeatBuyers: number;
  /** Customers first seen after the calibration end: not fitted, not scored. */
  customersAfterCalibration: number;
  bgNbd: FitOutcome<BgNbdFit>;
  paretoNbd: FitOutcome<ParetoNbdFit>;
  gammaGamma: FitOutcome<GammaGammaFit>;
  /** Per-customer rows, or why they could not be computed (the driving model failed). */
  predictions: { ok: true; rows: CustomerPrediction[]; notes: string[] } | { ok: false; error: string };
  holdout: HoldoutReport | null;
  /** Things that make the numbers less trustworthy (no repeat buyers, a fit that did not converge). */
  warnings: string[];
  timingsMs: Record<string, number>;
}

function timed<T>(timings: Record<string, number>, name: string, work: () => T): T {
  const started = performance.now();
  try {
    return work();
  } finally {
    timings[name] = Math.round((performance.now() - started) * 10) / 10;
  }
}

function tryFit<T>(work: () => T): FitOutcome<T> {
  const started = performance.now();
  const ms = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    const fit = work();
    return { ok: true, fit, ms: ms() };
  } catch (error) {
    if (error instanceof ScoringError) return { ok: false, code: error.code, error: error.message, ms: ms() };
    throw error;
  }
}

function modelOf(options: ClvOptions, bg: FitOutcome<BgNbdFit>, pareto: FitOutcome<ParetoNbdFit>): BtydModel | { error: string } {
  if (options.model === "bgnbd") {
    return bg.ok ? { kind: "bg-nbd", params: bg.fit.params } : { error: `BG/NBD drives the predictions but could not be fitted: ${bg.error} Try --model paretonbd.` };
  }
  return pareto.ok
    ? { kind: "pareto-nbd", params: pareto.fit.params }
    : { error: `Pareto/NBD drives the predictions but could not be fitted: ${pareto.error} Try --model bgnbd.` };
}

/**
 * Per-customer predictions of the driving model. Everything that depends only on (x, t_x, T) is
 * computed once per distinct triple; the monthly CLV is linear in spend × margin, so it is
 * evaluated with spend 1 and scaled per customer.
 */
function predict(
  summaries: readonly CustomerSummary[],
  model: BtydModel,
  gammaGamma: FitOutcome<GammaGammaFit>,
  options: ClvOptions,
): { rows: CustomerPrediction[]; notes: string[] } {
  const notes: string[] = [];
  // The monthly rate compounds to an annual one; DERT wants the continuous rate per time unit.
  const annualRate = (1 + options.monthlyDiscountRate) ** 12 - 1;
  const delta = options.withDert && annualRate > 0 ? continuousDiscountRate(annualRate, options.timeUnit) : 0;
  if (options.withDert && delta === 0) notes.push("dert is empty: DERT needs a discount rate above 0 (the infinite sum does not converge).");
  const perTriple = new Map<string, { pAlive: number; expectedPurchases: number; discountedPurchases: number; dert: number | null }>();
  const spendParams = gammaGamma.ok ? gammaGamma.fit.params : null;
  if (!gammaGamma.ok) notes.push(`expected_spend and clv_discounted_monthly are empty: Gamma-Gamma could not be fitted (${gammaGamma.error})`);
  let undefinedSpend = 0;
  // The discounted monthly sum and E[Y(horizon)], sharing the costly factor per (x, T).
  const predict = createPredictor(model, {
    horizon: (options.horizonMonths * 30) / daysPerUnit(options.timeUnit),
    months: options.horizonMonths,
    monthlyDiscountRate: options.monthlyDiscountRate,
    timeUnit: options.timeUnit,
  });
  const rows = summaries.map((s): CustomerPrediction => {
    const history = { x: s.frequency, tx: s.recency, T: s.T };
    const key = `${s.frequency}|${s.recency}|${s.T}`;
    let triple = perTriple.get(key);
    if (triple === undefined) {
      const predicted = predict(history);
      triple = {
        pAlive: predicted.pAlive,
        expectedPurchases: predicted.expectedPurchases,
        discountedPurchases: predicted.discountedPurchases,
        dert: delta > 0 ? clvDert(model, history, { expectedSpend: 1, continuousDiscountRate: delta }).dert : null,
      };
      perTriple.set(key, triple);
    }
    let expectedSpend: number | null = null;
    if (spendParams) {
      try {
        expectedSpend = gammaGammaConditionalExpectedSpend(spendParams, s.frequency, s.monetaryValue);
      } catch (error) {
        // p·x + q ≤ 1: the model's mean spend does not exist for this customer.
        if (!(error instanceof ScoringError)) throw error;
        undefinedSpend++;
      }
    }
    return {
      customerId: s.customerId,
      frequency: s.frequency,
      recency: s.recency,
      T: s.T,
      monetaryValue: s.monetaryValue,
      pAlive: triple.pAlive,
      expectedPurchases: triple.expectedPurchases,
      expectedSpend,
      clvDiscountedMonthly: expectedSpend === null ? null : triple.discountedPurchases * expectedSpend * options.margin,
      dert: triple.dert,
    };
  });
  if (undefinedSpend > 0) {
    notes.push(`expected_spend is empty for ${undefinedSpend} customer(s): Gamma-Gamma's mean spend is undefined when p·x + q ≤ 1.`);
  }
  return { rows, notes };
}

function holdoutReport(
  transactions: readonly Transaction[],
  options: ClvOptions,
  calibrationEnd: string,
  lastDay: string,
  bg: FitOutcome<BgNbdFit>,
  pareto: FitOutcome<ParetoNbdFit>,
): HoldoutReport {
  const rows = summarizeCalibrationHoldout(transactions, {
    calibrationEnd,
    holdoutEnd: lastDay,
    timeUnit: options.timeUnit,
    timeZone: options.timeZone,
  });
  const length = (calendarDay(lastDay) - calendarDay(calibrationEnd)) / daysPerUnit(options.timeUnit);
  const customers = rows.map((r) => ({ x: r.frequency, tx: r.recency, T: r.T, holdoutPurchases: r.holdoutPurchases }));
  const bgBuckets = bg.ok ? frequencyBucketComparison({ kind: "bg-nbd", params: bg.fit.params }, customers, length) : null;
  const paretoBuckets = pareto.ok ? frequencyBucketComparison({ kind: "pareto-nbd", params: pareto.fit.params }, customers, length) : null;
  // Actual means are the same in both comparisons; with neither model fitted there is nothing to compare.
  const reference = bgBuckets ?? paretoBuckets ?? [];
  const total = (buckets: typeof bgBuckets) => (buckets ? buckets.reduce((sum, b) => sum + b.predictedMean * b.customers, 0) : null);
  return {
    start: formatDay(calendarDay(calibrationEnd) + 1),
    end: lastDay,
    length,
    byFrequency: reference.map((b, i) => ({
      frequency: b.frequency,
      isOpenEnded: b.isOpenEnded,
      customers: b.customers,
      actualMean: b.actualMean,
      bgNbdMean: bgBuckets?.[i]?.predictedMean ?? null,
      paretoNbdMean: paretoBuckets?.[i]?.predictedMean ?? null,
    })),
    totalActual: rows.reduce((sum, r) => sum + r.holdoutPurchases, 0),
    totalPredicted: { bgNbd: total(bgBuckets), paretoNbd: total(paretoBuckets) },
  };
}

/**
 * Fits all three models on the calibration period and predicts every calibration customer
 * with the chosen model. A model that cannot be fitted is reported in its slot (code and
 * message) while the others still run; only bad options or data outside every period throw.
 *
 * @see Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", Marketing Science 24(2).
 * @see Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves", JMR 42(4).
 */
export function analyzeClv(transactions: readonly Transaction[], options: ClvOptions): ClvReport {
  const timings: Record<string, number> = {};
  let firstDayNo = Infinity;
  let lastDayNo = -Infinity;
  for (const t of transactions) {
    const day = calendarDay(t.at, options.timeZone);
    if (day < firstDayNo) firstDayNo = day;
    if (day > lastDayNo) lastDayNo = day;
  }
  if (transactions.length === 0) throw badInput("There are no transactions to fit.");
  const firstDay = formatDay(firstDayNo);
  const lastDay = formatDay(lastDayNo);
  const calibrationEnd = options.calibrationEnd ?? lastDay;
  if (calendarDay(calibrationEnd) < firstDayNo) {
    throw badInput(`--calibration-end ${calibrationEnd} is before the first transaction (${firstDay}): choose a day from ${firstDay} to ${lastDay}.`);
  }
  const summaries = timed(timings, "summarize", () =>
    summarizeTransactions(transactions, { observationEnd: calibrationEnd, timeUnit: options.timeUnit, timeZone: options.timeZone }),
  );
  const allCustomers = new Set(transactions.map((t) => t.customerId)).size;
  const triples = compressSummaries(summaries);
  const bgNbd = tryFit(() => fitBgNbd(triples));
  const paretoNbd = tryFit(() => fitParetoNbd(triples));
  const gammaGamma = tryFit(() => fitGammaGamma(summaries));
  timings.fitBgNbd = bgNbd.ms;
  timings.fitParetoNbd = paretoNbd.ms;
  timings.fitGammaGamma = gammaGamma.ms;
  const model = modelOf(options, bgNbd, paretoNbd);
  const predictions: ClvReport["predictions"] =
    "error" in model ? { ok: false, error: model.error } : { ok: true, ...timed(timings, "predict", () => predict(summaries, model, gammaGamma, options)) };
  const holdout =
    calendarDay(calibrationEnd) < lastDayNo ? timed(timings, "holdout", () => holdoutReport(transactions, options, calibrationEnd, lastDay, bgNbd, paretoNbd)) : null;
  const repeatBuyers = summaries.filter((s) => s.frequency > 0).length;
  const warnings: string[] = [];
  if (repeatBuyers === 0) {
    warnings.push("No customer bought twice in the calibration period: BG/NBD and Pareto/NBD have no purchase rate to learn, so their parameters are degenerate. Use a longer calibration period.");
  }
  for (const [label, outcome] of [["BG/NBD", bgNbd], ["Pareto/NBD", paretoNbd], ["Gamma-Gamma", gammaGamma]] as const) {
    if (outcome.ok && !outcome.fit.converged) warnings.push(`The ${label} fit did not converge: its parameters may not be the maximum-likelihood estimates.`);
  }
  return {
    options,
    transactions: transactions.length,
    firstDay,
    lastDay,
    calibrationEnd,
    customers: summaries.length,
    repeatBuyers,
    customersAfterCalibration: allCustomers - summaries.length,
    bgNbd,
    paretoNbd,
    gammaGamma,
    predictions,
    holdout,
    warnings,
    timingsMs: timings,
  };
}
