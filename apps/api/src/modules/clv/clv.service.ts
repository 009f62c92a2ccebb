// `ltvloop clv` without the I/O: per-customer purchase days → calibration summary (columns) →
// BG/NBD, Pareto/NBD and Gamma-Gamma fits → per-customer predictions and, when the data go past
// the calibration end, holdout diagnostics. Linear in customers: every model quantity is
// computed once per distinct history and shared. The command reads and writes the files.
import { fitBgNbd, type BgNbdFit } from "@ltvloop/scoring/btyd/bg-nbd";
import { fitRefusal } from "@ltvloop/scoring/btyd/fit-checks";
import { fitGammaGamma, gammaGammaSpendPredictor, type GammaGammaFit } from "@ltvloop/scoring/btyd/gamma-gamma";
import { fitParetoNbd, type ParetoNbdFit } from "@ltvloop/scoring/btyd/pareto-nbd";
import { clvDert, continuousDiscountRate, createPredictor, monthDays, type BtydModel, type MonthConvention } from "@ltvloop/scoring/clv";
import { ScoringError } from "@ltvloop/scoring/errors";
import type { PurchaseLog, SummaryColumns } from "@ltvloop/scoring/purchase-log";
import { calendarDay, daysPerUnit, formatDay, type TimeUnit } from "@ltvloop/scoring/summary";
import { badInput } from "../../errors.ts";
import { holdoutReport, type HoldoutReport } from "./clv-holdout.ts";
import { indexTriples, weightedTriples, type TripleIndex } from "./clv-triples.ts";

export type { HoldoutBucket, HoldoutReport } from "./clv-holdout.ts";

export type ClvModelName = "bgnbd" | "paretonbd";

/** A prediction horizon as the analyst wrote it: 39w, 270d, 12m. */
export interface Horizon {
  value: number;
  unit: "day" | "week" | "month";
}

export interface ClvOptions {
  /** Inclusive last calibration day, YYYY-MM-DD; default the last transaction day (no holdout). */
  calibrationEnd?: string | undefined;
  timeUnit: TimeUnit;
  horizon: Horizon;
  /** Month length of the discounted monthly CLV (and of `m` horizons). */
  monthConvention: MonthConvention;
  /** Discount rate per month (0.01 = 1%). */
  monthlyDiscountRate: number;
  /** Models to fit; the first drives the per-customer rows. */
  models: ClvModelName[];
  /** Gross margin 0–1 applied to spend; 1 means the CLV is revenue. */
  margin: number;
  /** Also compute DERT (a numerical integral per distinct history under BG/NBD: slower). */
  withDert?: boolean;
  /** The calendar days' time zone (applied while reading; reported here). */
  timeZone: string;
  /** The time of the run (default now): a calibration end after its day is refused. */
  now?: Date;
}

/** A fit, why it failed, or that it was not asked for: never NaN parameters. */
export type FitOutcome<T> =
  | { ok: true; fit: T; ms: number }
  | { ok: false; code: string; error: string; ms: number };

export interface CustomerPrediction {
  customerId: string;
  frequency: number;
  recency: number;
  T: number;
  monetaryValue: number;
  pAlive: number;
  /** Undiscounted expected purchases over the horizon. */
  expectedPurchases: number;
  /** Gamma-Gamma expected spend per purchase; null when Gamma-Gamma is unavailable or says nothing about the customer. */
  expectedSpend: number | null;
  /** Σ of discounted monthly value over the horizon (× margin); null without expected spend. */
  clvDiscountedMonthly: number | null;
  /** Discounted expected residual transactions (count, infinite horizon); null unless asked for, or at a 0% rate. */
  dert: number | null;
}

export interface PredictionTotals {
  meanPAlive: number;
  expectedPurchases: number;
  clvDiscountedMonthly: number | null;
  meanClvDiscountedMonthly: number | null;
  dert: number | null;
}

export interface ClvReport {
  options: ClvOptions;
  /** Whether the data had amounts (without: no Gamma-Gamma, no CLV columns). */
  hasAmount: boolean;
  transactions: number;
  firstDay: string;
  lastDay: string;
  calibrationEnd: string;
  /** Horizon in the time unit and in months of the convention. */
  horizonUnits: number;
  horizonMonths: number;
  /** Customers whose first purchase is in the calibration period: the ones fitted and scored. */
  customers: number;
  repeatBuyers: number;
  /** Customers first seen after the calibration end: not fitted, not scored. */
  customersAfterCalibration: number;
  bgNbd: FitOutcome<BgNbdFit> | null;
  paretoNbd: FitOutcome<ParetoNbdFit> | null;
  gammaGamma: FitOutcome<GammaGammaFit> | null;
  /** Per-customer rows (a fresh pass each call), or why there are none. */
  predictions:
    | { ok: true; count: number; columns: PredictionColumns; rows: () => Generator<CustomerPrediction>; totals: PredictionTotals; notes: string[] }
    | { ok: false; error: string };
  holdout: HoldoutReport | null;
  /** Things that make the numbers less trustworthy. */
  warnings: string[];
  timingsMs: Record<string, number>;
}

const MODEL_LABEL: Record<ClvModelName, string> = { bgnbd: "BG/NBD", paretonbd: "Pareto/NBD" };

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
    return { ok: true, fit: work(), ms: ms() };
  } catch (error) {
    if (error instanceof ScoringError) return { ok: false, code: error.code, error: error.message, ms: ms() };
    throw error;
  }
}

/** The horizon in days. */
export function horizonDays(horizon: Horizon, convention: MonthConvention): number {
  return horizon.value * (horizon.unit === "day" ? 1 : horizon.unit === "week" ? 7 : monthDays(convention));
}

/** The driving model, or why there is none (its fit failed or does not pass the checks). */
function drivingModel(options: ClvOptions, bg: ClvReport["bgNbd"], pareto: ClvReport["paretoNbd"]): BtydModel | { error: string } {
  const name = options.models[0] ?? "bgnbd";
  const other = name === "bgnbd" ? "paretonbd" : "bgnbd";
  const outcome = name === "bgnbd" ? bg : pareto;
  const label = MODEL_LABEL[name];
  // The other model is offered only when its fit passed (when it was not fitted, it may).
  const otherOutcome = other === "bgnbd" ? bg : pareto;
  const otherPassed = otherOutcome === null || passingModel(MODEL_LABEL[other], otherOutcome, other === "bgnbd" ? "bg-nbd" : "pareto-nbd") !== null;
  const tryOther = otherPassed ? ` Try --model ${other}.` : "";
  if (outcome === null) return { error: `${label} was not fitted.` };
  if (!outcome.ok) return { error: `${label} drives the predictions but could not be fitted: ${outcome.error}${tryOther}` };
  const refusal = fitRefusal(label, outcome.fit);
  if (refusal !== null) return { error: `${refusal}${tryOther}` };
  return name === "bgnbd"
    ? { kind: "bg-nbd", params: (outcome.fit as BgNbdFit).params }
    : { kind: "pareto-nbd", params: (outcome.fit as ParetoNbdFit).params };
}

/** Distinct (x, mean spend) pairs with their customer counts, for Gamma-Gamma. */
function spendRows(s: SummaryColumns) {
  // Keyed by frequency, then by the mean spend's value: no string per customer.
  const byFrequency = new Map<number, Map<number, { frequency: number; monetaryValue: number; weight: number }>>();
  const rows: { frequency: number; monetaryValue: number; weight: number }[] = [];
  for (let i = 0; i < s.n; i++) {
    const frequency = s.frequency[i] ?? 0;
    const monetaryValue = frequency > 0 ? (s.monetaryValue[i] ?? 0) : 0;
    let bySpend = byFrequency.get(frequency);
    if (bySpend === undefined) {
      bySpend = new Map();
      byFrequency.set(frequency, bySpend);
    }
    const row = bySpend.get(monetaryValue);
    if (row) row.weight++;
    else {
      const added = { frequency, monetaryValue, weight: 1 };
      bySpend.set(monetaryValue, added);
      rows.push(added);
    }
  }
  return rows;
}

/**
 * Per-customer predictions as columns: what depends only on the history (x, t_x, T) once per
 * distinct triple, the spend per customer. `rows()` turns them into objects for callers that
 * want them; the CSV writer reads the columns.
 */
export interface PredictionColumns {
  n: number;
  customerId: (i: number) => string;
  summary: SummaryColumns;
  triples: TripleIndex;
  /** Per triple. */
  pAlive: Float64Array;
  expectedPurchases: Float64Array;
  /** Σ of discounted expected purchases per month over the horizon (CLV at spend 1). */
  discountedPurchases: Float64Array;
  /** NaN when not computed. */
  dert: Float64Array;
  /** Per customer; NaN when Gamma-Gamma says nothing about the customer. */
  expectedSpend: Float64Array;
  margin: number;
}

interface PredictionSetup {
  columns: PredictionColumns;
  notes: string[];
}

/**
 * Per-customer predictions of the driving model. Everything that depends only on (x, t_x, T) is
 * computed once per distinct triple; the monthly CLV is linear in spend × margin, so it is
 * evaluated with spend 1 and scaled per customer.
 */
function setUpPredictions(log: PurchaseLog, s: SummaryColumns, triples: TripleIndex, model: BtydModel, gammaGamma: ClvReport["gammaGamma"], options: ClvOptions, horizonUnits: number, horizonMonths: number): PredictionSetup {
  const notes: string[] = [];
  const annualRate = (1 + options.monthlyDiscountRate) ** 12 - 1;
  const delta = options.withDert && annualRate > 0 ? continuousDiscountRate(annualRate, options.timeUnit) : 0;
  if (options.withDert && delta === 0) notes.push("dert is empty: DERT needs a discount rate above 0 (the infinite sum does not converge).");
  let spendParams: GammaGammaFit["params"] | null = null;
  if (gammaGamma !== null) {
    const refusal = gammaGamma.ok ? fitRefusal("Gamma-Gamma", gammaGamma.fit) : null;
    if (!gammaGamma.ok) notes.push(`expected_spend and clv_discounted_monthly are empty: Gamma-Gamma could not be fitted (${gammaGamma.error})`);
    else if (refusal !== null) notes.push(`expected_spend and clv_discounted_monthly are empty: ${refusal}`);
    else spendParams = gammaGamma.fit.params;
    if (gammaGamma.ok && gammaGamma.fit.excludedZeroSpend > 0 && spendParams) {
      notes.push(
        `expected_spend is empty for ${gammaGamma.fit.excludedZeroSpend} repeat buyer(s) whose repeat purchases were all free (amount 0): Gamma-Gamma models positive spend only, so it says nothing about them.`,
      );
    }
  }
  const predict = createPredictor(model, {
    horizon: horizonUnits,
    months: horizonMonths,
    monthlyDiscountRate: options.monthlyDiscountRate,
    timeUnit: options.timeUnit,
    monthConvention: options.monthConvention,
  });
  const pAlive = new Float64Array(triples.count);
  const expectedPurchases = new Float64Array(triples.count);
  const discountedPurchases = new Float64Array(triples.count);
  const dert = new Float64Array(triples.count).fill(Number.NaN);
  for (let k = 0; k < triples.count; k++) {
    const history = { x: triples.x[k] ?? 0, tx: triples.tx[k] ?? 0, T: triples.T[k] ?? 0 };
    const predicted = predict(history);
    pAlive[k] = predicted.pAlive;
    expectedPurchases[k] = predicted.expectedPurchases;
    discountedPurchases[k] = predicted.discountedPurchases;
    if (delta > 0) dert[k] = clvDert(model, history, { expectedSpend: 1, continuousDiscountRate: delta }).dert;
  }
  const expectedSpend = new Float64Array(s.n).fill(Number.NaN);
  let undefinedSpend = 0;
  if (spendParams) {
    const spendOf = gammaGammaSpendPredictor(spendParams);
    for (let i = 0; i < s.n; i++) {
      const x = s.frequency[i] ?? 0;
      const m = s.monetaryValue[i] ?? 0;
      if (x > 0 && m === 0) continue;
      const spend = spendOf(x, m);
      // null: p·x + q ≤ 1, the model's mean spend does not exist for this customer.
      if (spend === null) undefinedSpend++;
      else expectedSpend[i] = spend;
    }
  }
  if (undefinedSpend > 0) notes.push(`expected_spend is empty for ${undefinedSpend} customer(s): Gamma-Gamma's mean spend is undefined when p·x + q ≤ 1.`);
  return {
    columns: { n: s.n, customerId: (i) => log.id(s.customer[i] ?? -1), summary: s, triples, pAlive, expectedPurchases, discountedPurchases, dert, expectedSpend, margin: options.margin },
    notes,
  };
}

/** One prediction as an object. */
export function predictionAt(c: PredictionColumns, i: number): CustomerPrediction {
  const k = c.triples.of[i] ?? 0;
  const spend = c.expectedSpend[i] ?? Number.NaN;
  const dert = c.dert[k] ?? Number.NaN;
  return {
    customerId: c.customerId(i),
    frequency: c.summary.frequency[i] ?? 0,
    recency: c.summary.recency[i] ?? 0,
    T: c.summary.T[i] ?? 0,
    monetaryValue: c.summary.monetaryValue[i] ?? 0,
    pAlive: c.pAlive[k] ?? 0,
    expectedPurchases: c.expectedPurchases[k] ?? 0,
    expectedSpend: Number.isNaN(spend) ? null : spend,
    clvDiscountedMonthly: Number.isNaN(spend) ? null : (c.discountedPurchases[k] ?? 0) * spend * c.margin,
    dert: Number.isNaN(dert) ? null : dert,
  };
}

/** Every prediction as objects, in summary order. */
export function* predictionRows(c: PredictionColumns): Generator<CustomerPrediction> {
  for (let i = 0; i < c.n; i++) yield predictionAt(c, i);
}

function totalsOf(c: PredictionColumns): PredictionTotals {
  let pAlive = 0;
  let purchases = 0;
  let clv = 0;
  let withClv = 0;
  let dert = 0;
  let withDert = 0;
  for (let i = 0; i < c.n; i++) {
    const k = c.triples.of[i] ?? 0;
    pAlive += c.pAlive[k] ?? 0;
    purchases += c.expectedPurchases[k] ?? 0;
    const spend = c.expectedSpend[i] ?? Number.NaN;
    if (!Number.isNaN(spend)) {
      clv += (c.discountedPurchases[k] ?? 0) * spend * c.margin;
      withClv++;
    }
    const d = c.dert[k] ?? Number.NaN;
    if (!Number.isNaN(d)) {
      dert += d;
      withDert++;
    }
  }
  return {
    meanPAlive: pAlive / Math.max(c.n, 1),
    expectedPurchases: purchases,
    clvDiscountedMonthly: withClv > 0 ? clv : null,
    meanClvDiscountedMonthly: withClv > 0 ? clv / withClv : null,
    dert: withDert > 0 ? dert : null,
  };
}

/** A fit that passed the checks, as a model for the holdout comparison. */
function passingModel(label: string, outcome: FitOutcome<BgNbdFit> | FitOutcome<ParetoNbdFit> | null, kind: "bg-nbd" | "pareto-nbd"): BtydModel | null {
  if (outcome === null || !outcome.ok || fitRefusal(label, outcome.fit) !== null) return null;
  return kind === "bg-nbd" ? { kind, params: (outcome.fit as BgNbdFit).params } : { kind, params: (outcome.fit as ParetoNbdFit).params };
}

/**
 * Days after the last transaction count as observed days without any purchase: every T grows,
 * P(alive) and the CLV fall. Right when the export really covers them (a quiet day or week),
 * misleading when the calibration end is simply later than the export. Warns when the file's own
 * rate of transactions per day makes so long a silence unlikely (≥ 5 expected, so that no
 * transaction at all has a chance below 1% under a steady rate).
 */
function silenceWarning(log: PurchaseLog, calEnd: number, calibrationEnd: string): string | null {
  const gap = calEnd - log.lastDay;
  if (gap <= 0) return null;
  const perDay = log.transactions / (log.lastDay - log.firstDay + 1);
  if (perDay * gap < 5) return null;
  return (
    `--calibration-end ${calibrationEnd} is ${gap} day${gap === 1 ? "" : "s"} after the last transaction (${formatDay(log.lastDay)}), and at the file's ${perDay.toFixed(1)} transactions a day so long a silence is unlikely. ` +
    "The models count those days as observed days without purchases, which lowers P(alive) and CLV: if the export ends earlier, give its last day as --calibration-end (or leave it out: the last transaction day)."
  );
}

/**
 * Fits the chosen models on the calibration period and predicts every calibration customer
 * with the first of them. A model that cannot be fitted is reported in its slot (code and
 * message) while the others still run; predictions come only from a fit that passes the
 * checks of `fitRefusal`. Only bad options or data outside every period throw.
 *
 * @see Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", Marketing Science 24(2).
 * @see Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves", JMR 42(4).
 */
export function analyzeClv(log: PurchaseLog, hasAmount: boolean, options: ClvOptions): ClvReport {
  const timings: Record<string, number> = {};
  if (log.transactions === 0) throw badInput("There are no transactions to fit.", [], "NO_TRANSACTIONS");
  const firstDayNo = log.firstDay;
  const lastDayNo = log.lastDay;
  const firstDay = formatDay(firstDayNo);
  const lastDay = formatDay(lastDayNo);
  const calibrationEnd = options.calibrationEnd ?? lastDay;
  const calEnd = calendarDay(calibrationEnd);
  if (calEnd < firstDayNo) {
    throw badInput(`--calibration-end ${calibrationEnd} is before the first transaction (${firstDay}): choose a day from ${firstDay} to ${lastDay}.`, [], "CALIBRATION_BEFORE_DATA", { calibrationEnd, firstDay, lastDay });
  }
  const now = (options.now ?? new Date()).getTime();
  // One millisecond past UTC midnight: calendarDay takes UTC midnight itself as the day it names.
  const todayNo = calendarDay(new Date(now % 86_400_000 === 0 ? now + 1 : now), options.timeZone);
  if (calEnd > todayNo) {
    const today = formatDay(todayNo);
    const message = `--calibration-end ${calibrationEnd} is in the future (today is ${today} in ${options.timeZone}): the calibration period must end on a day already observed. Choose a day from ${firstDay} to ${lastDay}, or leave it out (the last transaction day).`;
    throw badInput(message, [{ path: "calibrationEnd", message: `after today (${today} in ${options.timeZone}).`, reason: "IN_FUTURE", params: { calibrationEnd, today, firstDay, lastDay } }]);
  }
  const unitDays = daysPerUnit(options.timeUnit);
  const days = horizonDays(options.horizon, options.monthConvention);
  const horizonUnits = days / unitDays;
  const horizonMonths = days / monthDays(options.monthConvention);
  const summary = timed(timings, "summarize", () => log.summarize({ calibrationEnd: calEnd, holdoutEnd: Math.max(calEnd, lastDayNo), unitDays }));
  const triples = timed(timings, "triples", () => indexTriples(summary, unitDays));
  const fitTriples = weightedTriples(triples);
  const wants = (name: ClvModelName) => options.models.includes(name);
  const bgNbd = wants("bgnbd") ? tryFit(() => fitBgNbd(fitTriples)) : null;
  const paretoNbd = wants("paretonbd") ? tryFit(() => fitParetoNbd(fitTriples)) : null;
  const gammaGamma = hasAmount ? tryFit(() => fitGammaGamma(spendRows(summary))) : null;
  if (bgNbd) timings.fitBgNbd = bgNbd.ms;
  if (paretoNbd) timings.fitParetoNbd = paretoNbd.ms;
  if (gammaGamma) timings.fitGammaGamma = gammaGamma.ms;
  const model = drivingModel(options, bgNbd, paretoNbd);
  let predictions: ClvReport["predictions"];
  if ("error" in model) predictions = { ok: false, error: model.error };
  else {
    const setup = timed(timings, "predict", () => setUpPredictions(log, summary, triples, model, gammaGamma, options, horizonUnits, horizonMonths));
    const totals = timed(timings, "totals", () => totalsOf(setup.columns));
    predictions = { ok: true, count: summary.n, columns: setup.columns, rows: () => predictionRows(setup.columns), totals, notes: setup.notes };
  }
  const holdout =
    calEnd < lastDayNo
      ? timed(timings, "holdout", () =>
          holdoutReport(summary, triples, calEnd, lastDayNo, unitDays, { bg: passingModel("BG/NBD", bgNbd, "bg-nbd"), pareto: passingModel("Pareto/NBD", paretoNbd, "pareto-nbd") }),
        )
      : null;
  let repeatBuyers = 0;
  for (let i = 0; i < summary.n; i++) if ((summary.frequency[i] ?? 0) > 0) repeatBuyers++;
  const warnings: string[] = [];
  const silence = silenceWarning(log, calEnd, calibrationEnd);
  if (silence !== null) warnings.push(silence);
  if (repeatBuyers === 0) {
    warnings.push("No customer bought twice in the calibration period: BG/NBD and Pareto/NBD have no purchase rate to learn. Use a longer calibration period.");
  }
  for (const [label, outcome] of [["BG/NBD", bgNbd], ["Pareto/NBD", paretoNbd], ["Gamma-Gamma", gammaGamma]] as const) {
    if (outcome?.ok) {
      const refusal = fitRefusal(label, outcome.fit);
      if (refusal !== null) warnings.push(refusal);
    }
  }
  if (gammaGamma?.ok && gammaGamma.fit.excludedZeroSpend > 0) {
    warnings.push(`${gammaGamma.fit.excludedZeroSpend} repeat buyer(s) spent 0 on every repeat purchase: left out of Gamma-Gamma and given no expected spend.`);
  }
  return {
    options,
    hasAmount,
    transactions: log.transactions,
    firstDay,
    lastDay,
    calibrationEnd,
    horizonUnits,
    horizonMonths,
    customers: summary.n,
    repeatBuyers,
    customersAfterCalibration: summary.customersAfterCalibration,
    bgNbd,
    paretoNbd,
    gammaGamma,
    predictions,
    holdout,
    warnings,
    timingsMs: timings,
  };
}
